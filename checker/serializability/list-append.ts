/**
 * List-append analysis (Elle's model): every key holds a list, transactions append unique
 * values and read whole lists. A key's version order is its longest read; every other read
 * must be a prefix of it. From that order come the ww, wr and rw edges, and from the values
 * the direct anomalies (aborted, intermediate and garbage reads, duplicates, internal).
 */
import { EDGE, type EdgeList } from "./edges.ts";
import { HistoryError, showKey, showValue, txnLabel, type Txn, type Value } from "./txn.ts";
import { AnomalyLog, type WorkloadAnalysis } from "./workload.ts";
import { checkListInternal } from "./list-internal.ts";

interface Append {
  readonly txn: number;
  /** Whether this is the writer's final append to the key. */
  readonly last: boolean;
}

interface Read {
  readonly txn: number;
  readonly value: readonly Value[];
}

/** Infers version orders and adds dependency edges to `edges`. */
export function analyzeListAppend(txns: readonly Txn[], edges: EdgeList): WorkloadAnalysis {
  const log = new AnomalyLog();
  const appends = indexAppends(txns);
  const reads = new Map<Value, Read[]>();
  const longest = new Map<Value, Read>();
  // Reads that are not a prefix of the longest; every other read's values are in the longest.
  const odd = new Map<Value, Read[]>();
  for (const t of txns) {
    if (t.status !== "ok") continue;
    if (!checkListInternal(t)) log.add("internal", [t.id], undefined, `${txnLabel(t.id)}'s reads disagree with its own earlier reads and appends`);
    for (const m of t.mops) {
      if (m.f !== "r") continue;
      const value = (m.value ?? []) as readonly Value[];
      if (!Array.isArray(value)) throw new HistoryError(t.location, `list-append read of ${showKey(m.key)} is not a list`);
      const read = { txn: t.id, value };
      (reads.get(m.key) ?? reads.set(m.key, []).get(m.key)!).push(read);
      const known = longest.get(m.key);
      if (!known) {
        longest.set(m.key, read);
        continue;
      }
      const [short, long] = value.length > known.value.length ? [known.value, value] : [value, known.value];
      if (!isPrefix(short, long)) {
        (odd.get(m.key) ?? odd.set(m.key, []).get(m.key)!).push(read);
        log.add("incompatible-order", [t.id], m.key, `${txnLabel(t.id)} read ${showKey(m.key)} = ${showValue(value)}, incompatible with the longer read ${showValue(known.value)}`);
      }
      if (value.length > known.value.length) longest.set(m.key, read);
    }
  }
  const writer = (key: Value, v: Value) => appends.get(key)?.get(v);
  const committed = (id: number) => txns[id].status !== "fail";
  // An indeterminate transaction committed if anyone read one of its appends.
  const knownCommitted = new Uint8Array(txns.length);
  for (const t of txns) if (t.status === "ok") knownCommitted[t.id] = 1;
  const positions = new Map<Value, Map<Value, number>>();
  for (const [key, l] of longest) {
    positions.set(key, new Map(l.value.map((v, i) => [v, i])));
    for (const r of [l, ...(odd.get(key) ?? [])]) {
      checkValues(txns, log, key, r, writer);
      for (const v of r.value) {
        const w = writer(key, v);
        if (w && txns[w.txn].status === "info") knownCommitted[w.txn] = 1;
      }
    }
  }

  for (const [key, keyReads] of reads) {
    const order = longest.get(key)!.value;
    const pos = positions.get(key)!;
    const badKey = odd.has(key);
    if (!badKey) {
      // Write-write: consecutive elements of the version order.
      for (let i = 0; i + 1 < order.length; i++) {
        const a = writer(key, order[i]);
        const b = writer(key, order[i + 1]);
        if (a && b && committed(a.txn) && committed(b.txn)) edges.add(a.txn, b.txn, EDGE.ww);
      }
    }
    // Committed appends no read observed still follow every observed element.
    const unseen: number[] = [];
    for (const [v, a] of appends.get(key) ?? []) if (!pos.has(v) && knownCommitted[a.txn]) unseen.push(a.txn);
    const lastWriter = order.length ? writer(key, order[order.length - 1]) : undefined;
    if (lastWriter && committed(lastWriter.txn) && !badKey) for (const u of unseen) edges.add(lastWriter.txn, u, EDGE.ww);

    for (const r of keyReads) {
      const w = lastForeignWriter(key, r, writer);
      if (w && !w.last) {
        log.add("G1b", [w.txn, r.txn], key, `${txnLabel(r.txn)} read ${showKey(key)} = ${showValue(r.value)}, ending with an intermediate append of ${txnLabel(w.txn)}`);
      }
      if (badKey) continue;
      if (w && committed(w.txn)) edges.add(w.txn, r.txn, EDGE.wr);
      if (r.value.length < order.length) {
        const next = writer(key, order[r.value.length]);
        if (next && committed(next.txn)) edges.add(r.txn, next.txn, EDGE.rw);
      } else for (const u of unseen) edges.add(r.txn, u, EDGE.rw);
    }
  }
  return { anomalies: log.anomalies, explainEdge: (a, b, kind) => explain(txns, positions, a, b, kind) };
}

