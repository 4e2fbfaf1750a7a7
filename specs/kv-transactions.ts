/**
 * Two transactions over a two-key store, under strict two-phase locking (Eswaran, Gray,
 * Lorie and Traiger, "The Notions of Consistency and Predicate Locks in a Database System",
 * CACM 1976) or snapshot isolation with first-committer-wins (Berenson et al., "A Critique of
 * ANSI SQL Isolation Levels", SIGMOD 1995). The committed history is checked with the
 * Elle-style isolation checker (Adya's anomalies: Adya, Liskov and O'Neil, ICDE 2000).
 *
 * Workloads (`--param workload=`):
 * - `writeSkew` (default): T0 reads x and y and writes x; T1 reads x and y and writes y.
 * - `lostUpdate`: T0 and T1 both read x and write x.
 *
 * `mode=2pl` (default): shared locks for reads, exclusive locks for writes, all held to
 * commit; a transaction that cannot get a lock may abort (no-wait, which also breaks the
 * deadlock of two readers upgrading). Serializable: the explorer exits 0.
 * `--param bug=noReadLocks` (2pl): reads take no lock, so both transactions read the initial
 * x and y and commit their writes: write skew, a G2-item cycle T0 -rw-> T1 -rw-> T0 (or, with
 * workload=lostUpdate, a lost update); the explorer prints the cycle and exits 1.
 * `mode=snapshot`: reads see the snapshot taken at begin; a commit aborts when another
 * transaction committed a write to one of its keys after its begin. Write skew is allowed
 * (Serializable fails) but lost update is not (SnapshotIsolation holds in both workloads).
 *
 * Measured (distinct / generated): 2pl writeSkew 54 / 68, lostUpdate 41 / 47; noReadLocks
 * writeSkew 54 / 74 (violation); snapshot writeSkew 47 / 69 (violation), lostUpdate 34 / 47.
 */
import { defineSpec, range, serializableHistory, setAt, sometimes, type TxnRecord } from "dscheck";

type Key = "x" | "y";
type Val = number | null;
type Mop = { readonly f: "r" | "w"; readonly key: Key; readonly value: Val };
type Status = "idle" | "running" | "committed" | "aborted";

interface Txn {
  readonly pc: number;
  readonly status: Status;
  /** Snapshot isolation: the commit count and the store at begin. */
  readonly start: number;
  readonly snapshot: Readonly<Record<Key, Val>>;
  /** Micro-operations done so far (reads with the value seen). */
  readonly done: readonly Mop[];
  readonly writes: Readonly<Partial<Record<Key, number>>>;
}

export interface KvState {
  readonly store: Readonly<Record<Key, Val>>;
  /** Commit number of the last committed write of each key (0 = initial). */
  readonly lastCommit: Readonly<Record<Key, number>>;
  readonly commits: number;
  /** Shared lock holders per key, and the exclusive lock holder (or null). */
  readonly readLocks: Readonly<Record<Key, readonly boolean[]>>;
  readonly writeLock: Readonly<Record<Key, number | null>>;
  readonly txns: readonly Txn[];
  /** Finished transactions, in completion order: the history the checker sees. */
  readonly log: readonly TxnRecord[];
  /** Committed values of each key in commit order (the version order). */
  readonly versions: Readonly<Record<Key, readonly number[]>>;
}

const KEYS: readonly Key[] = ["x", "y"];

function script(workload: string, t: number): readonly Mop[] {
  const w: Mop = { f: "w", key: workload === "lostUpdate" || t === 0 ? "x" : "y", value: t + 1 };
  const reads: Mop[] = (workload === "lostUpdate" ? ["x"] : ["x", "y"]).map((key) => ({ f: "r", key: key as Key, value: null }));
  return [...reads, w];
}

type P = { readonly workload: string; readonly mode: string; readonly bug: string };

/** The state after transaction t performs its next micro-operation, or null when a lock blocks it. */
function step(s: KvState, t: number, p: P): KvState | null {
  const tx = s.txns[t];
  const mop = script(p.workload, t)[tx.pc];
  const k = mop.key;
  const other = (holder: number | null) => holder !== null && holder !== t;
  const twoPL = p.mode === "2pl";
  let { readLocks, writeLock } = s;
  if (mop.f === "r") {
    const own = tx.writes[k];
    const value: Val = own ?? (twoPL ? s.store[k] : tx.snapshot[k]);
    if (twoPL && p.bug !== "noReadLocks") {
      if (other(writeLock[k])) return null;
      readLocks = { ...readLocks, [k]: setAt(readLocks[k], t, true) };
    }
    const txn: Txn = { ...tx, pc: tx.pc + 1, done: [...tx.done, { ...mop, value }] };
    return { ...s, readLocks, txns: setAt(s.txns, t, txn) };
  }
  if (twoPL) {
    if (other(writeLock[k]) || readLocks[k].some((held, u) => held && u !== t)) return null;
    writeLock = { ...writeLock, [k]: t };
  }
  const txn: Txn = { ...tx, pc: tx.pc + 1, done: [...tx.done, mop], writes: { ...tx.writes, [k]: mop.value as number } };
  return { ...s, writeLock, txns: setAt(s.txns, t, txn) };
}

