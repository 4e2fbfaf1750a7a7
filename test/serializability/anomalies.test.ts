import { describe, expect, it } from "vitest";
import { checkIsolation } from "../../checker/serializability/check.ts";
import { history, oks } from "./build.ts";

const la = { workload: "list-append" } as const;
const rw = { workload: "rw-register" } as const;

describe("list-append anomalies", () => {
  it("a serial history is strict serializable with no anomalies", () => {
    const r = checkIsolation(oks([["append", "x", 1]], [["r", "x", [1]], ["append", "x", 2]], [["r", "x", [1, 2]]]), { ...la, realtime: true });
    expect(r.anomalyTypes).toEqual([]);
    expect(r.strongest).toEqual(["strict-serializable"]);
  });

  it("G0: writes to two keys in opposite orders", () => {
    const r = checkIsolation(
      oks([["append", "x", 1], ["append", "y", 2]], [["append", "x", 3], ["append", "y", 4]], [["r", "x", [1, 3]], ["r", "y", [4, 2]]]),
      la,
    );
    expect(r.anomalyTypes).toContain("G0");
    expect(r.levels["read-uncommitted"]).toBe("violated");
    expect(r.strongest).toEqual([]);
  });

  it("G1a: reading a failed transaction's append", () => {
    const r = checkIsolation(history([{ ops: [["append", "x", 1]], status: "fail" }, { ops: [["r", "x", [1]]] }]), la);
    expect(r.anomalyTypes).toEqual(["G1a"]);
    expect(r.strongest).toEqual(["read-uncommitted"]);
  });

  it("G1b: reading an intermediate state of another transaction", () => {
    const r = checkIsolation(oks([["append", "x", 1], ["append", "x", 2]], [["r", "x", [1]]]), la);
    expect(r.anomalyTypes).toContain("G1b");
    expect(r.levels["read-committed"]).toBe("violated");
  });

  it("G1c: a ww/wr cycle", () => {
    const r = checkIsolation(oks([["append", "x", 1], ["r", "y", [2]]], [["append", "y", 2], ["r", "x", [1]]]), la);
    expect(r.anomalyTypes).toEqual(["G1c"]);
    expect(r.strongest).toEqual(["read-uncommitted"]);
    const story = r.anomalies[0].message;
    expect(story).toContain("including");
    expect(story).toContain("(wr)");
  });

  it("G-single tells each step as a story", () => {
    // Read skew: T1 sees T0's append to y but not its append to x.
    const r = checkIsolation(oks([["append", "x", 1], ["append", "y", 2]], [["r", "x", []], ["r", "y", [2]]]), la);
    expect(r.anomalyTypes).toEqual(["G-single"]);
    expect(r.strongest).toEqual(["read-committed"]);
    const g = r.anomalies.find((a) => a.type === "G-single")!;
    expect(g.message).toContain("T1 read x = [] without 1, which T0 appended, so T1 precedes T0 (rw)");
    expect(g.message).toContain("T1 read y = [2], including 2 appended by T0, so T0 precedes T1 (wr)");
    expect(g.cycle).toHaveLength(2);
  });

  it("write skew is G2-item: snapshot isolation holds, repeatable read does not", () => {
    const r = checkIsolation(oks([["r", "x", []], ["append", "y", 1]], [["r", "y", []], ["append", "x", 2]]), la);
    expect(r.anomalyTypes).toEqual(["G2-item"]);
    expect(r.levels["snapshot-isolation"]).toBe("holds");
    expect(r.levels["repeatable-read"]).toBe("violated");
    expect(r.strongest).toEqual(["snapshot-isolation"]);
  });

  it("duplicates, incompatible orders and garbage are read-uncommitted violations", () => {
    expect(checkIsolation(oks([["append", "x", 1]], [["r", "x", [1, 1]]]), la).anomalyTypes).toContain("duplicate-elements");
    const inc = checkIsolation(oks([["append", "x", 1]], [["append", "x", 2]], [["r", "x", [1, 2]]], [["r", "x", [2, 1]]]), la);
    expect(inc.anomalyTypes).toContain("incompatible-order");
    const garbage = checkIsolation(oks([["r", "x", [9]]]), la);
    expect(garbage.anomalyTypes).toEqual(["garbage-read"]);
    expect(garbage.strongest).toEqual([]);
  });

  it("internal inconsistency: a read that misses the transaction's own append", () => {
    const r = checkIsolation(oks([["append", "x", 1], ["r", "x", []]]), la);
    expect(r.anomalyTypes).toEqual(["internal"]);
    expect(r.levels["snapshot-isolation"]).toBe("violated");
    expect(r.levels["repeatable-read"]).toBe("holds");
  });

  it("unobserved committed appends still order the full readers before them", () => {
    // Each reads the other's key empty; neither append is ever read: not serializable.
    const r = checkIsolation(oks([["append", "x", 1], ["r", "y", []]], [["append", "y", 1], ["r", "x", []]]), la);
    expect(r.levels.serializable).toBe("violated");
    expect(r.anomalyTypes).toEqual(["G2-item"]);
  });

  it("G-single-realtime: a stale read after the write completed", () => {
    const txns = history([
      { ops: [["append", "x", 1]], at: [0, 1] },
      { ops: [["r", "x", []]], at: [2, 3] },
    ]);
    const r = checkIsolation(txns, { ...la, realtime: true });
    expect(r.levels.serializable).toBe("holds");
    expect(r.levels["strict-serializable"]).toBe("violated");
    expect(r.anomalyTypes).toEqual(["G-single-realtime"]);
    // Without real-time order, strict serializability cannot be judged.
    expect(checkIsolation(txns, la).levels["strict-serializable"]).toBe("unknown");
  });

  it("G-single-process: a session that does not see its own earlier write", () => {
    const txns = history([
      { ops: [["append", "x", 1]], process: 1, at: [0, 1] },
      { ops: [["r", "x", []]], process: 1, at: [2, 3] },
    ]);
    expect(checkIsolation(txns, { ...la, processOrder: true }).anomalyTypes).toEqual(["G-single-process"]);
  });
});

