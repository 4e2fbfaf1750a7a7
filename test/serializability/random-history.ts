// Random small transaction histories for property tests: transactions run one after
// another, but each reads from a possibly stale snapshot (so some histories are not
// serializable), some fail or end indeterminate, and a few reads are corrupted.
import fc from "fast-check";
import type { Txn, TxnStatus, Value, Workload } from "../../checker/serializability/txn.ts";
import { history, type RawMop } from "./build.ts";

interface TxnPlan {
  ops: { read: boolean; key: number }[];
  staleness: number;
  status: TxnStatus;
  infoApplied: boolean;
  corrupt: number; // 0 = none, 1 = drop the last element / go back to nil, 2 = garbage
}

const txnPlan = fc.record({
  ops: fc.array(fc.record({ read: fc.boolean(), key: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 3 }),
  staleness: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 })),
  status: fc.constantFrom<TxnStatus>("ok", "ok", "ok", "ok", "fail", "info"),
  infoApplied: fc.boolean(),
  corrupt: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, 2),
});

/** Arbitrary history of 1-6 transactions for `workload`. */
export function randomHistory(workload: Workload): fc.Arbitrary<Txn[]> {
  return fc.array(txnPlan, { minLength: 1, maxLength: 6 }).map((plans) => run(plans, workload));
}

type State = Map<string, Value[] | Value | null>;

function run(plans: TxnPlan[], workload: Workload): Txn[] {
  const snapshots: State[] = [new Map()];
  let fresh = 1;
  const specs = plans.map((p) => {
    const base = snapshots[Math.max(0, snapshots.length - 1 - p.staleness)];
    const local: State = new Map([...base].map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
    const writes: [string, Value][] = [];
    const ops: RawMop[] = p.ops.map(({ read, key }) => {
      const k = "xyz"[key];
      if (read) {
        const v = local.get(k) ?? (workload === "list-append" ? [] : null);
        return ["r", k, Array.isArray(v) ? [...v] : v];
      }
      const v = fresh++;
      writes.push([k, v]);
      if (workload === "list-append") local.set(k, [...((local.get(k) as Value[]) ?? []), v]);
      else local.set(k, v);
      return [workload === "list-append" ? "append" : "w", k, v];
    });
    if (p.corrupt) corrupt(ops, p.corrupt, workload);
    if (p.status === "ok" || (p.status === "info" && p.infoApplied)) {
      const latest: State = new Map([...snapshots[snapshots.length - 1]].map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
      for (const [k, v] of writes) {
        if (workload === "list-append") latest.set(k, [...((latest.get(k) as Value[]) ?? []), v]);
        else latest.set(k, v);
      }
      snapshots.push(latest);
    }
    return { ops, status: p.status };
  });
  return history(specs);
}

function corrupt(ops: RawMop[], how: number, workload: Workload): void {
  const read = ops.find((o) => o[0] === "r");
  if (!read) return;
  if (how === 2) read[2] = workload === "list-append" ? [...((read[2] as Value[]) ?? []), 999] : 999;
  else read[2] = workload === "list-append" ? ((read[2] as Value[]) ?? []).slice(0, -1) : null;
}
