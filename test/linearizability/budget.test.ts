/** A spent budget yields "unknown" with the partial result, never "ok" and never a hang. */
import { describe, expect, it } from "vitest";
import { checkHistory } from "../../checker/linearizability/check.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";

/** n concurrent writes of distinct values, then a read of a value never written: every order must be tried. */
function hardHistory(n: number): Operation<OpCall, unknown>[] {
  const ops: Operation<OpCall, unknown>[] = [];
  for (let i = 0; i < n; i++) ops.push({ id: i, process: i, input: { f: "write", value: i }, output: i, call: 0, ret: 100, completion: "ok" });
  for (let i = 0; i < n; i++) ops.push({ id: n + i, process: i, input: { f: "read", value: null }, output: (i + 1) % n, call: 101 + i, ret: 200, completion: "ok" });
  ops.push({ id: 2 * n, process: n, input: { f: "read", value: null }, output: -1, call: 300, ret: 301, completion: "ok" });
  return ops;
}

describe("time budget", () => {
  it("a fake clock past the deadline gives unknown, with the partial prefix", () => {
    let t = 0;
    const now = () => (t += 1);
    const model = builtinModel("register", { init: 0, nilReadMatchesAny: false })!;
    const r = checkHistory(model, hardHistory(14), { now, deadline: 50, ladder: false });
    expect(r.status).toBe("unknown");
    expect(r.partitions[0].result.status).toBe("unknown");
    expect(r.partitions[0].result.order.length).toBeGreaterThan(0);
  });
  it("without a budget the same search finishes (small size) with a violation", () => {
    const model = builtinModel("register", { init: 0, nilReadMatchesAny: false })!;
    expect(checkHistory(model, hardHistory(5), { ladder: false }).status).toBe("violation");
  });
  it("the ladder step has its own deadline and cannot turn unknown into ok", () => {
    let t = 0;
    const now = () => (t += 1);
    const model = builtinModel("register", { init: 0, nilReadMatchesAny: false })!;
    const r = checkHistory(model, hardHistory(14), { now, deadline: 50, ladderDeadline: 60 });
    expect(r.status).not.toBe("ok");
  });
});
