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
  if (!txns.some((t) => t.invokeAt >= 0 && t.completeAt >= 0)) return false;
  // Events (2 * id + 1 for a completion) sorted by time; at equal times invocations go
  // first, since "before" is strict. Sort keys live in a typed array for locality.
  const ids: number[] = [];
  for (const t of txns) {
    if (t.status === "fail" || t.invokeAt < 0) continue;
    ids.push(t.id * 2);
    if (t.status === "ok" && t.completeAt >= 0) ids.push(t.id * 2 + 1);
  }
  const events = sortEvents(Int32Array.from(ids), txns);
  // The frontier: completed transactions no other completed transaction follows. It stays
  // about as small as the concurrency, so a plain array with swap-removal is fastest.
  const frontier: number[] = [];
  for (const e of events) {
    const id = e >> 1;
    if ((e & 1) === 0) {
      for (const p of frontier) edges.add(p, id, EDGE.realtime);
      continue;
    }
    // Whatever completed before this transaction began now precedes it: drop it.
    const began = txns[id].invokeAt;
    for (let i = frontier.length - 1; i >= 0; i--) {
      if (txns[frontier[i]].completeAt < began) {
        frontier[i] = frontier[frontier.length - 1];
        frontier.pop();
      }
    }
    frontier.push(id);
  }
  return true;
}

/**
 * Sorts events by (time, invocations first). Integer times in a range a few times the event
 * count (history positions, as Jepsen histories give) use a linear counting sort; other
 * times (e.g. nanoseconds) a comparison sort.
 */
function sortEvents(events: Int32Array, txns: readonly Txn[]): Int32Array {
  const time = (e: number) => (e & 1 ? txns[e >> 1].completeAt : txns[e >> 1].invokeAt);
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (const e of events) {
    const t = time(e);
    if (t < min) min = t;
    if (t > max) max = t;
    if (!Number.isInteger(t)) integral = false;
  }
  if (!integral || max - min > 8 * events.length) {
    const keys = new Float64Array(txns.length * 2);
    for (const e of events) keys[e] = time(e);
    return events.sort((a, b) => keys[a] - keys[b] || (a & 1) - (b & 1));
  }
  // Bucket by 2 * (time - min) + (completion ? 1 : 0), so invocations come first at a tie.
  const counts = new Int32Array(2 * (max - min + 1) + 1);
  for (const e of events) counts[2 * (time(e) - min) + (e & 1) + 1]++;
  for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
  const out = new Int32Array(events.length);
  for (const e of events) out[counts[2 * (time(e) - min) + (e & 1)]++] = e;
  return out;
}
