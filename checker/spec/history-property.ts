/**
 * History properties: "the client history recorded in this state is linearizable w.r.t. a
 * sequential model" and "the committed transactions recorded in this state are serializable"
 * as spec properties in one line each. The spec records client operations as plain data in
 * its state, in the order they happen in the run, so real-time order is event order (an
 * operation precedes another when its completion event comes before the other's invocation).
 *
 * The helpers convert the recording to the input of the linearizability checker
 * (../linearizability/check.ts, Wing & Gong / Lowe's search) or the isolation checker
 * (../serializability, Elle-style dependency graphs, Adya's anomalies), call it, and on
 * failure return the history as a textual timeline with the checker's reason.
 */
import { checkHistory, type Criterion } from "../linearizability/check.ts";
import { explainPartition, formatExplanation } from "../linearizability/explain.ts";
import type { Operation, OpCall } from "../linearizability/history.ts";
import type { Model } from "../linearizability/model.ts";
import { builtinModel, type BuiltinModelOptions } from "../linearizability/models/registry.ts";
import { renderTextTimeline } from "../linearizability/text-timeline.ts";
import { checkIsolation } from "../serializability/check.ts";
import type { Level } from "../serializability/levels.ts";
import { HistoryError, showValue, type Mop, type Txn } from "../serializability/txn.ts";
import type { CheckResult, Property, PropertyKind } from "./spec.ts";

/**
 * One recorded client event: an invocation, or its completion by the same process.
 * `value` is the argument on invoke (null for a read) and the result on ok (a read's value).
 * `key` selects a key for partitioned models such as "kv".
 */
export interface ClientEvent {
  readonly type: "invoke" | "ok" | "fail" | "info";
  readonly process: number;
  readonly f: string;
  readonly value: number | string | boolean | null;
  readonly key?: string;
}

/** Options of `linearizableHistory`. */
export interface LinearizableHistoryOptions extends BuiltinModelOptions {
  /** "atEnd" (default) checks terminal states; "always" checks every state (pending operations are indeterminate). */
  readonly kind?: Extract<PropertyKind, "always" | "atEnd">;
  /** Default "linearizable". */
  readonly criterion?: Criterion;
}

/** Pairs invocations and completions by process; event positions are the clock. Throws on a malformed history. */
export function eventsToOperations(events: readonly ClientEvent[]): Operation<OpCall, unknown>[] {
  const open = new Map<number, { e: ClientEvent; at: number }>();
  const done: { call: number; op: Omit<Operation<OpCall, unknown>, "id"> }[] = [];
  const input = (e: ClientEvent): OpCall => (e.key !== undefined ? { f: e.f, value: e.value, key: e.key } : { f: e.f, value: e.value });
  events.forEach((e, at) => {
    const pending = open.get(e.process);
    if (e.type === "invoke") {
      if (pending) throw new Error(`event ${at}: process ${e.process} invokes ${e.f} while its ${pending.e.f} (event ${pending.at}) is open`);
      open.set(e.process, { e, at });
      return;
    }
    if (!pending || pending.e.f !== e.f) throw new Error(`event ${at}: ${e.type} ${e.f} of process ${e.process} has no matching invoke`);
    open.delete(e.process);
    const ret = e.type === "info" ? Infinity : at;
    const output = e.type === "ok" ? e.value : undefined;
    done.push({ call: pending.at, op: { process: e.process, input: input(pending.e), output, call: pending.at, ret, completion: e.type, source: `event ${pending.at}` } });
  });
  for (const { e, at } of open.values()) {
    done.push({ call: at, op: { process: e.process, input: input(e), output: undefined, call: at, ret: Infinity, completion: "info", source: `event ${at}` } });
  }
  done.sort((a, b) => a.call - b.call);
  return done.map((d, id) => ({ id, ...d.op }));
}

/** The events one per line: `3  p1 ok read -> 2`. */
export function formatEvents(events: readonly ClientEvent[]): string[] {
  return events.map((e, i) => {
    const key = e.key !== undefined ? ` [${e.key}]` : "";
    const what = e.type === "invoke" ? `invoke ${e.f}${key}${e.value === null ? "" : ` ${JSON.stringify(e.value)}`}` : `${e.type} ${e.f}${key} -> ${JSON.stringify(e.value)}`;
    return `${String(i).padStart(3)}  p${e.process} ${what}`;
  });
}

// Memo of verdicts by history: explored states share histories, and the verdict is a pure function of it.
const MEMO_LIMIT = 50_000;

function memoized<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/**
 * A property: the history `historyOf(state)` is linearizable (or sequentially consistent)
 * with respect to `model`, a built-in model name ("register", "cas-register", "kv", ...)
 * or a model built with the linearizability checker's `defineModel`.
 * On failure the explanation holds the events, a timeline of every operation and the
 * checker's longest valid prefix with the operation that cannot be placed.
 */
