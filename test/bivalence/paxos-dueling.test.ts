// Paxos with dueling proposers (specs/paxos-dueling.ts): bivalence finds the fair livelock
// of two proposers preempting each other, and none under the leader rule; explore's counts
// against the brute force; the seeded bug breaks Agreement. The lasso is checked without
// the analysis's own machinery: replayed, its loop must return to an equal state, every
// process must step in it, every link holding a request in it must be delivered on in it,
// and every state of it must be undecided and bivalent by a plain search of the graph.
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeBivalence, explore, replay, type BivalenceResult, type Spec } from "../../checker/index.ts";
import paxosDueling, { consensus, type DuelState } from "../../specs/paxos-dueling.ts";
import { bruteForceReach, canonicalString, defaultParams, type ReachableSpec } from "../support/brute-force-reach.ts";

const spec = paxosDueling as unknown as Spec<unknown>;
const P = 2, A = 2; // the defaults

/** The whole reachable graph by a plain BFS (canonical strings as keys), and the decision values each state can reach. */
function graphOf(overrides: Record<string, unknown>) {
  const params = defaultParams(paxosDueling.params, overrides) as never;
  const index = new Map<string, number>();
  const states: DuelState[] = [];
  const succ: number[][] = [];
  const add = (s: DuelState) => {
    const k = canonicalString(s);
    let i = index.get(k);
    if (i === undefined) index.set(k, (i = states.push(s) - 1));
    return i;
  };
  for (const s of paxosDueling.init(params)) add(s);
  for (let i = 0; i < states.length; i++) {
    const out: number[] = [];
    for (const a of paxosDueling.actions) {
      for (const args of a.argsFrom ? [...a.argsFrom(states[i], params)] : a.args!(params)) {
        const next = a.next!(states[i], args as never, params);
        if (next) out.push(add(next));
      }
    }
    succ.push(out);
  }
  // Reachable chosen values (bit v), by iterating to the fixpoint over the edges.
  const reach = states.map((s) => s.chosen.reduce((m, v) => m | (1 << v), 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = states.length - 1; i >= 0; i--) {
      let m = reach[i];
      for (const j of succ[i]) m |= reach[j];
      if (m !== reach[i]) (reach[i] = m), (changed = true);
    }
  }
  return { index, states, succ, reach, key: (s: unknown) => index.get(canonicalString(s)) };
}

/** Replays a path, which must hold every property of the spec along it. */
function replayOk(path: readonly number[], params: Record<string, unknown>) {
  const r = replay(spec, path, { params, checkDeadlock: false });
  expect(r.status).toBe("ok");
  return r.trace;
}

/** The process of a step, read off the action and its arguments (proposers 0..P-1, then acceptors). */
const stepProcess = (action: string, args: readonly unknown[]) => (action === "Receive" ? P + (args[0] as number) : (args[0] as number));

