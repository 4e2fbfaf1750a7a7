// `dscheck merge` and `dscheck report` must agree on what a dscheck result is: both read
// the same untrusted files, and a result report rejects (it does not fit its command's
// schema) must not be merged into a pass. Oracle: `dscheck report` on the same file, and
// the schema itself (ajv on traces/schemas/). Each rejected file is exit 2 and one line
// naming the file and the JSON pointer.
import { Ajv } from "ajv";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture } from "../report/fixtures.ts";
import { dscheck, repoRoot } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-merge-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = (name: string) => {
  const ajv = new Ajv({ strict: false, allowUnionTypes: true });
  ajv.addKeyword("tsType");
  return ajv.compile(JSON.parse(readFileSync(join(repoRoot, "traces", "schemas", `${name}.schema.json`), "utf8")));
};

const history = { tool: "dscheck", command: "history check", file: "h.edn", status: "ok", elapsedMs: 1 };
const isolation = { tool: "dscheck", command: "history isolation", file: "h.edn", status: "ok", elapsedMs: 1 };
const replay = { ...(fixture("explore-2pc-ok").json as object), strategy: "replay", replayPath: "0" };

const cases: [string, unknown, string, RegExp][] = [
  ["a history check result with a count that is a string", { ...history, operations: "lots" }, "history-check-report", /#\/operations: /],
  ["a history check result with a field of another command", { ...history, anomalies: [] }, "history-check-report", /#: .*\(anomalies\)/],
  ["a history check result keyed __proto__", JSON.parse(`{"tool": "dscheck", "command": "history check", "file": "h.edn", "status": "ok", "elapsedMs": 1, "__proto__": {"status": "violation"}}`), "history-check-report", /#: .*\(__proto__\)/],
  ["a history isolation result with an unknown level", { ...isolation, level: "mostly-serializable" }, "history-isolation-report", /#\/level: /],
  ["an explore --replay result without its steps", replay, "explore-replay-report", /#: .*'trace'/],
];

describe("merge rejects what report rejects", () => {
  it.each(cases)("%s", (_what, value, schemaName, pointer) => {
    expect(schema(schemaName)(value)).toBe(false);
    const file = join(dir, `${schemaName}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    expect(dscheck(["report", file]).code).toBe(2);
    const r = dscheck(["merge", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}${pointer.source}`))]);
  });

  it("a minimal history result both accept", () => {
    const file = join(dir, "minimal.json");
    writeFileSync(file, JSON.stringify([history, { ...history, file: "g.edn", status: "violation" }]));
    expect(dscheck(["report", file]).code).toBe(1);
    expect(dscheck(["merge", file]).code).toBe(1);
  });
});
