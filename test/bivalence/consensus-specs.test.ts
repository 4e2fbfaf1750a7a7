// The consensus specs and the analysis end to end: Paxos's exact TLC counts, the expected
// valence report of the naive protocol, 2PC blocking, 3PC non-blocking / unsafe on
// recovery; every witness path is replayed and must reach what the report says.
import { describe, expect, it } from "vitest";
import { analyzeBivalence, explore, replay, type BivalenceResult, type Spec } from "../../checker/index.ts";
import naive, { consensus as naiveC } from "../../specs/flp-naive-consensus.ts";
import paxos, { consensus as paxosC } from "../../specs/paxos.ts";
import threePC, { consensus as threeC } from "../../specs/three-phase-commit.ts";
import twoPCCrash, { consensus as twoC } from "../../specs/two-phase-commit-crash.ts";
import { canonicalString } from "../support/brute-force-reach.ts";

const last = (spec: Spec<unknown>, path: readonly number[], params: Record<string, unknown>) => {
  const r = replay(spec, path, { params, properties: [], checkDeadlock: false });
  expect(r.status).toBe("ok");
  return r.trace[r.trace.length - 1];
};

/** Replays every witness of a report against the spec itself. */
function checkWitnesses(spec: Spec<unknown>, decision: (s: never) => readonly unknown[], r: BivalenceResult, params: Record<string, unknown>) {
  for (const c of r.initial) expect(c.path).toHaveLength(1);
  if (r.adjacent?.run) {
    const end = last(spec, r.adjacent.run.path, params);
    expect(decision(end.state as never)).toContain(r.adjacent.run.decided);
    expect(r.adjacent.run.path[0]).toBe(r.initial.find((c) => c.id === r.adjacent!.a)!.path[0]);
    if (r.adjacent.run.mirrored) expect(decision(last(spec, r.adjacent.run.mirrored.path, params).state as never)).toContain(r.adjacent.run.mirrored.decided);
  }
  for (const e of r.lemma3?.events ?? []) if (e.witness) {
    const t = last(spec, e.witness.path, params);
    expect(t.label).toBe(e.event);
  }
  for (const l of [r.lasso, r.nonDeciding]) if (l) {
    const a = last(spec, l.prefix.path, params), b = last(spec, l.replayPath, params);
    expect(canonicalString(b.state)).toBe(canonicalString(a.state));
  }
  for (const s of r.safety) if (s.counterexample) {
    const rr = replay(spec, s.counterexample.path, { params, checkDeadlock: false });
    if (s.kind === "property") expect(rr.violation?.property).toBe(s.name.replace(/^spec:/, ""));
  }
}

describe("Paxos (Paxos.tla, MCPaxos)", () => {
  it("reaches TLC's 25 distinct / 82 generated states; the invariants hold", () => {
    const r = explore(paxos, {});
    expect([r.status, r.distinctStates, r.generatedStates]).toEqual(["ok", 25, 82]);
  });
  it("bug=anyValue with two values: two values chosen (Agreement), found by explore and by bivalence", () => {
    const params = { values: 2, bug: "anyValue" };
    expect(explore(paxos, { params }).violation?.property).toBe("Agreement");
    const b = analyzeBivalence(paxos, paxosC, { params });
    expect(b.status).toBe("violation");
    checkWitnesses(paxos as unknown as Spec<unknown>, paxosC.decision as never, b, params);
  });
  it("three acceptors, two values: a bivalent initial configuration, safe, every fair run decides", () => {
    const params = { acceptors: 3, values: 2 };
    const b = analyzeBivalence(paxos, paxosC, { params });
    expect(b.status).toBe("ok");
    expect(b.initial.map((c) => c.valence.kind)).toEqual(["bivalent"]);
    expect([b.lasso, b.nonDeciding, b.blocking.count]).toEqual([undefined, undefined, 0]);
    checkWitnesses(paxos as unknown as Spec<unknown>, (s) => paxosC.decision(s, { acceptors: 3, maxBallot: 1 }), b, params);
  });
});

describe("the naive protocol (FLP's example)", () => {
  it("leader rule: the expected valence report", () => {
    const b = analyzeBivalence(naive, naiveC, {});
    expect(b.status).toBe("ok");
    expect(b.graph).toMatchObject({ distinctStates: 832, complete: true });
    expect(b.counts).toEqual({ bivalent: 32, univalent: [{ value: 0, states: 384 }, { value: 1, states: 384 }], none: 32, unknown: 0 });
    // Bivalent exactly when p1 and p2 have different inputs (p0 decides the first it hears).
    expect(b.initial.map((c) => c.valence.kind)).toEqual(["univalent", "bivalent", "bivalent", "univalent", "univalent", "bivalent", "bivalent", "univalent"]);
    expect(b.adjacent).toMatchObject({ a: 0, b: 1, process: "p2", run: { decided: 0, mirrored: { decided: 0 } } });
    expect(b.lemma3!.events.map((e) => e.outcome)).toEqual(["stays-bivalent", "stays-bivalent"]);
    expect(b.lasso).toBeUndefined();
    expect(b.nonDeciding).toMatchObject({ crashed: ["p0"], undecided: ["p1", "p2"], loop: [] });
    expect(b.critical.count).toBe(8);
    expect(b.blocking.count).toBe(32);
    expect(b.blocking.first!.steps).toEqual(["Crash(p0)"]);
    checkWitnesses(naive as unknown as Spec<unknown>, (s) => naiveC.decision(s, {}), b, {});
  });
  it("quorum rule: bivalent and unsafe (two processes see different quorums)", () => {
    const b = analyzeBivalence(naive, naiveC, { params: { rule: "quorum" } });
    expect(b.status).toBe("violation");
    expect(b.safety.find((s) => s.name === "Agreement")!.counterexample!.explanation).toMatch(/p1=0, p2=1/);
    checkWitnesses(naive as unknown as Spec<unknown>, (s) => naiveC.decision(s, {}), b, { rule: "quorum" });
  });
  it("a budget gives exit-3 status and no univalent verdict on the cut part", () => {
    const b = analyzeBivalence(naive, naiveC, { maxStates: 100 });
    expect(b.status).toBe("incomplete");
    expect(b.graph.complete).toBe(false);
    expect(b.counts.univalent.every((u) => u.states === 0) || b.counts.unknown > 0).toBe(true);
    expect(b.fairCycles.conclusive).toBe(false);
  });
});

describe("commit protocols", () => {
  it("2PC with a coordinator crash blocks: a prepared RM can never decide", () => {
    const b = analyzeBivalence(twoPCCrash, twoC, {});
    expect(b.status).toBe("ok");
    expect(b.blocking.first).toMatchObject({ steps: ["RMPrepare(rm 0)", "TMCrash"], processes: ["rm0"] });
    checkWitnesses(twoPCCrash as unknown as Spec<unknown>, (s) => twoC.decision(s, {}), b, {});
  });
  it("3PC under crash-stop is non-blocking and safe; under crash-recover one commits while another aborts", () => {
    const ok = analyzeBivalence(threePC, threeC, {});
    expect([ok.status, ok.blocking.count, ok.blocking.conclusive]).toEqual(["ok", 0, true]);
    const bad = analyzeBivalence(threePC, threeC, { params: { failures: "crash-recover" } });
    expect(bad.status).toBe("violation");
    const ce = bad.safety.find((s) => s.name === "Consistent")!.counterexample!;
    expect(ce.steps).toContain("Recover(rm 0)");
    checkWitnesses(threePC as unknown as Spec<unknown>, (s) => threeC.decision(s, {}), bad, { failures: "crash-recover" });
  });
});
