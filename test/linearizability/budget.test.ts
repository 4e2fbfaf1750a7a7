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

describe("memory and cache-size budgets (issue 14)", () => {
  const model = builtinModel("register", { init: 0, nilReadMatchesAny: false })!;
  it("a memory budget that runs out gives unknown with the reason and the partial prefix", () => {
    let calls = 0;
    const r = checkHistory(model, hardHistory(14), { ladder: false, memoryExceeded: () => ++calls > 3 });
    expect(r.status).toBe("unknown");
    expect(r.reason).toBe("memory");
    expect(r.partitions[0].result.order.length).toBeGreaterThan(0);
  });
  it("a cache-size budget gives unknown (reason cache), never a Map-size crash", () => {
    const r = checkHistory(model, hardHistory(14), { ladder: false, maxConfigurations: 1000 });
    expect(r.status).toBe("unknown");
    expect(r.reason).toBe("cache");
    expect(r.partitions[0].result.explored).toBeGreaterThan(1000);
  });
  it("the sequential-consistency search obeys the same budgets", () => {
    const seqHard = hardHistory(14);
    expect(checkHistory(model, seqHard, { criterion: "sequential", maxConfigurations: 50 })).toMatchObject({ status: "unknown", reason: "cache" });
    expect(checkHistory(model, seqHard, { criterion: "sequential", memoryExceeded: () => true })).toMatchObject({ status: "unknown", reason: "memory" });
  });
  it("with enough budget the same searches decide", () => {
    expect(checkHistory(model, hardHistory(5), { ladder: false, maxConfigurations: 1_000_000, memoryExceeded: () => false }).status).toBe("violation");
  });
});

describe("partitions are searched in turns (issue 14)", () => {
  /** Key "hard": n concurrent appends then an impossible-looking but valid read; key "bad": a stale read. */
  function twoKeys(n: number): Operation<OpCall, unknown>[] {
    const ops: Operation<OpCall, unknown>[] = [];
    let id = 0;
    for (let i = 0; i < n; i++) ops.push({ id: id++, process: i, input: { f: "append", key: "hard", value: String.fromCharCode(97 + i) }, output: "", call: 0, ret: 100, completion: "ok" });
    // Reads of every order's prefix keep many configurations alive.
    for (let i = 0; i < n; i++) ops.push({ id: id++, process: n + i, input: { f: "get", key: "hard", value: null }, output: "zz", call: 0, ret: 100, completion: "ok" });
    ops.push({ id: id++, process: 2 * n, input: { f: "put", key: "bad", value: "1" }, output: "", call: 200, ret: 201, completion: "ok" });
    ops.push({ id: id++, process: 2 * n + 1, input: { f: "get", key: "bad", value: null }, output: "", call: 202, ret: 203, completion: "ok" });
    return ops;
  }
  it("an easy failing key decides the history before a hard key uses the budget", () => {
    const kv = builtinModel("kv", { init: "" })!;
    let t = 0;
    const r = checkHistory(kv, twoKeys(12), { ladder: false, now: () => (t += 1), deadline: 200 });
    expect(r.status).toBe("violation");
    expect(r.partitions.find((p) => p.result.status === "violation")?.key).toBe("bad");
  });
});
