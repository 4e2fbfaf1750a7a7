/**
 * The lattice of consistent cuts, counted or listed for small logs. Consistency is a
 * pairwise condition on positions (p's last event inside the cut may know of no event of q
 * outside it: VC[q] <= position of q), so a depth-first assignment process by process,
 * pruned by the pairs already assigned, never reaches a dead end: every pairwise-consistent
 * partial cut extends (by the downward closure of its events). The cost is
 * O(cuts x processes^2).
 */
import type { VectorClocks } from "./clocks.ts";
import type { Computation } from "./computation.ts";

export interface LatticeResult {
  /** Consistent cuts counted (exact when `complete`). */
  readonly count: number;
  readonly complete: boolean;
  /** The cuts, when asked for (at most `listLimit`). */
  readonly cuts?: number[][];
}

export function consistentCuts(comp: Computation, clocks: VectorClocks, options: { maxCuts: number; list?: boolean; listLimit?: number }): LatticeResult {
  const n = comp.processes.length;
  const cut = new Array<number>(n).fill(0);
  const cuts: number[][] = [];
  const listLimit = options.listLimit ?? options.maxCuts;
  let count = 0;
  let stopped = false;
  // clockAt(p, k): the clock of p's k-th event (k >= 1), i.e. what position k of p knows.
  const knows = (p: number, k: number, q: number) => (k === 0 ? 0 : clocks[p][k - 1][q]);
  const visit = (p: number): void => {
    if (stopped) return;
    if (p === n) {
      if (count >= options.maxCuts) {
        stopped = true;
        return;
      }
      count++;
      if (options.list && cuts.length < listLimit) cuts.push(cut.slice());
      return;
    }
    for (let k = 0; k <= comp.events[p].length && !stopped; k++) {
      let ok = true;
      for (let q = 0; q < p && ok; q++) ok = knows(p, k, q) <= cut[q] && knows(q, cut[q], p) <= k;
      if (!ok) continue;
      cut[p] = k;
      visit(p + 1);
    }
  };
  visit(0);
  return { count, complete: !stopped, ...(options.list ? { cuts } : {}) };
}
