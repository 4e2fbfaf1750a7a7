/**
 * Checks a transaction history against the consistency ladder (read uncommitted up to
 * strict serializable): infers version orders, builds the dependency graph (ww, wr, rw,
 * and optionally process and real-time order), finds and names its cycles, and reports
 * which levels hold. Pure: no I/O, and the only clock is the injected `now`.
 *
 * Guarantees (property-tested against the brute-force oracle in oracle.ts):
 * - "violated" is sound for both workloads: every reported anomaly rules out all serial
 *   orders of the committed transactions (version orders are only inferred soundly).
 * - for list-append, "holds" for serializable is also complete (a serial order exists),
 *   because each read reveals a prefix of the version order and committed appends no one
 *   read are ordered after every full read;
 * - for rw-register without a write log, "holds" can be wrong: versions that no read orders
 *   leave cycles invisible (Elle has the same limit). A write log makes the order total.
 * - snapshot isolation is decided exactly when the non-adjacent-rw state graph has no
 *   candidate cycle, or a witness is found; otherwise (budget) it is "unknown".
 */
import { ANOMALY_ORDER, type Anomaly, type AnomalyType } from "./anomaly.ts";
import { findCycles } from "./cycle-anomalies.ts";
import { EdgeList } from "./edges.ts";
import { cycleMoral, cycleStory } from "./explain.ts";
import { buildCsr } from "./graph.ts";
import { levelStatuses, strongestLevels, type Level, type LevelStatus } from "./levels.ts";
import { analyzeListAppend } from "./list-append.ts";
import { addProcessEdges, addRealtimeEdges } from "./order-edges.ts";
import { analyzeRwRegister, type VersionOrders } from "./rw-register.ts";
import { Searcher, type Budget } from "./search.ts";
import type { Txn, Workload } from "./txn.ts";

/** Telling every cycle of a huge history helps no one; the first few per type suffice. */
const MAX_CYCLES_PER_TYPE = 20;

/** Options of one check; every field but `workload` has a default. */
export interface IsolationOptions {
  readonly workload: Workload;
  /** rw-register only: each key's version order, e.g. from a database's write log. */
  readonly writeLog?: VersionOrders;
  /** Add real-time and process-order edges (needed to judge strict serializability). */
  readonly realtime?: boolean;
  /** Add process-order edges even without real-time ones. */
  readonly processOrder?: boolean;
  /** Upper bound on cycle-search steps before undecided levels become "unknown" (default 50M). */
  readonly maxSearchSteps?: number;
  /** Wall-clock bound for cycle search, measured with `now` (default: none). */
  readonly timeoutMs?: number;
  /** Clock in milliseconds; injected so the core never reads the system clock itself. */
  readonly now?: () => number;
  /** True when the process uses more memory than allowed; injected like the clock. */
  readonly memoryExceeded?: () => boolean;
}

/** The verdict on every level, with the anomalies that rule levels out. */
export interface IsolationResult {
  readonly workload: Workload;
  readonly transactions: number;
  readonly levels: Record<Level, LevelStatus>;
  /** Levels that hold and are not implied by a stronger level that holds. */
  readonly strongest: Level[];
  /** Distinct anomaly types found, weakest-level-breaking first. */
  readonly anomalyTypes: AnomalyType[];
  /** Anomalies with evidence (capped per type); cycles carry a story in `message`. */
  readonly anomalies: Anomaly[];
  /** True when the search budget ran out, so some levels may be "unknown". */
  readonly searchExhausted: boolean;
  /** Which budget ran out: steps (--max-steps), time or memory. */
  readonly budgetReason?: "steps" | "time" | "memory";
  /** Whether real-time order was available and used. */
  readonly realtimeUsed: boolean;
}

/** Checks `txns`; throws HistoryError when the history breaks a workload assumption. */
export function checkIsolation(txns: readonly Txn[], options: IsolationOptions): IsolationResult {
  const now = options.now ?? (() => 0);
  // Roughly one data edge per micro-op plus the order edges (about ten per transaction).
  let mops = 0;
  for (const t of txns) mops += t.mops.length;
  const edges = new EdgeList(2 * mops + (options.realtime || options.processOrder ? 10 * txns.length : 0) + 1024);
  const analysis =
    options.workload === "list-append" ? analyzeListAppend(txns, edges) : analyzeRwRegister(txns, edges, options.writeLog);
  let realtimeUsed = false;
  if (options.realtime) realtimeUsed = addRealtimeEdges(txns, edges);
  if (options.realtime || options.processOrder) addProcessEdges(txns, edges);
  const graph = buildCsr(txns.length, edges);
  const budget: Budget = {
    steps: options.maxSearchSteps ?? 50_000_000,
    exhausted: false,
    deadline: options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs,
    now,
    memoryExceeded: options.memoryExceeded,
  };
  const cycles = findCycles(graph, new Searcher(graph, budget), Boolean(options.realtime || options.processOrder));
  const perType = new Map<AnomalyType, number>();
  const shown = cycles.anomalies.filter((a) => {
    const n = (perType.get(a.type) ?? 0) + 1;
    perType.set(a.type, n);
    return n <= MAX_CYCLES_PER_TYPE;
  });
  const storied = shown.map((a) => ({ ...a, message: [...cycleStory(a.cycle!, analysis), cycleMoral(a.cycle!)].join(". ") }));
  const anomalies = [...analysis.anomalies, ...storied].sort((a, b) => ANOMALY_ORDER.indexOf(a.type) - ANOMALY_ORDER.indexOf(b.type));
  const found = new Set(anomalies.map((a) => a.type));
  const undecided = new Set<Level>();
  if (cycles.siUndecided) undecided.add("snapshot-isolation");
  if (!realtimeUsed) undecided.add("strict-serializable");
  const levels = levelStatuses(found, undecided);
  // Cycle existence is exact even when a witness search ran out of budget.
  if (cycles.dataCycle) for (const l of ["repeatable-read", "serializable", "strict-serializable"] as const) levels[l] = "violated";
  if (cycles.orderedCycle && realtimeUsed) levels["strict-serializable"] = "violated";
  return {
    workload: options.workload,
    transactions: txns.length,
    levels,
    strongest: strongestLevels(levels),
    anomalyTypes: [...found].sort((a, b) => ANOMALY_ORDER.indexOf(a) - ANOMALY_ORDER.indexOf(b)),
    anomalies,
    searchExhausted: budget.exhausted,
    ...(budget.exhausted && budget.reason ? { budgetReason: budget.reason } : {}),
    realtimeUsed,
  };
}