export function linearizableHistory<S, P>(
  model: string | Model<unknown, OpCall, unknown>,
  historyOf: (state: S, params: P) => readonly ClientEvent[],
  options: LinearizableHistoryOptions = {},
): Property<S, P> {
  const m = typeof model === "string" ? builtinModel(model, options) : model;
  if (!m) throw new Error(`linearizableHistory: unknown model ${JSON.stringify(model)}`);
  const criterion = options.criterion ?? "linearizable";
  const memo = new Map<string, CheckResult>();
  const check = (state: S, params: P): CheckResult => {
    const events = historyOf(state, params);
    return memoized(memo, JSON.stringify(events), () => verdict(m, events, criterion));
  };
  return { kind: options.kind ?? "atEnd", check };
}

function verdict(model: Model<unknown, OpCall, unknown>, events: readonly ClientEvent[], criterion: Criterion): CheckResult {
  let ops: Operation<OpCall, unknown>[];
  try {
    ops = eventsToOperations(events);
  } catch (e) {
    return { holds: false, explanation: `malformed history: ${(e as Error).message}\n${formatEvents(events).join("\n")}` };
  }
  const result = checkHistory(model, ops, { criterion, ladder: criterion === "linearizable" });
  if (result.status === "ok") return true;
  const lines = [`history is not ${criterion} w.r.t. model ${model.name} (level: ${result.level})`, "history (event order = real time):"];
  lines.push(...formatEvents(events).map((l) => `  ${l}`));
  lines.push("timeline:");
  lines.push(...renderTextTimeline(ops, (op) => model.describeOperation(op.input, op.output)).map((l) => `  ${l}`));
  const failing = result.partitions.find((p) => p.result.status !== "ok");
  if (failing) lines.push(...formatExplanation(explainPartition(model, failing)));
  return { holds: false, explanation: lines.join("\n") };
}

/** One recorded transaction: its reads (with the values seen, null = initial) and writes. */
export interface TxnRecord {
  readonly process: number;
  /** ok = committed, fail = aborted, info = unknown outcome. */
  readonly status: "ok" | "fail" | "info";
  readonly mops: readonly { readonly f: "r" | "w"; readonly key: string; readonly value: number | string | null }[];
}

/** Options of `serializableHistory`. */
export interface SerializableHistoryOptions<S, P> {
  /** The isolation level that must hold (default "serializable"). */
  readonly level?: Exclude<Level, "strict-serializable">;
  /** "atEnd" (default) or "always". */
  readonly kind?: Extract<PropertyKind, "always" | "atEnd">;
  /** Each key's committed version order (values, oldest first), when the spec knows it; otherwise inferred. */
  readonly versionOrder?: (state: S, params: P) => Readonly<Record<string, readonly (number | string)[]>>;
}

/**
 * A property: the rw-register transaction history `txnsOf(state)` (values written are unique
 * per key; a read of null saw the initial state) satisfies `level`. On failure the explanation
 * lists the transactions and the anomalies (dependency cycles told step by step).
 * An undecided level ("unknown") fails too: the property never claims what was not shown.
 */
export function serializableHistory<S, P>(
  txnsOf: (state: S, params: P) => readonly TxnRecord[],
  options: SerializableHistoryOptions<S, P> = {},
): Property<S, P> {
  const level = options.level ?? "serializable";
  const check = (state: S, params: P): CheckResult => {
    const records = txnsOf(state, params);
    const order = options.versionOrder?.(state, params);
    return isolationVerdict(records, level, order);
  };
  return { kind: options.kind ?? "atEnd", check };
}

function showTxn(r: TxnRecord, id: number): string {
  const mops = r.mops.map((m) => `${m.f} ${m.key} ${showValue(m.value)}`).join(", ");
  return `T${id} p${r.process} ${r.status === "ok" ? "committed" : r.status === "fail" ? "aborted" : "unknown"}: ${mops}`;
}

function isolationVerdict(records: readonly TxnRecord[], level: Level, order?: Readonly<Record<string, readonly (number | string)[]>>): CheckResult {
  const txns: Txn[] = records.map((r, id) => ({
    id,
    process: r.process,
    status: r.status,
    mops: r.mops.map((m): Mop => (m.f === "r" ? { f: "r", key: m.key, value: m.value } : { f: "w", key: m.key, value: m.value ?? "nil" })),
    invokeAt: -1,
    completeAt: -1,
    location: `#${id}`,
  }));
  const listing = () => records.map((r, i) => `  ${showTxn(r, i)}`);
  let result;
  try {
    result = checkIsolation(txns, { workload: "rw-register", writeLog: order ? new Map(Object.entries(order)) : undefined });
  } catch (e) {
    if (!(e instanceof HistoryError)) throw e;
    return { holds: false, explanation: [`malformed transaction history: ${e.detail}`, ...listing()].join("\n") };
  }
  const status = result.levels[level];
  if (status === "holds") return true;
  const lines = [`transaction history is not ${status === "unknown" ? "shown to be " : ""}${level} (strongest level: ${result.strongest.join(", ") || "none"})`, "transactions:", ...listing()];
  if (result.anomalies.length) lines.push("anomalies:", ...result.anomalies.map((a) => `  ${a.type}: ${a.message}`));
  return { holds: false, explanation: lines.join("\n") };
}
