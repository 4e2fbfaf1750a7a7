/**
 * The linearization of a linearizable history, as operation ids in order. Each partition's
 * search found an order of its own operations that respects real time; by locality (Herlihy
 * and Wing: a history is linearizable iff each object's sub-history is) the per-key orders
 * and the real-time order together are acyclic, so they merge into one order of the whole:
 * repeatedly take a key's next operation that no unplaced operation precedes in real time
 * (returned strictly before it was called; touching operations are concurrent, as in wgl.ts).
 * Indeterminate operations that the search did not place never took effect and are left out.
 */
import type { CheckResult } from "./check.ts";
import type { Operation } from "./history.ts";

/** Undefined unless the history was found linearizable. */
export function linearizationOf(result: CheckResult): number[] | undefined {
  if (result.status !== "ok" || result.criterion !== "linearizable") return undefined;
  const queues: Operation[][] = result.partitions.map((p) => p.result.order.map((i) => p.ops[i]));
  if (queues.length === 1) return queues[0].map((op) => op.id);
  // Every placed operation by return time: the earliest unplaced return bounds which calls may come next.
  const byReturn = queues.flat().sort((a, b) => a.ret - b.ret);
  const placed = new Set<Operation>();
  const heads = queues.map(() => 0);
  const out: number[] = [];
  let earliest = 0;
  while (out.length < byReturn.length) {
    while (placed.has(byReturn[earliest])) earliest++;
    const bound = byReturn[earliest].ret;
    const k = queues.findIndex((q, j) => heads[j] < q.length && q[heads[j]].call <= bound);
    // Locality guarantees a candidate; none means the partitions' orders are not linearizations.
    if (k < 0) throw new Error("internal error: the partitions' orders do not merge into one linearization");
    const op = queues[k][heads[k]++];
    placed.add(op);
    out.push(op.id);
  }
  return out;
}
