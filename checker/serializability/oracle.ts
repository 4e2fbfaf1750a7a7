/**
 * Brute-force serializability oracle for small histories: searches for a serial order of
 * the committed transactions (every ok one, any subset of the info ones, no failed one)
 * in which each ok transaction's reads return exactly the state its predecessors left.
 * Exponential; meant for property tests with a handful of transactions.
 */
import type { Txn, Value, Workload } from "./txn.ts";

/** Outcome of the exhaustive search; `order` is a witness serial order when serializable. */
export interface OracleResult {
  readonly serializable: boolean;
  readonly order?: readonly number[];
}

type State = Map<Value, Value | Value[] | null>;

/** Decides serializability of `txns` exactly by search; refuses more than `maxTxns` candidates. */
export function bruteForceSerializable(txns: readonly Txn[], workload: Workload, maxTxns = 9): OracleResult {
  const candidates = txns.filter((t) => t.status !== "fail");
  if (candidates.length > maxTxns) throw new Error(`brute force is limited to ${maxTxns} transactions; got ${candidates.length}`);
  const mustPlace = candidates.filter((t) => t.status === "ok").length;
  const used = new Uint8Array(candidates.length);
  const order: number[] = [];
  const search = (state: State, placedOk: number): boolean => {
    if (placedOk === mustPlace) return true;
    for (let i = 0; i < candidates.length; i++) {
      if (used[i]) continue;
      const next = apply(candidates[i], state, workload);
      if (!next) continue;
      used[i] = 1;
      order.push(candidates[i].id);
      if (search(next, placedOk + (candidates[i].status === "ok" ? 1 : 0))) return true;
      order.pop();
      used[i] = 0;
    }
    return false;
  };
  return search(new Map(), 0) ? { serializable: true, order: [...order] } : { serializable: false };
}

/** Runs `t` on a copy of `state`; null when one of its (known) reads disagrees. */
function apply(t: Txn, state: State, workload: Workload): State | null {
  const next: State = new Map(state);
  for (const m of t.mops) {
    const current = next.get(m.key) ?? (workload === "list-append" ? [] : null);
    if (m.f === "append") next.set(m.key, [...(current as Value[]), m.value]);
    else if (m.f === "w") next.set(m.key, m.value);
    else if (t.status === "ok") {
      const expected = workload === "list-append" ? (m.value ?? []) : m.value;
      if (!sameValue(current, expected as Value | Value[] | null)) return null;
    }
  }
  return next;
}

function sameValue(a: Value | readonly Value[] | null, b: Value | readonly Value[] | null): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
