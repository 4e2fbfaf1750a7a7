// The brute-force reachability oracle (./brute-force-reach.ts) on tiny specs counted by hand,
// and on two reference specs whose counts come from TLC rather than from dscheck.
import { describe, expect, it } from "vitest";
import { range } from "../../checker/spec/spec.ts";
import { ValueMap, ValueSet } from "../../checker/values/value.ts";
import raftElection from "../../specs/raft-election.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { bruteForceReach, canonicalString, type ReachableSpec } from "./brute-force-reach.ts";

describe("bruteForceReach", () => {
  it("a counter mod 3: 3 distinct; 1 initial + 3 successors generated", () => {
    // 0 -> 1 -> 2 -> 0: each of the 3 states has one successor (the last one a duplicate).
    const spec: ReachableSpec = { params: {}, init: () => [0], actions: [{ name: "Inc", next: (s: number) => (s + 1) % 3 }] };
    expect(bruteForceReach(spec)).toEqual({ distinct: 3, generated: 4 });
  });

  it("counts self-loops and duplicate initial states in generated", () => {
    // Inc as above, plus Stay (a self-loop) and a disabled action (null and undefined):
    // 2 initial states (one a duplicate) + 3 states x 2 enabled successors = 8.
    const spec: ReachableSpec = {
      params: {},
      init: () => [0, 0],
      actions: [
        { name: "Inc", next: (s: number) => (s + 1) % 3 },
        { name: "Stay", next: (s: number) => s },
        { name: "Never", args: () => [[1], [2]], next: (_s: number, [x]: [number]) => (x === 1 ? null : undefined) },
      ],
    };
    expect(bruteForceReach(spec)).toEqual({ distinct: 3, generated: 8 });
  });

  it("a state outside the constraint is generated but neither distinct nor expanded", () => {
    // Inside s <= 2: 0, 1, 2 (distinct). 0 -> 1, 1 -> 2, 2 -> 3 (3 is outside, and never
    // expanded, so 4 is never generated). The initial state 10 is outside as well.
    // generated = 2 initial + 3 successors = 5.
    const spec: ReachableSpec = {
      params: {},
      init: () => [0, 10],
      actions: [{ name: "Inc", next: (s: number) => s + 1 }],
      constraint: (s: number) => s <= 2,
    };
    expect(bruteForceReach(spec)).toEqual({ distinct: 3, generated: 5 });
  });

  it("state-dependent arguments (argsFrom)", () => {
    // Remove one element of {1, 2}: {1,2} -> {2}, {1}; {1} -> {}; {2} -> {}; {} has none.
    // 4 distinct; generated = 1 + 2 + 1 + 1 = 5 ({} twice).
    const spec: ReachableSpec = {
      params: {},
      init: () => [ValueSet.of(1, 2)],
      actions: [{ name: "Remove", argsFrom: (s: ValueSet<number>) => [...s].map((x) => [x]), next: (s: ValueSet<number>, [x]: [number]) => s.delete(x) }],
    };
    expect(bruteForceReach(spec)).toEqual({ distinct: 4, generated: 5 });
  });

  it("an update action: the fields it returns replace the parent's, the rest carry over", () => {
    // { x, y } with x, y in 0..1: SetX writes x := 1, SetY writes y := 1 (when still 0).
    // States {0,0}, {1,0}, {0,1}, {1,1}: 4 distinct; generated = 1 + 2 + 1 + 1 = 5.
    type S = { x: number; y: number };
    const spec: ReachableSpec = {
      params: {},
      init: () => [{ x: 0, y: 0 }],
      actions: [
        { name: "SetX", update: (s: S) => (s.x === 0 ? { x: 1 } : null) },
        { name: "SetY", update: (s: S) => (s.y === 0 ? { y: 1 } : null) },
      ],
    };
    expect(bruteForceReach(spec)).toEqual({ distinct: 4, generated: 5 });
  });

  it("params: declared defaults (plain or { default }), overridden by the caller", () => {
    // Count up from 0 to n by +1 or +2 (disabled past n): every 0..n is reached.
    const spec: ReachableSpec = {
      params: { n: { default: 3, min: 0 }, step: 2 },
      init: () => [0],
      actions: [
        {
          name: "Add",
          args: ({ step }: { step: number }) => range(step).map((i) => [i + 1]),
          next: (s: number, [d]: [number], { n }: { n: number }) => (s + d <= n ? s + d : null),
        },
      ],
    };
    // n=3, step=2: 0->1,2; 1->2,3; 2->3; 3: none. 4 distinct, 1 + 5 = 6 generated.
    expect(bruteForceReach(spec)).toEqual({ distinct: 4, generated: 6 });
    // n=3, step=1: a chain of 4 states, 1 + 3 generated.
    expect(bruteForceReach(spec, { step: 1 })).toEqual({ distinct: 4, generated: 4 });
    expect(() => bruteForceReach(spec, { m: 1 })).toThrow(/unknown param/);
  });

  it("a set is not an array of the same elements; element and key order do not matter", () => {
    const states = [
      ValueSet.of(1, 2), ValueSet.of(2, 1), // one set
      [1, 2], [2, 1], // two arrays
      ValueMap.from([[1, 2]]), [[1, 2]], ValueSet.of([1, 2]), // a map, an array of a pair, a set of a pair
      { a: 1, b: "x" }, { b: "x", a: 1 }, // one record
      1, "1", true, "true", null, "null", // numbers, strings, booleans and null differ
    ];
    const spec: ReachableSpec = { params: {}, init: () => states, actions: [] };
    expect(bruteForceReach(spec)).toEqual({ distinct: 13, generated: 15 });
    expect(canonicalString(ValueSet.of(1, 2))).not.toBe(canonicalString([1, 2]));
    expect(canonicalString({ a: [1], b: ValueSet.of("x") })).toBe(canonicalString({ b: ValueSet.of("x"), a: [1] }));
  });

  it("rejects what is not a state value", () => {
    expect(() => canonicalString({ a: undefined })).toThrow(/not a state value/);
    expect(() => canonicalString(new Date(0))).toThrow(/not a state value/);
  });

  // External references (TLC's counts, as in test/specs/exact-counts.test.ts): the oracle
  // agrees with TLC on specs it was not written against.
  it("TwoPhase rms=3: TLC's 288 distinct, 1146 generated", () => {
    expect(bruteForceReach(twoPhase, { rms: 3 })).toEqual({ distinct: 288, generated: 1146 });
  });
  it("RaftElection servers=2 maxTerm=2: TLC's 513 distinct, 1685 generated", () => {
    expect(bruteForceReach(raftElection, { servers: 2, maxTerm: 2 })).toEqual({ distinct: 513, generated: 1685 });
  });
});

describe("corpora under CI", () => {
  it("a missing corpora folder is an error under CI=true and a skip (undefined) otherwise", async () => {
    const { corporaDir } = await import("./corpora.ts");
    expect(() => corporaDir({ CI: "true", DSCHECK_CORPORA: "/nonexistent/corpora" })).toThrow(/CI is set but the corpora are missing/);
    expect(corporaDir({ DSCHECK_CORPORA: "/nonexistent/corpora" })).toBeUndefined();
  });
});
