/**
 * Transactional isolation checking (Elle-style): dependency graphs from list-append and
 * rw-register histories, Adya's anomalies, and the consistency ladder.
 */
export { checkIsolation, type IsolationOptions, type IsolationResult } from "./check.ts";
export { txnsFromJepsen, parseMops } from "./from-jepsen.ts";
export { parseWriteLog } from "./write-log.ts";
export { bruteForceSerializable, type OracleResult } from "./oracle.ts";
export { LEVELS, PROSCRIBED, type Level, type LevelStatus } from "./levels.ts";
export { mermaidCycles, cycleStory } from "./explain.ts";
export type { Anomaly, AnomalyType } from "./anomaly.ts";
export { HistoryError, type Txn, type Mop, type Value, type Workload, type TxnStatus } from "./txn.ts";
export type { VersionOrders } from "./rw-register.ts";
