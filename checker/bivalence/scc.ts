/**
 * The one backward fixpoint every valence question is: "which of these bits can a state
 * reach?", computed per strongly connected component (../graph/scc.ts) in the order Tarjan
 * completes them (successors first), so one pass.
 */
import type { Components, Csr } from "../graph/scc.ts";

export { components, type Components, type Csr } from "../graph/scc.ts";

/**
 * For every state, the OR of `local` over the states it can reach (itself included): the
 * backward fixpoint, linear in states + edges. `cs` must be the components of the whole graph.
 */
export function reachableUnion(g: Csr, cs: Components, local: Int32Array): Int32Array {
  const out = new Int32Array(g.stateCount), perComp = new Int32Array(cs.count);
  const { offsets, targets } = g, { comp, start, members } = cs;
  for (let c = 0; c < cs.count; c++) {
    let m = 0;
    for (let i = start[c]; i < start[c + 1]; i++) {
      const s = members[i];
      m |= local[s];
      for (let e = offsets[s]; e < offsets[s + 1]; e++) {
        const t = targets[e];
        if (t >= 0 && comp[t] !== c) m |= perComp[comp[t]];
      }
    }
    perComp[c] = m;
    for (let i = start[c]; i < start[c + 1]; i++) out[members[i]] = m;
  }
  return out;
}

/** Whether component c has a cycle (more than one state, or a self-loop). */
export function isCyclic(g: Csr, cs: Components, c: number): boolean {
  if (cs.start[c + 1] - cs.start[c] > 1) return true;
  const s = cs.members[cs.start[c]];
  for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) if (g.targets[e] === s) return true;
  return false;
}
