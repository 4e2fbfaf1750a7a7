/* Generated from traces/schemas/history.schema.json by `npm run gen:types`. Do not edit. */

/**
 * A recorded history of operations on one object, checked by `dscheck history check`. Each operation has its invocation and completion times on one clock (or positions); an operation precedes another when its `complete` is strictly smaller than the other's `invoke`.
 */
export interface DscheckHistory {
  $schema?: string;
  /**
   * Default model name when --model is not given (register, cas-register, multi-register, mutex, kv, set, queue, counter).
   */
  model?: string;
  /**
   * Initial model state, as --init would give it.
   */
  init?: unknown;
  ops: HistoryOperation[];
}
export interface HistoryOperation {
  /**
   * The client that ran the operation; one operation at a time per process.
   */
  process: number | string;
  /**
   * The function called, e.g. read, write, cas, get, put, append.
   */
  f: string;
  /**
   * The key, for partitioned models such as kv.
   */
  key?: string;
  /**
   * The argument of the call (a cas takes [old, new]).
   */
  input?: unknown;
  /**
   * What the call returned (status ok only).
   */
  output?: unknown;
  /**
   * Invocation time or position.
   */
  invoke: number;
  /**
   * Completion time or position; null or absent while pending (then indeterminate).
   */
  complete?: number | null;
  /**
   * ok: took effect with `output`; fail: certainly did not take effect; info: may or may not have taken effect.
   */
  status: "ok" | "fail" | "info";
}