describe("Paxos with dueling proposers", () => {
  it("explore: every property holds; the counts are the brute force's", () => {
    for (const [params, distinct, generated] of [
      [{}, 7720, 19204],
      [{ leader: true }, 1904, 4204],
      [{ acceptors: 1 }, 212, 372],
    ] as const) {
      const r = explore(spec, { params });
      const bf = bruteForceReach(paxosDueling as unknown as ReachableSpec, params);
      expect([r.status, r.distinctStates, r.generatedStates], JSON.stringify(params)).toEqual(["ok", bf.distinct, bf.generated]);
      expect([bf.distinct, bf.generated]).toEqual([distinct, generated]);
    }
  });

  it("bug=ignoreVotes: two values chosen, an Agreement violation for explore and for bivalence", () => {
    const params = { bug: "ignoreVotes" };
    const r = explore(spec, { params, properties: ["Agreement"] });
    const v = r.violation!;
    expect(v.property).toBe("Agreement");
    if (!("path" in v)) throw new Error("no counterexample path");
    // Replayed, Agreement first fails at the path's last state, where both values are chosen.
    const agreementEnd = (path: readonly number[]) => {
      const rr = replay(spec, path, { params, properties: ["Agreement"], checkDeadlock: false });
      expect(rr.violation).toMatchObject({ property: "Agreement", step: path.length - 1 });
      expect((rr.trace.at(-1)!.state as DuelState).chosen).toEqual([0, 1]);
    };
    agreementEnd(v.path);
    const b = analyzeBivalence(paxosDueling, consensus, { params });
    expect(b.status).toBe("violation");
    const agreement = b.safety.find((c) => c.name === "Agreement")!;
    expect(agreement.holds).toBe(false);
    agreementEnd(agreement.counterexample!.path);
  });

  describe("bivalence", () => {
    let dueling: BivalenceResult;
    let g: ReturnType<typeof graphOf>;
    beforeAll(() => {
      dueling = analyzeBivalence(paxosDueling, consensus, {});
      g = graphOf({});
    });

    it("a bivalent initial configuration and a fair lasso of bivalent configurations: the duel", () => {
      const b = dueling;
      expect(b.status).toBe("ok");
      expect(b.graph).toMatchObject({ distinctStates: 7720, complete: true });
      expect(b.safety.every((c) => c.holds)).toBe(true);
      // Inputs (v1,v1) (v1,v2) (v2,v1) (v2,v2): bivalent exactly when the proposers' inputs differ.
      expect(b.initial.map((c) => c.valence.kind)).toEqual(["univalent", "bivalent", "bivalent", "univalent"]);
      expect(b.initial.map((c) => g.reach[g.key(replayOk(c.path, {})[0].state)!])).toEqual([1, 3, 3, 2]);
      expect(b.adjacent).toMatchObject({ a: 0, b: 1, process: "p1", run: { decided: "v1", mirrored: { decided: "v1" } } });
      expect(b.lasso).toBeDefined();
      expect(b.lasso).toMatchObject({ crashed: [], undecided: ["p0", "p1", "a1", "a2"] });
    });

    it("the lasso replays, its loop returns to an equal state and is fair, by an independent check", () => {
      const l = dueling.lasso!;
      expect(l.loop.length).toBeGreaterThan(0);
      const prefix = replayOk(l.prefix.path, {});
      const whole = replayOk(l.replayPath, {});
      expect(whole.length).toBe(prefix.length + l.loop.length);
      expect(canonicalString(whole.at(-1)!.state)).toBe(canonicalString(prefix.at(-1)!.state));
      const loopSteps = whole.slice(prefix.length); // the steps of one round
      const loopStates = whole.slice(prefix.length - 1).map((t) => t.state as DuelState); // its states, first = last
      expect(loopSteps.map((t) => t.label)).toEqual(l.loopSteps);
      // Every process takes a (non-stuttering) step in the loop.
      const stepped = new Set<number>();
      loopSteps.forEach((t, i) => {
        if (canonicalString(t.state) !== canonicalString(loopStates[i])) stepped.add(stepProcess(t.action, t.args));
      });
      expect([...stepped].sort()).toEqual([0, 1, 2, 3]);
      // Every link that holds a request somewhere in the loop is delivered on in the loop, so no
      // message to a (live) process waits through it.
      for (let p = 0; p < P; p++) for (let a = 0; a < A; a++) {
        if (!loopStates.some((s) => s.link[p * A + a] !== null)) continue;
        expect(loopSteps.some((t) => t.action === "Receive" && t.args[0] === a && t.args[1] === p), `link p${p}->a${a + 1}`).toBe(true);
      }
      // The duel: both proposers start new ballots in the loop; nothing is chosen, both values stay reachable.
      for (const p of [0, 1]) expect(loopSteps.some((t) => t.action === "Phase1a" && t.args[0] === p)).toBe(true);
      // Each retry takes the top gap (above every ballot): integer ballots (round, proposer) can do that.
      for (const t of loopSteps) if (t.action === "Phase1a") expect(t.args[1]).toBe(t.args[2]);
      for (const s of loopStates) {
        expect(s.chosen).toEqual([]);
        expect(g.reach[g.key(s)!]).toBe(3);
      }
      // The loop's states are states of the graph, and each step is one of its edges.
      for (let i = 0; i + 1 < loopStates.length; i++) expect(g.succ[g.key(loopStates[i])!]).toContain(g.key(loopStates[i + 1]));
    });

    it("leader=true: still bivalent initially, but every fair run decides", () => {
      const b = analyzeBivalence(paxosDueling, consensus, { params: { leader: true } });
      expect(b.status).toBe("ok");
      expect(b.initial.map((c) => c.valence.kind)).toEqual(["univalent", "bivalent", "bivalent", "univalent"]);
      expect([b.lasso, b.nonDeciding, b.blocking.count]).toEqual([undefined, undefined, 0]);
      expect(b.fairCycles).toEqual({ bivalent: 0, nonDeciding: 0, conclusive: true });
      expect(b.critical.count).toBeGreaterThan(0);
      for (const c of b.critical.shown) replayOk(c.path, { leader: true });
      // Independently: the undecided states form an acyclic graph with no dead end, so every run
      // (fair or not) reaches a decision.
      const h = graphOf({ leader: true });
      const undecided = (i: number) => h.states[i].chosen.length === 0;
      const color = new Uint8Array(h.states.length);
      const dfs = (i: number): void => {
        color[i] = 1;
        for (const j of h.succ[i]) {
          if (j === i || !undecided(j)) continue;
          expect(color[j], "a cycle of undecided states").not.toBe(1);
          if (color[j] === 0) dfs(j);
        }
        color[i] = 2;
      };
      for (let i = 0; i < h.states.length; i++) {
        if (!undecided(i)) continue;
        expect(h.succ[i].some((j) => j !== i), "an undecided state with no step").toBe(true);
        if (color[i] === 0) dfs(i);
      }
    });
  });
});
