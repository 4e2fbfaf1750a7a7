/**
 * Turns a Jepsen history (as traces/jepsen/read.ts produces it) into transactions: each
 * client invocation is paired with its completion on the same process; an invocation that
 * never completes is "info"; a completion without an invocation (histories that record
 * only outcomes, like GRAIL's test cases) has no real-time position. Nemesis and other
 * non-client operations are skipped.
 */
import type { JepsenOp, JepsenValue } from "../history/jepsen-op.ts";
import { nameOf, showEdn } from "../history/edn-value.ts";
import { HistoryError, isValue, type Mop, type Txn, type TxnStatus, type Value } from "./txn.ts";

/** Converts client `txn` operations into transactions; positions in `ops` serve as times. */
export function txnsFromJepsen(ops: readonly JepsenOp[]): Txn[] {
  const txns: Txn[] = [];
  const pending = new Map<string, { op: JepsenOp; at: number }>();
  const make = (op: JepsenOp, status: TxnStatus, invokeAt: number, completeAt: number, source: JepsenValue): void => {
    txns.push({
      id: txns.length,
      process: op.process ?? null,
      status,
      mops: parseMops(source, op.location, status !== "ok"),
      invokeAt,
      completeAt,
      location: op.location,
    });
  };
  ops.forEach((op, at) => {
    const process = op.process as number | string | null | undefined;
    if (typeof process === "string" || (op.f !== "txn" && op.f !== undefined && op.f !== null && op.f !== "")) return;
    const lane = String(process ?? "");
    const open = pending.get(lane);
    if (op.type === "invoke") {
      if (open) throw new HistoryError(op.location, `process ${lane} invoked again before its operation at ${open.op.location} completed`);
      pending.set(lane, { op, at });
      return;
    }
    pending.delete(lane);
    // Failed and indeterminate transactions keep what they tried to write; their reads are unknown.
    const source = op.type === "ok" || !open ? op.value : open.op.value;
    make(op, op.type, open ? open.at : -1, op.type === "info" ? -1 : at, source);
  });
  for (const { op, at } of pending.values()) make(op, "info", at, -1, op.value);
  return txns;
}

/** Parses `[[f k v] ...]`; reads of transactions that did not succeed are made unknown (nil). */
export function parseMops(value: JepsenValue, location: string, forgetReads: boolean): Mop[] {
  if (!Array.isArray(value)) throw new HistoryError(location, `a transaction's value must be a list of [f k v] micro-operations`);
  return value.map((raw, i) => {
    if (!Array.isArray(raw) || raw.length !== 3) throw new HistoryError(location, `micro-operation ${i} must be [f k v]`);
    const [rawF, k, v] = raw;
    // Keys and values keep their type: the integer 1, the string "1" and :1 are distinct.
    if (!isValue(k)) throw new HistoryError(location, `micro-operation ${i} has a key that is not an integer, string or keyword`);
    const key = k;
    const f = nameOf(rawF);
    if (f === "append" || f === "w") {
      if (!isValue(v)) throw new HistoryError(location, `micro-operation ${i} writes a value that is not an integer, string or keyword`);
      return { f, key, value: v };
    }
    if (f === "r") {
      if (forgetReads || v === null) return { f, key, value: null };
      if (isValue(v)) return { f, key, value: v };
      if (Array.isArray(v) && v.every((x): x is Value => isValue(x))) return { f, key, value: v };
      throw new HistoryError(location, `micro-operation ${i} reads a value that is not nil, a scalar or a list of scalars`);
    }
    const shown = showEdn(rawF);
    throw new HistoryError(location, `micro-operation ${i} has f ${shown.length > 40 ? shown.slice(0, 37) + "..." : shown}; expected append, r or w`);
  });
}
