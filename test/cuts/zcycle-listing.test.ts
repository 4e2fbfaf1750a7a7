// Z-cycles are listed in full only up to a total number of messages (a log with thousands of
// long cycles would make a report of gigabytes); past it, every useless checkpoint is still
// named with its cycle's length, and the report still fits its schema.
import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../checker/cuts/analyze.ts";
import { readEventLog } from "../../traces/cuts/read.ts";
import { repoRoot } from "../support/corpora.ts";

const schema = JSON.parse(readFileSync(join(repoRoot, "traces/schemas/cuts-report.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe("Z-cycle listing limit", () => {
  it("lists a cycle while the total fits, names it with its length beyond", async () => {
    const comp = await readEventLog(join(repoRoot, "test/fixtures/cuts/domino.ndjson"), { format: "ndjson" });
    const full = analyze(comp).analysis;
    expect(full.useless.map((u) => [u.id, u.zCycleLength, u.zCycle?.map((m) => m.msg)])).toEqual([["C21", 2, ["m2", "m1"]]]);
    const capped = analyze(comp, { zCycleMessagesListed: 1 }).analysis;
    expect(capped.useless).toEqual([{ id: "C21", process: "P2", zCycleLength: 2 }]);
    expect(capped.uselessCheckpoints).toEqual(full.uselessCheckpoints);
    for (const a of [full, capped]) expect(validate(JSON.parse(JSON.stringify({ tool: "dscheck", command: "cuts", file: "domino.ndjson", format: "ndjson", ...a }))), JSON.stringify(validate.errors)).toBe(true);
  });
});
