// dscheck writes a state's doubles as JavaScript writes them (1e20 as 100000000000000000000,
// 1e21 as 1e+21): exact, and read back as the same double. --html, `report` and `merge` must
// take them like any other result (they refused them as "beyond 2^53", turning a violation
// into exit 2); a number that is not such a double's own text is still refused.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inexactJson } from "../../traces/jepsen/json-syntax.ts";
import { dscheck } from "../cli/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-big-doubles-"));
const spec = "test/fixtures/specs/big-double.ts";

describe("doubles beyond 2^53 in results", () => {
  it("explore --html, report and merge give the violation's exit code", () => {
    const html = join(dir, "r.html");
    const run = dscheck(["explore", spec, "--json", "--html", html, "--no-typecheck"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain("100000000000000000000");
    expect(readFileSync(html, "utf8")).toContain("1e+22");
    const saved = join(dir, "r.json");
    writeFileSync(saved, run.stdout);
    expect(dscheck(["report", saved]).code).toBe(1);
    expect(dscheck(["merge", saved]).code).toBe(1);
  });

  it('"doubles" accepts exactly a double\'s own text, the strict mode none', () => {
    for (const ok of ["[100000000000000000000]", "[1e+21]", "[-1.7976931348623157e+308]"]) {
      expect(inexactJson(ok, { numbers: "doubles" }), ok).toBeUndefined();
      expect(inexactJson(ok), ok).toBeDefined();
    }
    for (const bad of ["[9007199254740993]", "[100000000000000000001]", "[1e21]", "[1180591620717411303425.0]", "[1e400]"]) expect(inexactJson(bad, { numbers: "doubles" }), bad).toBeDefined();
  });
});
