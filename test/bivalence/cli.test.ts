// `dscheck bivalence` as a user runs it: exit codes, the JSON report against its schema.
import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dscheck, repoRoot } from "../cli/run-cli.ts";

const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(repoRoot, "traces/schemas/bivalence-report.schema.json"), "utf8")));

describe("dscheck bivalence", () => {
  it("naive protocol: exit 0, JSON matches the schema, with the bivalent initial configurations", () => {
    const r = dscheck(["bivalence", "specs/flp-naive-consensus.ts", "--json", "--no-typecheck"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(j.initial.filter((c: { valence: { kind: string } }) => c.valence.kind === "bivalent")).toHaveLength(4);
  });
  it("exit 1 on a safety violation, 3 when a budget cuts the graph, 2 for a spec without a consensus declaration", () => {
    expect(dscheck(["bivalence", "specs/flp-naive-consensus.ts", "--param", "rule=quorum", "--no-typecheck"]).code).toBe(1);
    const cut = dscheck(["bivalence", "specs/flp-naive-consensus.ts", "--max-states", "50", "--json", "--no-typecheck"]);
    expect(cut.code).toBe(3);
    expect(validate(JSON.parse(cut.stdout))).toBe(true);
    const none = dscheck(["bivalence", "specs/two-phase-commit.ts", "--no-typecheck"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no consensus declaration/);
    expect(dscheck(["bivalence", "specs/paxos.ts", "--max-states", "x"]).code).toBe(2);
  });
});
