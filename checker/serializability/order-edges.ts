/**
 * Process (session) order and real-time order between transactions. Real-time edges are
 * transitively reduced as Elle does: a transaction gets edges only from the completed
 * transactions that no other completed transaction follows, which keeps the edge count
 * near (transactions x concurrency) instead of quadratic.
 */
import { EDGE, type EdgeList } from "./edges.ts";
import type { Txn } from "./txn.ts";

/** Adds `a -process-> b` between consecutive non-failed transactions of one client. */
export function addProcessEdges(txns: readonly Txn[], edges: EdgeList): void {
  const last = new Map<number | string, Txn>();
  const ordered = txns.filter((t) => t.status !== "fail" && t.process !== null && t.invokeAt >= 0);
  ordered.sort((a, b) => a.invokeAt - b.invokeAt);
  for (const t of ordered) {
    const prev = last.get(t.process!);
    if (prev && prev.completeAt >= 0 && prev.completeAt <= t.invokeAt) edges.add(prev.id, t.id, EDGE.process);
    last.set(t.process!, t);
  }
}

/**
 * Adds `a -realtime-> b` whenever a completed (ok) before b was invoked, reduced as above.
 * Returns false when no transaction records both times (real-time order is unknown).
 */
export function addRealtimeEdges(txns: readonly Txn[], edges: EdgeList): boolean {
  // Events sorted by time; at equal times invocations go first, since "before" is strict.
  const events: number[] = [];
  for (const t of txns) {
    if (t.status === "fail" || t.invokeAt < 0) continue;
    events.push(t.id * 2);
    if (t.status === "ok" && t.completeAt >= 0) events.push(t.id * 2 + 1);
  }
  if (!txns.some((t) => t.invokeAt >= 0 && t.completeAt >= 0)) return false;
  const time = (e: number) => (e & 1 ? txns[e >> 1].completeAt : txns[e >> 1].invokeAt);
  events.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1));
  const frontier = new Set<number>();
  const seenAtInvoke = new Map<number, number[]>();
  for (const e of events) {
    const id = e >> 1;
    if ((e & 1) === 0) {
      const before = [...frontier];
      for (const p of before) edges.add(p, id, EDGE.realtime);
      seenAtInvoke.set(id, before);
    } else {
      for (const p of seenAtInvoke.get(id) ?? []) frontier.delete(p);
      seenAtInvoke.delete(id);
      frontier.add(id);
    }
  }
  return true;
}
