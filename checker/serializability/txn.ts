/**
 * The transaction model shared by every part of the isolation checker: a history is a
 * list of transactions, each a list of micro-operations on keys, with the outcome the
 * client saw (ok = committed, fail = did not commit, info = may or may not have committed).
 */

import { EdnAtom, showEdn } from "../history/edn-value.ts";

/**
 * A key, or a value written or read, compared exactly with `===`: an integer (a bigint
 * beyond 2^53), a string, or an interned EDN keyword/symbol. The integer 1, the string "1"
 * and the keyword :1 are three different keys.
 */
export type Value = number | string | bigint | EdnAtom;

/** Whether `v` can be a key or value of a transaction. */
export function isValue(v: unknown): v is Value {
  return (typeof v === "number" && Number.isFinite(v)) || typeof v === "string" || typeof v === "bigint" || (v instanceof EdnAtom && v.kind !== "char");
}

/** Which transactional workload a history comes from; it decides how versions are ordered. */
export type Workload = "list-append" | "rw-register";

/** One micro-operation. A read's value is null when unknown (e.g. in an invocation). */
export type Mop =
  | { readonly f: "append"; readonly key: Value; readonly value: Value }
  | { readonly f: "w"; readonly key: Value; readonly value: Value }
  | { readonly f: "r"; readonly key: Value; readonly value: Value | readonly Value[] | null };

export type TxnStatus = "ok" | "fail" | "info";

/** One transaction. `id` equals its position in the history's transaction array. */
export interface Txn {
  readonly id: number;
  readonly process: number | string | null;
  readonly status: TxnStatus;
  readonly mops: readonly Mop[];
  /** Position or time of the invocation; -1 when the history does not record it. */
  readonly invokeAt: number;
  /** Position or time of the completion; -1 when it never completed (info) or is unknown. */
  readonly completeAt: number;
  /** Where the transaction came from, for messages: "line 12" or "#/transactions/3". */
  readonly location: string;
}

/**
 * A history that breaks an assumption the checker relies on (e.g. the same value written
 * twice to one key). The CLI reports it like malformed input.
 */
export class HistoryError extends Error {
  constructor(
    readonly location: string | undefined,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "HistoryError";
  }
}

/** Short label of a transaction in stories and graphs: "T3". */
export function txnLabel(id: number): string {
  return `T${id}`;
}

/** Renders a value or list the way Jepsen prints it: 3, "a", :kw, [1 2 3], nil. */
export function showValue(v: Value | readonly Value[] | null | undefined): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return `[${v.map((x) => showValue(x)).join(" ")}]`;
  return typeof v === "string" ? JSON.stringify(v) : typeof v === "number" ? String(v) : showEdn(v);
}

/** A key as messages and reports name it: integers and keywords bare, strings quoted only when they would read as another key. */
export function showKey(k: Value): string {
  if (typeof k === "string") return /^(-?\d+N?|:.*|nil|true|false)$/.test(k) || k === "" || /[\s"]/.test(k) ? JSON.stringify(k) : k;
  return showValue(k);
}
