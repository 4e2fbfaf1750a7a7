/**
 * Compressed sparse row (CSR) adjacency for the transaction dependency graph: one offset
 * array and one target array, duplicate edges merged with their kinds OR-ed together.
 */
import type { EdgeList } from "./edges.ts";

/** Immutable directed graph over nodes 0..n-1. Out-edges of v are targets[offsets[v]..offsets[v+1]). */
export interface CsrGraph {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly kinds: Uint8Array;
}

/** Builds the CSR graph of `edges` over `n` nodes in O(n + m log d). */
export function buildCsr(n: number, edges: EdgeList): CsrGraph {
  const m = edges.length;
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) counts[edges.from[i] + 1]++;
  for (let v = 0; v < n; v++) counts[v + 1] += counts[v];
  const fill = counts.slice(0, n);
  const rawTargets = new Int32Array(m);
  const rawKinds = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const at = fill[edges.from[i]]++;
    rawTargets[at] = edges.to[i];
    rawKinds[at] = edges.kind[i];
  }
  // Merge duplicates per node: sort each adjacency slice by target, then compact.
  const offsets = new Int32Array(n + 1);
  const targets = new Int32Array(m);
  const kinds = new Uint8Array(m);
  let out = 0;
  const scratch: number[] = [];
  for (let v = 0; v < n; v++) {
    offsets[v] = out;
    const start = counts[v];
    const end = counts[v + 1];
    if (end - start === 1) {
      targets[out] = rawTargets[start];
      kinds[out++] = rawKinds[start];
      continue;
    }
    scratch.length = 0;
    for (let i = start; i < end; i++) scratch.push(i);
    scratch.sort((a, b) => rawTargets[a] - rawTargets[b]);
    for (const i of scratch) {
      if (out > offsets[v] && targets[out - 1] === rawTargets[i]) kinds[out - 1] |= rawKinds[i];
      else {
        targets[out] = rawTargets[i];
        kinds[out++] = rawKinds[i];
      }
    }
  }
  offsets[n] = out;
  return { n, offsets, targets: targets.slice(0, out), kinds: kinds.slice(0, out) };
}

/** Kinds of the edge `from -> to`, or 0 when there is none. */
export function edgeKinds(g: CsrGraph, from: number, to: number): number {
  for (let i = g.offsets[from]; i < g.offsets[from + 1]; i++) if (g.targets[i] === to) return g.kinds[i];
  return 0;
}
