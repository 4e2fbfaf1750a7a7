/**
 * A self-contained HTML page (no scripts or external resources) that draws each partition of
 * a checked history as an SVG timeline: one lane per process, one interval per operation,
 * numbered in the linearization order found (the longest valid prefix for a failing
 * partition), with the operation that cannot be placed in red. Like Porcupine's visualizer.
 */
import type { Model } from "./model.ts";
import type { CheckResult, PartitionOutcome } from "./check.ts";

const LANE_HEIGHT = 30;
const STEP = 28;
const LEFT = 90;

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function partitionSvg<I, O>(model: Model<unknown, I, O>, part: PartitionOutcome<unknown, I, O>): string {
  const { ops, result } = part;
  const lanes = [...new Set(ops.map((o) => `${o.process}`))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const laneOf = new Map(lanes.map((p, i) => [p, i]));
  const points = [...new Set(ops.flatMap((o) => (o.ret === Infinity ? [o.call] : [o.call, o.ret])))].sort((a, b) => a - b);
  const xOf = new Map(points.map((p, i) => [p, LEFT + i * STEP]));
  const right = LEFT + points.length * STEP + 20;
  const orderOf = new Map(result.order.map((i, k) => [i, k + 1]));
  const parts: string[] = [];
  lanes.forEach((p, i) => {
    const y = i * LANE_HEIGHT + 20;
    parts.push(`<text class="lane" x="4" y="${y + 4}">process ${escapeHtml(p)}</text>`);
    parts.push(`<line class="lane-line" x1="${LEFT - 6}" x2="${right}" y1="${y}" y2="${y}"/>`);
  });
  ops.forEach((op, i) => {
    const x1 = xOf.get(op.call) ?? LEFT;
    const x2 = op.ret === Infinity ? right : (xOf.get(op.ret) ?? right);
    const y = (laneOf.get(`${op.process}`) ?? 0) * LANE_HEIGHT + 10;
    const order = orderOf.get(i);
    const cls = i === result.blocker ? "op blocker" : op.ret === Infinity ? "op indeterminate" : order !== undefined ? "op placed" : "op unplaced";
    const text = model.describeOperation(op.input, op.output);
    const tip = `#${op.id} process ${op.process}: ${text}${order !== undefined ? ` (position ${order} in the order)` : ""}${op.source ? ` [${op.source}]` : ""}`;
    parts.push(
      `<g class="${cls}" data-op="${op.id}"${order !== undefined ? ` data-order="${order}"` : ""}><title>${escapeHtml(tip)}</title>` +
        `<rect x="${x1}" y="${y}" width="${Math.max(4, x2 - x1)}" height="20" rx="3"/>` +
        `<text x="${x1 + 3}" y="${y + 14}">${order !== undefined ? `${order}: ` : ""}${escapeHtml(text.length > 24 ? text.slice(0, 23) + "…" : text)}</text></g>`,
    );
  });
  const height = lanes.length * LANE_HEIGHT + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${right + 10}" height="${height}" viewBox="0 0 ${right + 10} ${height}">${parts.join("")}</svg>`;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:16px;color:#222}
section{margin-bottom:24px}.scroll{overflow-x:auto;border:1px solid #ddd;padding:4px}
.lane{font-size:11px;fill:#555}.lane-line{stroke:#eee}
.op rect{stroke:#555;stroke-width:1}.op text{font-size:10px;fill:#111;pointer-events:none}
.placed rect{fill:#c8efc8}.unplaced rect{fill:#fff}.blocker rect{fill:#f6b3b3;stroke:#b00;stroke-width:2}
.indeterminate rect{fill:#eee;stroke-dasharray:4 2}
.status-ok{color:#070}.status-violation{color:#b00}.status-unknown{color:#a60}`;

/**
 * Renders `result` (from checkHistory with `model`) as one HTML document. `title` is shown
 * at the top (the file name, typically). Failing partitions are drawn before passing ones.
 */
export function renderTimelineHtml<I, O>(model: Model<unknown, I, O>, result: CheckResult<unknown, I, O>, title: string): string {
  // The requested criterion first (failing partitions before passing ones), then the ladder step.
  const failingFirst = (list: readonly PartitionOutcome<unknown, I, O>[]) =>
    [...list].sort((a, b) => Number(a.result.status === "ok") - Number(b.result.status === "ok"));
  const ordered = [...failingFirst(result.partitions), ...(result.status !== "ok" ? failingFirst(result.sequential ?? []) : [])];
  const sections = ordered.map((p) => {
    const key = p.key !== undefined ? ` key ${escapeHtml(JSON.stringify(p.key))}` : "";
    const what = p.result.status === "ok" ? "order found" : "longest valid prefix";
    return (
      `<section data-status="${p.result.status}"><h2>${escapeHtml(p.criterion)}${key}: <span class="status-${p.result.status}">${p.result.status}</span></h2>` +
      `<p>${p.ops.length} operations; numbers give the ${what} (${p.result.order.length} placed).</p>` +
      `<div class="scroll">${partitionSvg(model, p)}</div></section>`
    );
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - dscheck timeline</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Model ${escapeHtml(model.name)}, criterion ${escapeHtml(result.criterion)}: <strong class="status-${result.status}">${result.status}</strong> (level: ${escapeHtml(result.level)}).
Green: placed in order; red: cannot be placed; grey dashed: indeterminate; white: not placed.</p>
${sections.join("\n")}
</body></html>
`;
}
