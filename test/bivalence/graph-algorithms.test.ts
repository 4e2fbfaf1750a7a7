// The graph algorithms of checker/bivalence against brute force on generated graphs: the
// reachable-union fixpoint (valence) against a plain search from every state, and the
// fair-cycle search against an enumeration of every strongly connected set of states.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findFairCycle, isFairLoop, type FairnessInput } from "../../checker/bivalence/fair-cycle.ts";
import { components, reachableUnion } from "../../checker/bivalence/scc.ts";

interface G { n: number; adj: number[][] }

const graphArb = (maxN: number) =>
  fc.integer({ min: 1, max: maxN }).chain((n) =>
    fc.array(fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }).map((adj): G => ({ n, adj })),
  );

function csr(g: G) {
  const offsets = new Int32Array(g.n + 1);
  const targets: number[] = [];
  for (let s = 0; s < g.n; s++) {
    targets.push(...g.adj[s]);
    offsets[s + 1] = targets.length;
  }
  return { stateCount: g.n, offsets, targets: Int32Array.from(targets) };
}

/** Every state reachable from s by any path (plain DFS: the brute force). */
function reachable(g: G, s: number): Set<number> {
  const seen = new Set([s]), stack = [s];
  while (stack.length) for (const t of g.adj[stack.pop()!]) if (t >= 0 && !seen.has(t)) (seen.add(t), stack.push(t));
  return seen;
}

