/* Generated from traces/schemas/history-check-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * What `dscheck history check --json` prints: one object for one history file, an array for several.
 */
export type HistoryCheckReport = HistoryCheckFile | HistoryCheckFile[];

export interface HistoryCheckFile {
  tool: "dscheck";
  command: "history check";
  file: string;
  /**
   * ok (exit 0), violation (1), error: unreadable input (2), unknown: a budget ran out (3).
   */
  status: "ok" | "violation" | "unknown" | "error";
  elapsedMs: number;
  format?: string;
  model?: string;
  criterion?: "linearizable" | "sequential";
  level?: string;
  operations?: number;
  partitions?: number;
  reason?: "time" | "memory" | "cache";
  note?: string;
  explanations?: Explanation[];
  /**
   * A linearizable history (criterion linearizable, status ok): the operation ids in the order of the linearization found; an indeterminate operation that never took effect is left out.
   */
  linearization?: number[];
  timeline?: Timeline;
  /**
   * One line naming the file and the line or JSON pointer.
   */
  error?: string;
}
/**
 * A failing (or undecided) partition: the longest valid order found, the operation that could not be placed after it, and what each eligible operation does there.
 */
export interface Explanation {
  key?: string;
  criterion: "linearizable" | "sequential";
  prefix: ExplainedOperation[];
  stateAfterPrefix: string;
  blocker?: ExplainedOperation;
  attempts: ExplainedOperation[];
  timeline: string[];
}
export interface ExplainedOperation {
  id: number;
  process: number | string;
  text: string;
  source?: string;
  outcome?: string;
}
/**
 * Not ok, or with a linearization: the operations (the first 2,000 by call) and nemesis events, on the history's clock (positions in the file for event logs); ret is absent for an operation that never returned.
 */
export interface Timeline {
  operations: {
    id: number;
    process: string;
    label: string;
    call: number;
    ret?: number;
    completion: "ok" | "fail" | "info";
  }[];
  nemesis: {
    at: number;
    process: string;
    label: string;
  }[];
  truncated: boolean;
}
