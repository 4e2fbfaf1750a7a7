// The explorer against an independent brute-force reference on random small transition
// graphs: same reachable set, TLC's counts, shortest counterexamples.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { always, defineSpec, explore, replayStates, Model } from "../../checker/index.ts";

interface Graph {
  nodes: number;
  inits: number[];
  edges: [number, number][]; // may contain self-loops and duplicates
  bad: number[];
}

const graphArb = fc
  .integer({ min: 1, max: 12 })
  .chain((nodes) =>
    fc.record({
      nodes: fc.constant(nodes),
      inits: fc.uniqueArray(fc.nat(nodes - 1), { minLength: 1, maxLength: 3 }),
      edges: fc.array(fc.tuple(fc.nat(nodes - 1), fc.nat(nodes - 1)), { maxLength: 30 }),
      bad: fc.uniqueArray(fc.nat(nodes - 1), { maxLength: 2 }),
    }),
  );

/** Each edge is one action instance; states are records so the encoder is exercised too. */
function specOf(g: Graph) {
  return defineSpec({
    name: "Graph",
    params: {},
    init: () => g.inits.map((n) => ({ node: n })),
    actions: [
      {
        name: "Edge",
        args: () => g.edges.map((e, i) => [i] as const),
        next: (s: { node: number }, [i]: readonly [number]) => (g.edges[i][0] === s.node ? { node: g.edges[i][1] } : null),
      },
    ],
    properties: { NotBad: always((s: { node: number }) => !g.bad.includes(s.node)) },
    deadlockIsError: false,
  });
}

/** Plain BFS over the adjacency list: reachable set, TLC counts, distance to the nearest bad node. */
function reference(g: Graph) {
  const dist = new Map<number, number>();
  const queue: number[] = [];
  for (const i of g.inits) if (!dist.has(i)) { dist.set(i, 0); queue.push(i); }
  let generated = g.inits.length;
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h];
    for (const [a, b] of g.edges) {
      if (a !== u) continue;
      generated++;
      if (!dist.has(b)) { dist.set(b, dist.get(u)! + 1); queue.push(b); }
    }
  }
  const badDistances = [...dist].filter(([n]) => g.bad.includes(n)).map(([, d]) => d);
  return { reachable: dist.size, generated, shortestBad: badDistances.length ? Math.min(...badDistances) : undefined };
}

describe("explorer vs brute force", () => {
  it("BFS: same counts when the invariant holds, a shortest counterexample when it does not", () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const ref = reference(g);
        const r = explore(specOf(g));
        if (ref.shortestBad === undefined) {
          expect(r.status).toBe("ok");
          expect(r.distinctStates).toBe(ref.reachable);
          expect(r.generatedStates).toBe(ref.generated);
        } else {
          expect(r.status).toBe("violation");
          const v = r.violation!;
          if (!("path" in v)) throw new Error("expected a path");
          expect(v.path.length - 1).toBe(ref.shortestBad);
          // The path is real: replaying it ends in a bad node.
          const states = replayStates(new Model(specOf(g) as never), v.path) as { node: number }[];
          expect(g.bad).toContain(states[states.length - 1].node);
          expect(v.reproduced).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("DFS visits the same reachable set; simulation never reports a false violation", () => {
    fc.assert(
      fc.property(graphArb, fc.nat(), (g, seed) => {
        const ref = reference(g);
        const d = explore(specOf(g), { strategy: "dfs" });
        const sim = explore(specOf(g), { strategy: "simulate", seed, runs: 20, maxDepth: 20 });
        if (ref.shortestBad === undefined) {
          expect(d.status).toBe("ok");
          expect(d.distinctStates).toBe(ref.reachable);
          expect(d.generatedStates).toBe(ref.generated);
          expect(sim.status).toBe("ok");
        } else {
          expect(d.status).toBe("violation");
          expect(sim.status === "ok" || sim.status === "violation").toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("max-depth bounds BFS to the states within that distance", () => {
    fc.assert(
      fc.property(graphArb, fc.nat(4), (g, depth) => {
        const noBad = { ...g, bad: [] };
        const r = explore(specOf(noBad), { maxDepth: depth });
        const dist = new Map<number, number>();
        const q: number[] = [];
        for (const i of g.inits) if (!dist.has(i)) { dist.set(i, 0); q.push(i); }
        for (let h = 0; h < q.length; h++) for (const [a, b] of g.edges) if (a === q[h] && !dist.has(b)) { dist.set(b, dist.get(a)! + 1); q.push(b); }
        // States at depth <= maxDepth are discovered (those at maxDepth are found but not expanded).
        expect(r.distinctStates).toBe([...dist.values()].filter((d) => d <= depth).length);
        expect(r.status).toBe("ok");
      }),
      { numRuns: 200 },
    );
  });

  it("a simulation run is reproducible from its seed", () => {
    const g: Graph = { nodes: 6, inits: [0], edges: [[0, 1], [1, 2], [2, 0], [1, 3], [3, 4], [4, 5], [5, 1]], bad: [5] };
    const a = explore(specOf(g), { strategy: "simulate", seed: 42, runs: 50 });
    const b = explore(specOf(g), { strategy: "simulate", seed: 42, runs: 50 });
    expect(a.status).toBe("violation");
    expect(a.seed).toBe(42);
    expect(a.violation && "path" in a.violation ? a.violation.path : []).toEqual(b.violation && "path" in b.violation ? b.violation.path : null);
  });
});
