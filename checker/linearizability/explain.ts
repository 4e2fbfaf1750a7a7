/**
 * Explains a failing (or undecided) partition: the longest valid prefix the search found,
 * the operation that could not be placed after it with the state it would have had to act
 * on, what every operation that was eligible at that point does from that state, and a
 * textual timeline of the operations around it.
 */
import { ILLEGAL, type Model } from "./model.ts";
import type { Operation } from "./history.ts";
import type { PartitionOutcome } from "./check.ts";
import { renderTextTimeline } from "./text-timeline.ts";

/** One operation as the explanation shows it. */
export interface ExplainedOperation {
  readonly id: number;
  readonly process: number | string;
  readonly text: string;
  readonly source?: string;
}

export interface ViolationExplanation {
  readonly key: string | undefined;
  readonly criterion: "linearizable" | "sequential";
  /** Longest valid order found, oldest first. */
  readonly prefix: readonly ExplainedOperation[];
  /** The state after the prefix, as the model describes it. */
  readonly stateAfterPrefix: string;
  /** An operation that had to be placed next (its completion came) but could not be. */
  readonly blocker?: ExplainedOperation;
  /** Each eligible operation at that point and what the model says of it there. */
  readonly attempts: readonly (ExplainedOperation & { readonly outcome: string })[];
  /** Text lines: an ASCII timeline of the operations around the blocker. */
  readonly timeline: readonly string[];
}

function explained<I, O>(model: Model<unknown, I, O>, op: Operation<I, O>): ExplainedOperation {
  return { id: op.id, process: op.process, text: model.describeOperation(op.input, op.output), source: op.source };
}

/** Under sequential consistency only each process's next operations are eligible. */
function nextPerProcess<I, O>(ops: readonly Operation<I, O>[], placed: ReadonlySet<number>): { op: Operation<I, O>; i: number }[] {
  const seen = new Set<string>();
  const out: { op: Operation<I, O>; i: number }[] = [];
  const byCall = ops.map((op, i) => ({ op, i })).sort((a, b) => a.op.call - b.op.call || a.i - b.i);
  for (const e of byCall) {
    const p = `${typeof e.op.process}:${e.op.process}`;
    if (placed.has(e.i) || seen.has(p)) continue;
    out.push(e);
    if (e.op.ret !== Infinity) seen.add(p);
  }
  return out;
}

/** Builds the explanation of `outcome` (a partition whose result is not "ok"). */
export function explainPartition<I, O>(model: Model<unknown, I, O>, outcome: PartitionOutcome<unknown, I, O>): ViolationExplanation {
  const { ops, result } = outcome;
  const placed = new Set(result.order);
  const blockerOp = result.blocker !== undefined ? ops[result.blocker] : undefined;
  const horizon = blockerOp ? blockerOp.ret : Infinity;
  // Eligible: not placed yet and invoked before the blocker had to complete.
  const eligible = (outcome.criterion === "sequential" ? nextPerProcess(ops, placed) : ops.map((op, i) => ({ op, i })))
    .filter(({ op, i }) => !placed.has(i) && (outcome.criterion === "sequential" || op.call <= horizon))
    .slice(0, 12);
  const attempts = eligible.map(({ op }) => {
    const after = model.step(result.stateAfter, op.input, op.output);
    const outcomeText =
      after === ILLEGAL
        ? `impossible in state ${model.describeState(result.stateAfter)}`
        : `possible (state becomes ${model.describeState(after)}) but no order continues from there`;
    return { ...explained(model, op), outcome: outcomeText };
  });
  const windowIds = new Set<number>(eligible.map((e) => e.i));
  for (const i of result.order.slice(-6)) windowIds.add(i);
  const windowOps = [...windowIds].map((i) => ops[i]);
  return {
    key: outcome.key,
    criterion: outcome.criterion,
    prefix: result.order.map((i) => explained(model, ops[i])),
    stateAfterPrefix: model.describeState(result.stateAfter),
    blocker: blockerOp ? explained(model, blockerOp) : undefined,
    attempts,
    timeline: renderTextTimeline(windowOps, (op) => model.describeOperation(op.input, op.output), {
      highlight: blockerOp?.id,
      placed: new Set(result.order.map((i) => ops[i].id)),
    }),
  };
}

/** Plain-text rendering of an explanation, for the terminal. */
export function formatExplanation(e: ViolationExplanation, maxPrefix = 8): string[] {
  const lines: string[] = [];
  const where = e.key !== undefined ? ` for key ${JSON.stringify(e.key)}` : "";
  const shown = e.prefix.slice(-maxPrefix);
  const skipped = e.prefix.length - shown.length;
  lines.push(`longest ${e.criterion === "linearizable" ? "linearizable" : "sequentially consistent"} prefix${where}: ${e.prefix.length} operation(s)`);
  if (skipped > 0) lines.push(`  ... ${skipped} earlier operation(s)`);
  for (const op of shown) lines.push(`  #${op.id} p${op.process} ${op.text}`);
  lines.push(`state after the prefix: ${e.stateAfterPrefix}`);
  if (e.blocker) lines.push(`cannot place #${e.blocker.id} p${e.blocker.process} ${e.blocker.text}${e.blocker.source ? ` (${e.blocker.source})` : ""}`);
  for (const a of e.attempts) lines.push(`  #${a.id} p${a.process} ${a.text}: ${a.outcome}`);
  if (e.timeline.length > 0) {
    lines.push("operations around it (= placed in the prefix, ! cannot be placed, ~ indeterminate):");
    for (const t of e.timeline) lines.push(`  ${t}`);
  }
  return lines;
}
