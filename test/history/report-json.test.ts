/**
 * The text `history check --json` prints for a report (cli/history-reports.ts): the same
 * JSON value as JSON.stringify(report) (the oracle), members in the same order, for any
 * JSON-shaped report (fast-check), with the linearization and the timeline on one line each
 * and everything else laid out as JSON.stringify(report, null, 2) lays it out, so that a
 * report with neither (every `history isolation` report) prints exactly as before.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderedElement, reportJson } from "../../cli/history-reports.ts";

const member = fc.oneof(fc.constantFrom("linearization", "timeline", "file", "status", "explanations", "__proto__", "0", "10"), fc.string());
const value = fc.oneof(
  fc.jsonValue(),
  fc.array(fc.nat()),
  fc.constant(undefined),
  fc.double(),
  fc.record({ operations: fc.array(fc.record({ id: fc.nat(), process: fc.string(), label: fc.string(), call: fc.nat() })), nemesis: fc.array(fc.jsonValue()), truncated: fc.boolean() }),
);
const report = fc.dictionary(member, value);

describe("--json report text", () => {
  it("parses to exactly what JSON.stringify(report) gives, members in the same order", () => {
    fc.assert(
      fc.property(report, (r) => {
        expect(JSON.stringify(JSON.parse(reportJson(r)))).toBe(JSON.stringify(r));
        expect(JSON.stringify(JSON.parse(`[${renderedElement("history check", r)}]`))).toBe(JSON.stringify([{ tool: "dscheck", command: "history check", ...r }]));
      }),
      { numRuns: 500 },
    );
  });

  it("is JSON.stringify(report, null, 2) for a report with neither a linearization nor a timeline", () => {
    fc.assert(
      fc.property(report, (r) => {
        const { linearization: _l, timeline: _t, ...rest } = r;
        expect(reportJson(rest)).toBe(JSON.stringify(rest, null, 2));
        // As an element of the array of several, indented as JSON.stringify indents it.
        expect(`[\n${renderedElement("history isolation", rest)}\n]`).toBe(JSON.stringify([{ tool: "dscheck", command: "history isolation", ...rest }], null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it("puts the linearization and the timeline on one line each", () => {
    const r = { file: "h.edn", status: "ok", explanations: [], linearization: [2, 0, 1], timeline: { operations: [{ id: 0, process: "1", label: "read 1", call: 0, ret: 1, completion: "ok" }], nemesis: [], truncated: false } };
    const lines = reportJson(r).split("\n");
    expect(lines).toContain('  "linearization": [2,0,1],');
    expect(lines).toContain('  "timeline": {"operations":[{"id":0,"process":"1","label":"read 1","call":0,"ret":1,"completion":"ok"}],"nemesis":[],"truncated":false}');
    expect(lines.length).toBe(7);
  });
});
