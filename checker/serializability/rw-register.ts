/**
 * Read-write register analysis: transactions write unique values to keys and read single
 * values (nil = the initial, unwritten state). Version orders come from a write log when
 * one is given (e.g. a database's WAL); otherwise they are inferred soundly but partially:
 * the initial state precedes every write, and a transaction that read v and then wrote w
 * puts v before w. Every reader of a version precedes every known later version (rw).
 */
import { EDGE, type EdgeList } from "./edges.ts";
import { HistoryError, showKey, showValue, txnLabel, type Txn, type Value } from "./txn.ts";
import { AnomalyLog, type WorkloadAnalysis } from "./workload.ts";

interface Write {
  readonly txn: number;
  /** Whether this is the writer's final write to the key. */
  readonly final: boolean;
}

/** A read of another transaction's (or the initial) state; value null is the initial state. */
interface ExternalRead {
  readonly txn: number;
  readonly key: Value;
  readonly value: Value | null;
}

/** Version order of each key, earliest first, as given by a write log. */
export type VersionOrders = ReadonlyMap<Value, readonly Value[]>;

/** Infers version orders (or takes them from `writeLog`) and adds dependency edges. */
export function analyzeRwRegister(txns: readonly Txn[], edges: EdgeList, writeLog?: VersionOrders): WorkloadAnalysis {
  const log = new AnomalyLog();
  const writes = indexWrites(txns);
  const reads = externalReads(txns, log);
  const committed = (id: number) => txns[id].status !== "fail";
  // later.get(key).get(v) = transactions whose version of key is known to follow v (null = initial).
  const later = new Map<Value, Map<Value | null, Set<number>>>();
  const addLater = (key: Value, v: Value | null, txn: number) => {
    let byValue = later.get(key);
    if (!byValue) later.set(key, (byValue = new Map()));
    (byValue.get(v) ?? byValue.set(v, new Set()).get(v)!).add(txn);
  };
  // Every committed write follows the initial state.
  for (const [key, byValue] of writes) for (const w of byValue.values()) if (w.final && committed(w.txn)) addLater(key, null, w.txn);
  if (writeLog) {
    for (const [logKey, values] of writeLog) {
      // A database's log may spell an integer key as a string (ArangoDB's _key): match it
      // to the history's integer key only when the history has no such string key.
      const key = writes.has(logKey) || typeof logKey !== "string" || !/^-?\d{1,15}$/.test(logKey) || !writes.has(Number(logKey)) ? logKey : Number(logKey);
      const byValue = writes.get(key);
      if (!byValue) continue;
      // Only final writes of transactions that did not fail are versions.
      const order = values.filter((v) => {
        const w = byValue.get(v);
        return w && w.final && committed(w.txn);
      });
      for (let i = 0; i + 1 < order.length; i++) {
        const a = byValue.get(order[i])!.txn;
        const b = byValue.get(order[i + 1])!.txn;
        edges.add(a, b, EDGE.ww);
        addLater(key, order[i], b);
      }
    }
  } else {
    // Writes follow reads: a transaction that read v and then wrote the key installed a later version.
    for (const r of reads) {
      const w = writes.get(r.key);
      const own = txns[r.txn].mops.some((m) => m.f === "w" && m.key === r.key);
      if (!own || !w) continue;
      addLater(r.key, r.value, r.txn);
      if (r.value !== null) {
        const prior = w.get(r.value);
        if (prior && committed(prior.txn)) edges.add(prior.txn, r.txn, EDGE.ww);
      }
    }
  }
  const readersOf = new Map<Value, Map<Value | null, number[]>>();
  for (const r of reads) {
    const w = r.value === null ? undefined : writes.get(r.key)?.get(r.value);
    const reader = txnLabel(r.txn);
    if (r.value !== null && !w) log.add("garbage-read", [r.txn], r.key, `${reader} read ${showKey(r.key)} = ${showValue(r.value)}, which no transaction wrote`);
    else if (w && txns[w.txn].status === "fail") log.add("G1a", [w.txn, r.txn], r.key, `${reader} read ${showKey(r.key)} = ${showValue(r.value)}, written by ${txnLabel(w.txn)}, which failed`);
    else if (w && w.txn === r.txn) log.add("internal", [r.txn], r.key, `${reader} read ${showKey(r.key)} = ${showValue(r.value)} before writing that value itself`);
    else if (w && !w.final) log.add("G1b", [w.txn, r.txn], r.key, `${reader} read ${showKey(r.key)} = ${showValue(r.value)}, an intermediate write of ${txnLabel(w.txn)}`);
    if (w && w.txn !== r.txn && committed(w.txn)) edges.add(w.txn, r.txn, EDGE.wr);
    // Reading an intermediate version means reading its writer's transaction, so follow the final one.
    const version = w && !w.final ? finalValue(txns[w.txn], r.key) : r.value;
    for (const t of later.get(r.key)?.get(version) ?? []) edges.add(r.txn, t, EDGE.rw);
    const byVersion = readersOf.get(r.key) ?? readersOf.set(r.key, new Map()).get(r.key)!;
    (byVersion.get(r.value) ?? byVersion.set(r.value, []).get(r.value)!).push(r.txn);
  }
  lostUpdates(txns, readersOf, log);
  return { anomalies: log.anomalies, explainEdge: (a, b, kind) => explain(txns, writes, a, b, kind) };
}

