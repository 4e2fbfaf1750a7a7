/**
 * Strongly connected components of a CSR graph: iterative Tarjan (graphs here are deep: a
 * state graph, a log's checkpoint intervals), linear in nodes + edges. Used by the valence
 * analysis and by the Z-cycle check of checkpoints.
 * Edge targets < 0 (successors outside the constraint) are not nodes and are skipped.
 */
export interface Csr {
  readonly stateCount: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

export interface Components {
  /** Component of each state (-1 for a state outside the subset). Numbered in completion order: every edge goes to an equal or smaller component. */
  readonly comp: Int32Array;
  readonly count: number;
  /** States of component c: members[start[c] .. start[c + 1]]. */
  readonly start: Int32Array;
  readonly members: Int32Array;
}

/** SCCs of the graph restricted to the states with `inSet[s]` (all states when null). */
export function components(g: Csr, inSet: Uint8Array | null = null): Components {
  const n = g.stateCount, { offsets, targets } = g;
  const index = new Int32Array(n).fill(-1), low = new Int32Array(n), comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n), callState = new Int32Array(n), callEdge = new Int32Array(n);
  const onStack = new Uint8Array(n);
  let sp = 0, next = 0, count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0 || (inSet && !inSet[root])) continue;
    let depth = 0;
    callState[0] = root;
    callEdge[0] = offsets[root];
    index[root] = low[root] = next++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callState[depth];
      const e = callEdge[depth];
      if (e < offsets[v + 1]) {
        callEdge[depth] = e + 1;
        const w = targets[e];
        if (w < 0 || (inSet && !inSet[w])) continue;
        if (index[w] < 0) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          callState[depth] = w;
          callEdge[depth] = offsets[w];
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
      depth--;
      if (depth >= 0) {
        const u = callState[depth];
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }
  const start = new Int32Array(count + 1);
  for (let s = 0; s < n; s++) if (comp[s] >= 0) start[comp[s] + 1]++;
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  const fill = start.slice(0, count), members = new Int32Array(start[count]);
  for (let s = 0; s < n; s++) if (comp[s] >= 0) members[fill[comp[s]]++] = s;
  return { comp, count, start, members };
}