describe("valence fixpoint", () => {
  it("the union of labels over reachable states equals a search from every state", () => {
    fc.assert(
      fc.property(graphArb(9), fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 9, maxLength: 9 }), (g, labels) => {
        const c = csr(g);
        const local = Int32Array.from(labels.slice(0, g.n));
        const got = reachableUnion(c, components(c), local);
        for (let s = 0; s < g.n; s++) {
          let want = 0;
          for (const t of reachable(g, s)) want |= local[t];
          expect(got[s]).toBe(want);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("components: same component iff mutually reachable; edges go to equal or smaller components", () => {
    fc.assert(
      fc.property(graphArb(9), (g) => {
        const c = csr(g), cs = components(c);
        const r = Array.from({ length: g.n }, (_, s) => reachable(g, s));
        for (let a = 0; a < g.n; a++) {
          for (let b = 0; b < g.n; b++) expect(cs.comp[a] === cs.comp[b]).toBe(r[a].has(b) && r[b].has(a));
          for (const t of g.adj[a]) if (t >= 0) expect(cs.comp[t]).toBeLessThanOrEqual(cs.comp[a]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** A generated fairness instance: a graph, an owner process per edge, crashes and pending messages per state. */
const fairArb = fc
  .record({ g: graphArb(6), procs: fc.integer({ min: 1, max: 3 }), msgs: fc.integer({ min: 0, max: 2 }), seed: fc.array(fc.integer({ min: 0, max: 1 << 20 }), { minLength: 64, maxLength: 64 }) })
  .map(({ g, procs, msgs, seed }) => {
    const c = csr(g);
    let k = 0;
    const rnd = (m: number) => seed[k++ % seed.length] % m;
    const edgeProc = Int16Array.from(c.targets, () => rnd(procs + 1) - 1); // -1 environment
    const crashed = Int32Array.from({ length: g.n }, () => (rnd(4) === 0 ? 1 : 0)); // process 0 down in some states
    const pending: number[][] = Array.from({ length: g.n }, () => Array.from({ length: msgs }, (_, i) => i).filter(() => rnd(2) === 0));
    const pendStart = new Int32Array(g.n + 1), ids: number[] = [];
    for (let s = 0; s < g.n; s++) (ids.push(...pending[s]), (pendStart[s + 1] = ids.length));
    const input: FairnessInput = {
      ...c, edgeProc, crashed, pendStart, pendIds: Int32Array.from(ids), pendTo: Int32Array.from({ length: msgs }, (_, i) => i % procs), processCount: procs, maxFaulty: 1,
    };
    const candidate = Uint8Array.from({ length: g.n }, () => (rnd(5) === 0 ? 0 : 1));
    return { g, input, candidate };
  });

/** Brute force: some set S of candidate states, strongly connected by its own edges, whose full tour is fair (or one state that may stutter). */
function bruteFairExists(g: G, f: FairnessInput, cand: Uint8Array): boolean {
  for (let mask = 1; mask < 1 << g.n; mask++) {
    const S = [...Array(g.n).keys()].filter((s) => mask & (1 << s));
    if (S.some((s) => !cand[s])) continue;
    const inS = (t: number) => t >= 0 && (mask & (1 << t)) !== 0;
    const edges: [number, number][] = [];
    for (const s of S) for (let e = f.offsets[s]; e < f.offsets[s + 1]; e++) if (inS(f.targets[e]) && f.targets[e] !== s) edges.push([s, e]);
    const within = (s: number) => {
      const seen = new Set([s]), st = [s];
      while (st.length) {
        const x = st.pop()!;
        for (let e = f.offsets[x]; e < f.offsets[x + 1]; e++) if (inS(f.targets[e]) && !seen.has(f.targets[e])) (seen.add(f.targets[e]), st.push(f.targets[e]));
      }
      return seen.size === S.length;
    };
    if (!S.every(within)) continue;
    let down = 0;
    for (const s of S) down |= f.crashed[s];
    if (down.toString(2).replace(/0/g, "").length > f.maxFaulty) continue;
    const live = ((1 << f.processCount) - 1) & ~down;
    const enabled = (s: number) => {
      let m = 0;
      for (let e = f.offsets[s]; e < f.offsets[s + 1]; e++) if (f.targets[e] !== s && f.edgeProc[e] >= 0) m |= 1 << f.edgeProc[e];
      return m;
    };
    if (S.length === 1 && edges.length === 0) {
      const s = S[0], l = ((1 << f.processCount) - 1) & ~f.crashed[s];
      const pend = [...f.pendIds.slice(f.pendStart[s], f.pendStart[s + 1])].filter((m) => l & (1 << f.pendTo[m]));
      if ((enabled(s) & l) === 0 && pend.length === 0) return true;
      continue;
    }
    let ok = 0;
    for (const s of S) ok |= ~enabled(s);
    for (const [, e] of edges) if (f.edgeProc[e] >= 0) ok |= 1 << f.edgeProc[e];
    if (live & ~ok) continue;
    const always = [...Array(f.pendTo.length).keys()].filter((m) => live & (1 << f.pendTo[m]) && S.every((s) => f.pendIds.slice(f.pendStart[s], f.pendStart[s + 1]).includes(m)));
    if (always.length === 0) return true;
  }
  return false;
}

describe("fair cycles", () => {
  it("every lasso found is fair and inside the candidates; one is found exactly when brute force finds one", () => {
    fc.assert(
      fc.property(fairArb, ({ g, input, candidate }) => {
        const { lasso } = findFairCycle(input, candidate);
        if (lasso) {
          expect(isFairLoop(input, lasso.entry, lasso.loop)).toBe(true);
          let at = lasso.entry;
          expect(candidate[at]).toBe(1);
          for (const e of lasso.loop) (at = input.targets[e]), expect(candidate[at]).toBe(1);
        }
        expect(lasso !== undefined).toBe(bruteFairExists(g, input, candidate));
      }),
      { numRuns: 1500 },
    );
  });

  it("isFairLoop rejects a walk that is not closed or that starves a process", () => {
    // 0 -> 1 (p0), 1 -> 0 (p0), 1 -> 1 self-loop; p1 has a step 0 -> 2 always enabled at 0 and 1.
    const input: FairnessInput = {
      stateCount: 3, offsets: Int32Array.from([0, 2, 5, 5]), targets: Int32Array.from([1, 2, 0, 1, 2]), edgeProc: Int16Array.from([0, 1, 0, 0, 1]),
      crashed: new Int32Array(3), pendStart: new Int32Array(4), pendIds: new Int32Array(0), pendTo: new Int32Array(0), processCount: 2, maxFaulty: 0,
    };
    expect(isFairLoop(input, 0, [0])).toBe(false); // not closed
    expect(isFairLoop(input, 0, [0, 2])).toBe(false); // p1 enabled throughout, never steps
    expect(findFairCycle(input, Uint8Array.from([1, 1, 0])).lasso).toBeUndefined();
    // State 2 is terminal: stuttering there is fair.
    expect(findFairCycle(input, Uint8Array.from([1, 1, 1])).lasso).toEqual({ entry: 2, loop: [] });
  });
});
