/**
 * The checker's input: complete operations with an invocation and a completion point.
 * Readers (Jepsen, Porcupine, dscheck JSON) produce these; the core never parses files.
 */

/** What built-in models receive as input: the function and its argument (and key, for kv). */
export interface OpCall {
  readonly f: string;
  readonly value: unknown;
  readonly key?: string;
}

/** How an operation completed. "fail" never took effect and is dropped before checking. */
export type Completion = "ok" | "fail" | "info";

/**
 * One operation of a history. `call` and `ret` are times or positions on one clock: an
 * operation precedes another when its `ret` is strictly smaller than the other's `call`
 * (equal values count as overlapping). An indeterminate operation (completion "info", or
 * still pending at the end) may take effect at any point after `call`, or never; its `ret`
 * is Infinity and its `output` undefined.
 */
export interface Operation<I = unknown, O = unknown> {
  /** Index in the history array; explanations and the timeline refer to it. */
  readonly id: number;
  readonly process: number | string;
  readonly input: I;
  readonly output: O | undefined;
  readonly call: number;
  readonly ret: number;
  readonly completion: Completion;
  /** Where the invocation came from ("line 12", "#/ops/3"), for messages. */
  readonly source?: string;
}

/** True when the operation may or may not have taken effect. */
export function isIndeterminate(op: Operation): boolean {
  return op.completion === "info";
}

/**
 * Normalises a history for the search: drops "fail" operations, gives indeterminate ones
 * ret = Infinity and output undefined. Ids are kept so messages still name the original.
 */
export function effectiveOperations<I, O>(ops: readonly Operation<I, O>[]): Operation<I, O>[] {
  const out: Operation<I, O>[] = [];
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    if (op.completion === "fail") continue;
    out.push(op.completion === "info" ? { ...op, ret: Infinity, output: undefined } : op);
  }
  return out;
}
