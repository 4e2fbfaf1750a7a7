// Builds transactions in code for tests: txn([["append","x",1],["r","x",[1]]], "ok").
import type { Mop, Txn, TxnStatus, Value } from "../../checker/serializability/txn.ts";

export type RawMop = ["append" | "w", string, Value] | ["r", string, Value | Value[] | null];

/** Transactions in the given order; each runs alone (invoke 2i, complete 2i+1) unless times are given. */
export function history(specs: { ops: RawMop[]; status?: TxnStatus; process?: number; at?: [number, number] }[]): Txn[] {
  return specs.map((s, i) => ({
    id: i,
    process: s.process ?? i,
    status: s.status ?? "ok",
    mops: s.ops.map(([f, key, value]) => ({ f, key, value }) as Mop),
    invokeAt: s.at ? s.at[0] : 2 * i,
    completeAt: s.status === "info" ? -1 : s.at ? s.at[1] : 2 * i + 1,
    location: `#/transactions/${i}`,
  }));
}

/** Shorthand: ok transactions with the given ops. */
export function oks(...txns: RawMop[][]): Txn[] {
  return history(txns.map((ops) => ({ ops })));
}
