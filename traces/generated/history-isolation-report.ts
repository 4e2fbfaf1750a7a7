/* Generated from traces/schemas/history-isolation-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * What `dscheck history isolation --json` prints: one object for one history file, an array for several.
 */
export type HistoryIsolationReport = HistoryIsolationFile | HistoryIsolationFile[];
export type Level =
  | "read-uncommitted"
  | "read-committed"
  | "repeatable-read"
  | "snapshot-isolation"
  | "serializable"
  | "strict-serializable";

export interface HistoryIsolationFile {
  tool: "dscheck";
  command: "history isolation";
  file: string;
  /**
   * ok: the level holds (exit 0), violation (1), error: unreadable input (2), unknown: a budget ran out (3).
   */
  status: "ok" | "violation" | "unknown" | "error";
  elapsedMs: number;
  level?: Level;
  workload?: "list-append" | "rw-register";
  transactions?: number;
  strongest?: Level[];
  levels?: {
    [k: string]: "holds" | "violated" | "unknown";
  };
  anomalyTypes?: string[];
  anomalies?: Anomaly[];
  searchExhausted?: boolean;
  reason?: "steps" | "time" | "memory";
  note?: string;
  mermaid?: string;
  writeLog?: string;
  /**
   * One line naming the file and the line or JSON pointer.
   */
  error?: string;
}
export interface Anomaly {
  type: string;
  txns: number[];
  key?: string;
  message: string;
  /**
   * The dependency cycle: edges between transaction ids, with their kind (ww, wr, rw, process, realtime).
   */
  cycle?: {
    from: number;
    to: number;
    kind: string;
  }[];
}
