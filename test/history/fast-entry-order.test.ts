/**
 * The search's entry order (wgl.ts sortedEntries): recorded positions (integers, returns at
 * Infinity for indeterminate operations) are packed into one number per entry and sorted
 * natively; any other times take the comparison sort. The same history with every time moved
 * by half a unit (same order, same ties, no longer integers) takes the comparison sort and
 * must be searched identically: same verdict, same order found, same configurations explored.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkHistory } from "../../checker/linearizability/check.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";

/** Operations on a register: random times with many ties, some indeterminate. */
const history = fc
  .array(
    fc.record({
      call: fc.integer({ min: 0, max: 12 }),
      length: fc.integer({ min: 0, max: 6 }),
      f: fc.constantFrom("read", "write"),
      value: fc.integer({ min: 0, max: 2 }),
      completion: fc.constantFrom("ok", "ok", "ok", "info", "fail"),
    }),
    { minLength: 1, maxLength: 9 },
  )
  .map((xs) =>
    xs.map(
      (x, id): Operation<OpCall, unknown> => ({
        id,
        process: id,
        input: { f: x.f, value: x.f === "write" ? x.value : null },
        output: x.completion === "ok" ? x.value : undefined,
        call: x.call,
        ret: x.completion === "info" ? Infinity : x.call + x.length,
        completion: x.completion as "ok" | "info" | "fail",
      }),
    ),
  );

describe("entry order of the search", () => {
  it("packed and compared sorts search a history identically", () => {
    let violations = 0;
    fc.assert(
      fc.property(history, (ops) => {
        const shifted = ops.map((op) => ({ ...op, call: op.call + 0.5, ret: op.ret + 0.5 }));
        const model = builtinModel("register", { init: 0 })!;
        const a = checkHistory(model, ops, { ladder: false });
        const b = checkHistory(model, shifted, { ladder: false });
        if (a.status === "violation") violations++;
        expect(a.status).toBe(b.status);
        expect(a.partitions.map((p) => p.result)).toEqual(b.partitions.map((p) => p.result));
      }),
      { numRuns: 3000 },
    );
    // Both verdicts occur.
    expect(violations).toBeGreaterThan(100);
    expect(violations).toBeLessThan(2900);
  });
});
