/**
 * Strongly connected components by an iterative Tarjan's algorithm: linear time and no
 * recursion, so 10k+ node components do not overflow the stack.
 */
import type { CsrGraph } from "./graph.ts";

/** Restricts a search to the edges whose kinds intersect `mask` and to member nodes. */
export interface Subgraph {
  readonly graph: CsrGraph;
  readonly mask: number;
  /** Nodes to consider; all nodes when absent. */
  readonly nodes?: Int32Array;
  /** Membership test matching `nodes`; all nodes when absent. */
  readonly member?: (v: number) => boolean;
}

/** Components with more than one node (the only ones that contain cycles, as there are no self-loops). */
export function nontrivialSccs(sub: Subgraph): Int32Array[] {
  const { graph: g, mask } = sub;
  const member = sub.member ?? (() => true);
  const n = g.n;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  // Explicit DFS stack of (node, next edge position).
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const result: Int32Array[] = [];
  let counter = 0;
  const roots = sub.nodes ?? allNodes(n);
  for (const root of roots) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = g.offsets[root];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth];
      const e = callEdge[depth];
      if (e < g.offsets[v + 1]) {
        callEdge[depth] = e + 1;
        if ((g.kinds[e] & mask) === 0) continue;
        const w = g.targets[e];
        if (!member(w)) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callEdge[depth] = g.offsets[w];
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) result.push(Int32Array.from(comp).sort());
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return result;
}

function allNodes(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