/** Garbage, aborted and duplicate elements of one read (run on the longest and odd reads only). */
function checkValues(
  txns: readonly Txn[],
  log: AnomalyLog,
  key: Value,
  r: Read,
  writer: (key: Value, v: Value) => Append | undefined,
): void {
  const reader = txnLabel(r.txn);
  if (new Set(r.value).size !== r.value.length) {
    log.add("duplicate-elements", [r.txn], key, `${reader} read ${showKey(key)} = ${showValue(r.value)}, which repeats an element`);
  }
  for (const v of r.value) {
    const w = writer(key, v);
    if (!w) log.add("garbage-read", [r.txn], key, `${reader} read ${showKey(key)} = ${showValue(r.value)}, but no transaction appended ${showValue(v)}`);
    else if (txns[w.txn].status === "fail") {
      log.add("G1a", [w.txn, r.txn], key, `${reader} read ${showValue(v)} in ${showKey(key)}, appended by ${txnLabel(w.txn)}, which failed`);
    }
  }
}

/** The writer of the last element of a read that the reader did not append itself. */
function lastForeignWriter(key: Value, r: Read, writer: (key: Value, v: Value) => Append | undefined): Append | undefined {
  for (let i = r.value.length - 1; i >= 0; i--) {
    const w = writer(key, r.value[i]);
    if (w?.txn !== r.txn) return w;
  }
  return undefined;
}

function indexAppends(txns: readonly Txn[]): Map<Value, Map<Value, Append>> {
  const out = new Map<Value, Map<Value, Append>>();
  for (const t of txns) {
    const lastByKey = new Map<Value, Value>();
    for (const m of t.mops) if (m.f === "append") lastByKey.set(m.key, m.value);
    for (const m of t.mops) {
      if (m.f !== "append") continue;
      let byValue = out.get(m.key);
      if (!byValue) out.set(m.key, (byValue = new Map()));
      const prior = byValue.get(m.value);
      if (prior) {
        throw new HistoryError(t.location, `${showValue(m.value)} is appended to ${showKey(m.key)} twice (also by ${txns[prior.txn].location}); list-append needs unique values`);
      }
      byValue.set(m.value, { txn: t.id, last: lastByKey.get(m.key) === m.value });
    }
  }
  return out;
}

function isPrefix(short: readonly Value[], long: readonly Value[]): boolean {
  for (let i = 0; i < short.length; i++) if (short[i] !== long[i]) return false;
  return true;
}

function explain(
  txns: readonly Txn[],
  positions: Map<Value, Map<Value, number>>,
  a: number,
  b: number,
  kind: "ww" | "wr" | "rw",
): string | undefined {
  const A = txns[a];
  const B = txns[b];
  const appended = (t: Txn, key: Value) => t.mops.filter((m) => m.f === "append" && m.key === key).map((m) => m.value as Value);
  if (kind === "ww") {
    for (const m of A.mops) {
      if (m.f !== "append") continue;
      const later = appended(B, m.key)[0];
      if (later === undefined) continue;
      const pos = positions.get(m.key);
      const seen = pos?.has(later) ? "after it" : "after it (never read, but committed)";
      return `${txnLabel(a)} appended ${showValue(m.value)} to ${showKey(m.key)}; ${txnLabel(b)} appended ${showValue(later)} ${seen}`;
    }
    return undefined;
  }
  const [reader, writerTxn] = kind === "wr" ? [B, A] : [A, B];
  for (const m of reader.mops) {
    if (m.f !== "r" || !(Array.isArray(m.value) || m.value === null)) continue;
    const written = appended(writerTxn, m.key);
    const list = (m.value ?? []) as Value[];
    const hit = kind === "wr" ? written.find((v) => list.includes(v)) : written.find((v) => !list.includes(v));
    if (hit === undefined) continue;
    return kind === "wr"
      ? `${txnLabel(b)} read ${showKey(m.key)} = ${showValue(list)}, including ${showValue(hit)} appended by ${txnLabel(a)}`
      : `${txnLabel(a)} read ${showKey(m.key)} = ${showValue(list)} without ${showValue(hit)}, which ${txnLabel(b)} appended`;
  }
  return undefined;
}
