/**
 * The "no two adjacent rw edges" automaton over a component: each transaction becomes two
 * states, "arrived by rw" and "arrived otherwise", and an rw edge may only leave the
 * second. A simple cycle whose rw edges are pairwise non-adjacent (G-single or
 * G-nonadjacent, which snapshot isolation forbids) is a cycle of this state graph, so a
 * state graph without an rw transition inside a component proves their absence exactly.
 */
import { EDGE, EdgeList } from "./edges.ts";
import { buildCsr, type CsrGraph } from "./graph.ts";
import { nontrivialSccs } from "./scc.ts";

/**
 * The rw edges (u, v) of the component that lie on some closed walk without adjacent rw
 * edges. Empty means the component has neither G-single nor G-nonadjacent cycles.
 */
export function nonadjacentCandidates(g: CsrGraph, scc: Int32Array, member: (v: number) => boolean): [number, number][] {
  const local = new Map<number, number>();
  scc.forEach((v, i) => local.set(v, i));
  const edges = new EdgeList();
  const rwEdges: [number, number][] = [];
  for (const u of scc) {
    const lu = local.get(u)!;
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      const v = g.targets[e];
      if (!member(v)) continue;
      const lv = local.get(v)!;
      const k = g.kinds[e];
      if (k & (EDGE.ww | EDGE.wr)) {
        edges.add(2 * lu, 2 * lv, EDGE.ww);
        edges.add(2 * lu + 1, 2 * lv, EDGE.ww);
      }
      if (k & EDGE.rw) {
        edges.add(2 * lu, 2 * lv + 1, EDGE.rw);
        rwEdges.push([u, v]);
      }
    }
  }
  const states = buildCsr(2 * scc.length, edges);
  const comp = new Int32Array(states.n).fill(-1);
  nontrivialSccs({ graph: states, mask: EDGE.ww | EDGE.rw }).forEach((c, i) => {
    for (const s of c) comp[s] = i;
  });
  return rwEdges.filter(([u, v]) => {
    const from = 2 * local.get(u)!;
    const to = 2 * local.get(v)! + 1;
    return comp[from] !== -1 && comp[from] === comp[to];
  });
}
