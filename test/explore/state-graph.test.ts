// The state-graph API (checker/explore/graph/state-graph.ts) against the explorer's own
// counts and against the spec itself: every edge is a real successor, every successor is an
// edge, ids give shortest paths, and bounds show up as they should.
import { describe, expect, it } from "vitest";
import { always, defineSpec, explore, exploreGraph, replay, type Spec } from "../../checker/index.ts";
import raft from "../../specs/raft-election.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { canonicalString } from "../support/brute-force-reach.ts";

/** Checks the graph's edges against a direct evaluation of the spec's actions on each state. */
function checkEdges(spec: Spec<unknown>, params: Record<string, unknown> = {}) {
  const g = exploreGraph(spec, { params });
  const keyOf = new Map<string, number>();
  for (let s = 0; s < g.stateCount; s++) keyOf.set(canonicalString(g.stateOf(s)), s);
  expect(keyOf.size).toBe(g.stateCount);
  for (let s = 0; s < g.stateCount; s++) {
    expect(g.offsets[s + 1]).toBeGreaterThanOrEqual(g.offsets[s]);
    const path = g.pathTo(s);
    for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) {
      const r = replay(spec, [...path, g.instances[e]], { params, properties: [], checkDeadlock: false });
      expect(r.status).toBe("ok");
      const next = r.trace[r.trace.length - 1].state;
      if (g.targets[e] >= 0) expect(keyOf.get(canonicalString(next))).toBe(g.targets[e]);
      expect(g.actionNames[g.actions[e]]).toBe(r.trace[r.trace.length - 1].action);
    }
  }
  return g;
}

describe("exploreGraph", () => {
  it("TwoPhase rms=3: 288 states, one edge per generated successor, each a real successor", () => {
    const g = checkEdges(twoPhase as unknown as Spec<unknown>, { rms: 3 });
    expect(g.stateCount).toBe(288);
    expect(g.edgeCount).toBe(1146 - 1);
    expect([...g.initial]).toEqual([0]);
    expect(g.expanded.every((x) => x === 1)).toBe(true);
    expect(g.result.status).toBe("ok");
  });

  it("ids are BFS order, so pathTo is a shortest path; the same counts as explore", () => {
    const g = exploreGraph(raft, { params: { servers: 2, maxTerm: 2 } });
    const r = explore(raft, { params: { servers: 2, maxTerm: 2 } });
    expect(g.stateCount).toBe(r.distinctStates);
    expect(g.edgeCount + g.initial.length).toBe(r.generatedStates);
    // Depth by BFS over the graph's own edges equals the length of pathTo.
    const depth = new Int32Array(g.stateCount).fill(-1);
    const queue = [...g.initial];
    for (const i of queue) depth[i] = 0;
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) {
        const t = g.targets[e];
        if (t >= 0 && depth[t] < 0) {
          depth[t] = depth[s] + 1;
          queue.push(t);
        }
      }
    }
    for (let s = 0; s < g.stateCount; s += 7) expect(g.pathTo(s).length - 1).toBe(depth[s]);
  });

  it("a constraint: successors outside it are edges to -1, as many as explore counts", () => {
    type C = { readonly c: number };
    const spec = defineSpec({
      name: "Bounded",
      params: {},
      init: (): C[] => [{ c: 0 }],
      actions: [
        { name: "Inc", next: (s: C) => ({ c: s.c + 1 }) },
        { name: "Reset", next: (s: C) => (s.c > 0 ? { c: 0 } : null) },
      ],
      properties: { Small: always((s: C) => s.c < 100) },
      constraint: (s: C) => s.c <= 3,
    });
    const g = checkEdges(spec as Spec<unknown>);
    expect(g.stateCount).toBe(4);
    expect([...g.targets].filter((t) => t === -1)).toHaveLength(1);
    expect(g.result.bounded?.byConstraint).toBe(1);
  });

  it("a depth bound: the states at the bound are not expanded and have no edges", () => {
    const g = exploreGraph(twoPhase, { params: { rms: 3 }, maxDepth: 2 });
    const r = explore(twoPhase, { params: { rms: 3 }, maxDepth: 2 });
    expect(g.stateCount).toBe(r.distinctStates);
    const unexpanded = [...g.expanded].filter((x) => x === 0).length;
    expect(unexpanded).toBe(r.bounded?.byDepth);
    for (let s = 0; s < g.stateCount; s++) if (!g.expanded[s]) expect(g.offsets[s + 1] - g.offsets[s]).toBe(0);
  });

  it("does not stop at a violation unless asked to check properties", () => {
    const all = exploreGraph(twoPhase, { params: { rms: 3, bug: "commitWithoutVotes" } });
    const checked = exploreGraph(twoPhase, { params: { rms: 3, bug: "commitWithoutVotes" }, checkProperties: true });
    expect(all.result.status).toBe("ok");
    expect(checked.result.status).toBe("violation");
    expect(checked.stateCount).toBeLessThan(all.stateCount);
  });
});

describe("depth-first search with a depth bound", () => {
  it("re-expands a state first reached on a longer path (0-1-2-3-4, and 0-10-3: within depth 3 both reach 4)", () => {
    type N = { readonly n: number };
    const spec = defineSpec({
      name: "Jump",
      params: {},
      init: (): N[] => [{ n: 0 }],
      actions: [
        // DFS takes 0-1-2-3 first and stops at 3 (depth 3); 3 is then found again at depth 2
        // by 0-10-3, and only a re-expansion there reaches 4, as BFS does.
        { name: "Step", next: (s: N) => (s.n < 9 ? { n: s.n + 1 } : null) },
        { name: "Detour", next: (s: N) => (s.n === 0 ? { n: 10 } : s.n === 10 ? { n: 3 } : null) },
      ],
      properties: { NotFour: always((s: N) => s.n !== 4) },
      deadlockIsError: false,
    });
    const b = explore(spec, { maxDepth: 3 });
    const d = explore(spec, { maxDepth: 3, strategy: "dfs" });
    expect(b.status).toBe("violation");
    expect(d.status).toBe("violation");
    const ok = explore({ ...spec, properties: {} }, { maxDepth: 3, strategy: "dfs" });
    expect(ok.distinctStates).toBe(explore({ ...spec, properties: {} }, { maxDepth: 3 }).distinctStates);
  });

  it.each([1, 3, 5, 8])("visits exactly the states BFS visits within depth %i (a state is re-expanded when found on a shorter path)", (maxDepth) => {
    for (const [spec, params] of [
      [raft, { servers: 3, maxTerm: 1 }],
      [twoPhase, { rms: 3 }],
    ] as const) {
      const b = explore(spec as unknown as Spec<unknown>, { params, maxDepth });
      const d = explore(spec as unknown as Spec<unknown>, { params, maxDepth, strategy: "dfs" });
      expect(d.status).toBe(b.status);
      expect(d.distinctStates).toBe(b.distinctStates);
    }
  });
});