/** Ends transaction t (committed or aborted), releasing its locks and logging it. */
function finish(s: KvState, t: number, commit: boolean): KvState {
  const tx = s.txns[t];
  const readLocks = { x: setAt(s.readLocks.x, t, false), y: setAt(s.readLocks.y, t, false) };
  const writeLock = { x: s.writeLock.x === t ? null : s.writeLock.x, y: s.writeLock.y === t ? null : s.writeLock.y };
  const log = [...s.log, { process: t, status: commit ? "ok" : "fail", mops: tx.done } as TxnRecord];
  const txns = setAt(s.txns, t, { ...tx, status: commit ? ("committed" as const) : ("aborted" as const) });
  if (!commit) return { ...s, readLocks, writeLock, log, txns };
  const commits = s.commits + 1;
  let { store, lastCommit, versions } = s;
  for (const k of KEYS) {
    const v = tx.writes[k];
    if (v === undefined) continue;
    store = { ...store, [k]: v };
    lastCommit = { ...lastCommit, [k]: commits };
    versions = { ...versions, [k]: [...versions[k], v] };
  }
  return { ...s, store, lastCommit, versions, commits, readLocks, writeLock, log, txns };
}

export default defineSpec({
  name: "KvTransactions",
  description: "two transactions on keys x, y under strict 2PL or snapshot isolation",
  params: {
    workload: { default: "writeSkew", choices: ["writeSkew", "lostUpdate"], description: "the two transactions' scripts" },
    mode: { default: "2pl", choices: ["2pl", "snapshot"], description: "concurrency control" },
    bug: { default: "none", choices: ["none", "noReadLocks"], description: "seeded bug (2pl): reads take no locks" },
  },
  init: () => [
    {
      store: { x: null, y: null },
      lastCommit: { x: 0, y: 0 },
      commits: 0,
      readLocks: { x: [false, false], y: [false, false] },
      writeLock: { x: null, y: null },
      txns: range(2).map((): Txn => ({ pc: 0, status: "idle", start: 0, snapshot: { x: null, y: null }, done: [], writes: {} })),
      log: [],
      versions: { x: [], y: [] },
    } as KvState,
  ],
  actions: [
    {
      name: "Begin",
      args: () => range(2).map((t) => [t] as const),
      next: (s: KvState, [t]) =>
        s.txns[t].status === "idle" ? { ...s, txns: setAt(s.txns, t, { ...s.txns[t], status: "running" as const, start: s.commits, snapshot: s.store }) } : null,
    },
    {
      name: "Step",
      args: () => range(2).map((t) => [t] as const),
      next: (s: KvState, [t], p) => {
        const tx = s.txns[t];
        return tx.status === "running" && tx.pc < script(p.workload, t).length ? step(s, t, p) : null;
      },
    },
    {
      // No-wait: a transaction blocked on a lock gives up.
      name: "Abort",
      args: () => range(2).map((t) => [t] as const),
      next: (s: KvState, [t], p) => {
        const tx = s.txns[t];
        if (tx.status !== "running" || tx.pc >= script(p.workload, t).length || step(s, t, p) !== null) return null;
        return finish(s, t, false);
      },
    },
    {
      // Under snapshot isolation the first committer wins: abort if a written key changed since begin.
      name: "Commit",
      args: () => range(2).map((t) => [t] as const),
      next: (s: KvState, [t], p) => {
        const tx = s.txns[t];
        if (tx.status !== "running" || tx.pc < script(p.workload, t).length) return null;
        const conflict = p.mode === "snapshot" && KEYS.some((k) => tx.writes[k] !== undefined && s.lastCommit[k] > tx.start);
        return finish(s, t, !conflict);
      },
    },
  ],
  properties: {
    Serializable: serializableHistory((s: KvState) => s.log, { versionOrder: (s: KvState) => s.versions }),
    SnapshotIsolation: serializableHistory((s: KvState) => s.log, { level: "snapshot-isolation", versionOrder: (s: KvState) => s.versions }),
    BothCommit: sometimes((s: KvState) => s.txns.every((tx) => tx.status === "committed")),
  },
  deadlockIsError: false,
  formatAction: (name, args) => `${name}(T${args[0]})`,
});