/** Two committed transactions that read the same version of a key and both wrote it. */
function lostUpdates(txns: readonly Txn[], readersOf: Map<Value, Map<Value | null, number[]>>, log: AnomalyLog): void {
  for (const [key, byVersion] of readersOf) {
    for (const [version, readers] of byVersion) {
      const writers = [...new Set(readers)].filter((id) => txns[id].status === "ok" && txns[id].mops.some((m) => m.f === "w" && m.key === key));
      if (writers.length >= 2) {
        log.add("lost-update", writers, key, `${writers.map(txnLabel).join(", ")} all read ${showKey(key)} = ${showValue(version)} and each wrote ${showKey(key)}`);
      }
    }
  }
}

/** Reads of ok transactions not preceded by their own write of the key; checks internal reads. */
function externalReads(txns: readonly Txn[], log: AnomalyLog): ExternalRead[] {
  const out: ExternalRead[] = [];
  for (const t of txns) {
    if (t.status !== "ok") continue;
    const state = new Map<Value, Value | null>();
    const written = new Set<Value>();
    let consistent = true;
    for (const m of t.mops) {
      if (m.f === "w") {
        state.set(m.key, m.value);
        written.add(m.key);
      }
      else if (m.f === "r") {
        if (Array.isArray(m.value)) throw new HistoryError(t.location, `rw-register read of ${showKey(m.key)} is a list`);
        const value = m.value as Value | null;
        if (state.has(m.key) && state.get(m.key) !== value) consistent = false;
        if (!written.has(m.key)) out.push({ txn: t.id, key: m.key, value });
        state.set(m.key, value);
      }
    }
    if (!consistent) log.add("internal", [t.id], undefined, `${txnLabel(t.id)}'s reads disagree with its own earlier reads and writes`);
  }
  return out;
}

function indexWrites(txns: readonly Txn[]): Map<Value, Map<Value, Write>> {
  const out = new Map<Value, Map<Value, Write>>();
  for (const t of txns) {
    for (const m of t.mops) {
      if (m.f !== "w") continue;
      let byValue = out.get(m.key);
      if (!byValue) out.set(m.key, (byValue = new Map()));
      const prior = byValue.get(m.value);
      if (prior) throw new HistoryError(t.location, `${showValue(m.value)} is written to ${showKey(m.key)} twice (also by ${txns[prior.txn].location}); rw-register needs unique writes`);
      byValue.set(m.value, { txn: t.id, final: finalValue(t, m.key) === m.value });
    }
  }
  return out;
}

function finalValue(t: Txn, key: Value): Value | null {
  let v: Value | null = null;
  for (const m of t.mops) if (m.f === "w" && m.key === key) v = m.value;
  return v;
}

function explain(txns: readonly Txn[], writes: Map<Value, Map<Value, Write>>, a: number, b: number, kind: "ww" | "wr" | "rw"): string | undefined {
  const A = txns[a];
  const B = txns[b];
  const wrote = (t: Txn, key: Value) => finalValue(t, key);
  for (const m of (kind === "wr" ? B : A).mops) {
    if (kind === "ww" && m.f === "w") {
      const w = wrote(B, m.key);
      if (w !== null) return `${txnLabel(a)} wrote ${showKey(m.key)} = ${showValue(wrote(A, m.key))}; ${txnLabel(b)} wrote ${showKey(m.key)} = ${showValue(w)} after it`;
    }
    if (m.f !== "r" || Array.isArray(m.value)) continue;
    const v = m.value as Value | null;
    if (kind === "wr" && v !== null && writes.get(m.key)?.get(v)?.txn === a) return `${txnLabel(b)} read ${showKey(m.key)} = ${showValue(v)}, written by ${txnLabel(a)}`;
    if (kind === "rw") {
      const w = wrote(B, m.key);
      if (w !== null && w !== v) return `${txnLabel(a)} read ${showKey(m.key)} = ${showValue(v)}, a version before ${txnLabel(b)}'s write of ${showValue(w)}`;
    }
  }
  return undefined;
}