describe("rw-register anomalies", () => {
  it("lost update: two transactions read the same version and both write", () => {
    const r = checkIsolation(oks([["r", "x", null], ["w", "x", 1]], [["r", "x", null], ["w", "x", 2]]), rw);
    expect(r.anomalyTypes).toContain("lost-update");
    expect(r.levels["snapshot-isolation"]).toBe("violated");
  });

  it("long fork is G-nonadjacent: snapshot isolation is violated", () => {
    const r = checkIsolation(
      oks([["r", "x", null], ["r", "y", null], ["w", "x", 1]], [["r", "x", 1], ["r", "y", null]], [["r", "x", null], ["r", "y", null], ["w", "y", 1]], [["r", "x", null], ["r", "y", 1]]),
      rw,
    );
    expect(r.anomalyTypes).toEqual(["G-nonadjacent"]);
    expect(r.levels["snapshot-isolation"]).toBe("violated");
  });

  it("a write log orders versions the history alone cannot", () => {
    const txns = oks([["w", "x", 1]], [["w", "x", 2]], [["r", "x", 1]], [["r", "x", 2], ["w", "y", 5]], [["r", "y", 5], ["r", "x", 1]]);
    expect(checkIsolation(txns, rw).levels.serializable).toBe("holds");
    const logged = checkIsolation(txns, { ...rw, writeLog: new Map([["x", [1, 2]]]) });
    expect(logged.levels.serializable).toBe("violated");
  });

  it("duplicate writes break the workload's assumption and are reported as bad input", () => {
    expect(() => checkIsolation(oks([["w", "x", 1]], [["w", "x", 1]]), rw)).toThrow(/twice/);
  });
});

describe("budget", () => {
  it("a zero step budget leaves snapshot isolation unknown instead of guessing", () => {
    const r = checkIsolation(
      oks([["r", "x", null], ["r", "y", null], ["w", "x", 1]], [["r", "x", 1], ["r", "y", null]], [["r", "x", null], ["r", "y", null], ["w", "y", 1]], [["r", "x", null], ["r", "y", 1]]),
      { ...rw, maxSearchSteps: 0 },
    );
    expect(r.searchExhausted).toBe(true);
    expect(r.levels["snapshot-isolation"]).toBe("unknown");
    expect(r.levels.serializable).toBe("violated");
  });
});
