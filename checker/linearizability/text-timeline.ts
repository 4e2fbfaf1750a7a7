/**
 * An ASCII timeline of a few operations: one row per operation, time compressed to the
 * order of the call/return points involved, so concurrency is visible at a glance.
 */
import type { Operation } from "./history.ts";

export interface TextTimelineOptions {
  /** Operation id drawn with `!` (the one that cannot be placed). */
  readonly highlight?: number;
  /** Operation ids drawn with `=` (already in the valid prefix). */
  readonly placed?: ReadonlySet<number>;
}

/** Returns one line per operation, sorted by invocation; indeterminate ones run to the right edge. */
export function renderTextTimeline<I, O>(
  ops: readonly Operation<I, O>[],
  describe: (op: Operation<I, O>) => string,
  opts: TextTimelineOptions = {},
): string[] {
  if (ops.length === 0) return [];
  const sorted = [...ops].sort((a, b) => a.call - b.call || a.id - b.id);
  const points = [...new Set(sorted.flatMap((op) => (op.ret === Infinity ? [op.call] : [op.call, op.ret])))].sort((a, b) => a - b);
  const column = new Map(points.map((p, i) => [p, i * 3]));
  const width = points.length * 3;
  const labels = sorted.map((op) => `#${op.id} p${op.process} ${describe(op)}`);
  const labelWidth = Math.min(40, Math.max(...labels.map((l) => l.length)));
  return sorted.map((op, k) => {
    const from = column.get(op.call) ?? 0;
    const to = op.ret === Infinity ? width : (column.get(op.ret) ?? width);
    const fill = op.id === opts.highlight ? "!" : op.ret === Infinity ? "~" : opts.placed?.has(op.id) ? "=" : "-";
    const bar = " ".repeat(from) + "|" + fill.repeat(Math.max(0, to - from - 1)) + (op.ret === Infinity ? ">" : "|");
    const label = labels[k].length > labelWidth ? labels[k].slice(0, labelWidth - 1) + "…" : labels[k].padEnd(labelWidth);
    return `${label} ${bar}`;
  });
}
