/**
 * The other pictures of the HTML report, as inline SVG: a history's operation lanes, an
 * isolation anomaly's dependency cycle, and a bivalence lasso with its valences.
 */
import type { GraphView, HistoryOperation, HistoryView, Step } from "../model.ts";
import { clip, esc } from "./html-text.ts";

const OP_H = 24;
const ROW_GAP = 6;

/**
 * Operations per process: a bar from call to return (open to the right when the operation
 * never returned). Overlapping operations of one process (an indeterminate one, then the
 * next) are stacked in sub-rows. Numbers above the bars are the linearization order.
 */
export function historyFigure(h: HistoryView, figureId: string): string {
  const lanes = [...h.processes];
  for (const o of h.operations) if (!lanes.includes(o.process)) lanes.push(o.process);
  const times = h.operations.flatMap((o) => (o.returnAt === undefined ? [o.callAt] : [o.callAt, o.returnAt]));
  const t0 = Math.min(0, ...times.filter(Number.isFinite)), t1raw = Math.max(t0 + 1, ...times.filter(Number.isFinite));
  const open = h.operations.some((o) => o.returnAt === undefined);
  const t1 = open ? t1raw + (t1raw - t0) * 0.12 + 1 : t1raw;
  const nameW = Math.min(170, Math.max(56, 20 + 7.4 * Math.max(0, ...lanes.map((p) => p.length))));
  // The page's width (about 1,060 px), wider (scrolling) only for long histories.
  const x0 = nameW + 16, plotW = Math.max(1040 - x0, 16 * h.operations.length);
  const x = (t: number) => x0 + ((t - t0) / (t1 - t0)) * plotW;
  const order = new Map((h.linearization ?? []).map((id, i) => [id, i + 1]));

  // Stack each lane's operations into the first sub-row they fit in.
  const rowsOf = new Map<string, { op: HistoryOperation; row: number }[]>();
  for (const p of lanes) {
    const ends: number[] = [];
    const ops = h.operations.filter((o) => o.process === p).sort((a, b) => a.callAt - b.callAt);
    rowsOf.set(p, ops.map((op) => {
      const end = op.returnAt ?? t1;
      let row = ends.findIndex((e) => e < op.callAt);
      if (row < 0) row = ends.push(end) - 1;
      else ends[row] = end;
      return { op, row };
    }));
  }
  const parts: string[] = [];
  let top = 26;
  for (const p of lanes) {
    const placed = rowsOf.get(p)!;
    const rows = Math.max(1, ...placed.map((r) => r.row + 1));
    const laneH = rows * (OP_H + ROW_GAP) + 18;
    parts.push(`<line class="lane" x1="${x0 - 8}" y1="${top + laneH - 4}" x2="${x0 + plotW + 8}" y2="${top + laneH - 4}"/>`);
    parts.push(`<text class="lane-name" x="${nameW}" y="${top + 14 + OP_H / 2}"><title>${esc(p)}</title>${esc(clip(p, 22))}</text>`);
    for (const { op, row } of placed) parts.push(operationBar(op, x, top + 14 + row * (OP_H + ROW_GAP), x0 + plotW, order.get(op.id)));
    top += laneH;
  }
  const width = x0 + plotW + 24, height = top + 8;
  const what = h.linearization ? (h.partial ? "numbers: the longest linearizable prefix found" : "numbers: the linearization found") : "";
  const svg = `<svg class="history" role="img" aria-label="history: ${lanes.length} processes, ${h.operations.length} operations" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
  const legend = `<div class="legend">${["ok", "fail", "info", "nemesis"].map((s) => `<span class="lg"><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" rx="2" class="op ${s}"/></svg>${s === "info" ? "info (indeterminate)" : s}</span>`).join("")}` +
    `<span class="lg"><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" rx="2" class="op ok hl"/></svg>could not be placed</span>${what ? `<span class="lg muted">${what}</span>` : ""}</div>`;
  return `<figure class="figure history-figure" id="${figureId}"><figcaption>History <span class="muted">(${lanes.length} processes, ${h.operations.length} operations)</span></figcaption><div class="scroll">${svg}</div>${legend}</figure>`;
}

function operationBar(op: HistoryOperation, x: (t: number) => number, y: number, xMax: number, rank: number | undefined): string {
  const xa = x(op.callAt), xb = op.returnAt === undefined ? xMax : Math.max(x(op.returnAt), xa + 6);
  const w = xb - xa;
  const cls = ["op", op.status, op.highlight ? "hl" : "", op.returnAt === undefined ? "open" : ""].filter(Boolean).join(" ");
  const title = `${op.process}: ${op.label} [${op.status}] called at ${op.callAt}${op.returnAt === undefined ? ", never returned" : `, returned at ${op.returnAt}`}${rank ? `, #${rank} in the order` : ""}`;
  // A label that does not fit in its bar goes after it.
  const fits = op.label.length * 6.6 + 10 <= w;
  const text = fits || w > 120
    ? `<text class="op-label" x="${xa + 5}" y="${y + OP_H / 2 + 4}">${esc(clip(op.label, Math.floor((w - 8) / 6.6)))}</text>`
    : `<text class="op-label outside" x="${xb + 4}" y="${y + OP_H / 2 + 4}">${esc(clip(op.label, 24))}</text>`;
  const badge = rank ? `<g class="rank"><circle cx="${xa}" cy="${y}" r="8"/><text x="${xa}" y="${y + 3.5}">${rank}</text></g>` : "";
  return `<g class="${cls}" data-op="${esc(op.id)}"><title>${esc(title)}</title><rect x="${xa}" y="${y}" width="${w}" height="${OP_H}" rx="3"/>${text}${badge}</g>`;
}

/** A small graph (the dependency cycle), its nodes on a circle, edges curved so both directions show. */
export function graphFigure(g: GraphView, figureId: string): string {
  const n = g.nodes.length;
  const radius = n <= 1 ? 0 : Math.max(80, n * 30);
  const cx = radius + 90, cy = radius + 50;
  const pos = new Map(g.nodes.map((node, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    return [node.id, { x: cx + radius * Math.cos(a), y: cy + radius * Math.sin(a) }];
  }));
  const parts = [`<defs><marker id="${figureId}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="var(--edge)"/></marker></defs>`];
  const NODE_R = 22;
  for (const e of g.edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    let d: string, lx: number, ly: number;
    if (a === b) {
      d = `M${a.x - 10} ${a.y - NODE_R + 2} C${a.x - 40} ${a.y - 80}, ${a.x + 40} ${a.y - 80}, ${a.x + 10} ${a.y - NODE_R + 2}`;
      lx = a.x; ly = a.y - 66;
    } else {
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy);
      const ux = dx / len, uy = dy / len;
      const sx = a.x + ux * NODE_R, sy = a.y + uy * NODE_R, ex = b.x - ux * (NODE_R + 3), ey = b.y - uy * (NODE_R + 3);
      const bend = 0.18 * len;
      const qx = (sx + ex) / 2 - uy * bend, qy = (sy + ey) / 2 + ux * bend;
      d = `M${sx} ${sy} Q${qx} ${qy} ${ex} ${ey}`;
      lx = (sx + 2 * qx + ex) / 4; ly = (sy + 2 * qy + ey) / 4;
    }
    parts.push(`<g class="edge"><title>${esc(`${e.from} → ${e.to}: ${e.label}`)}</title><path d="${d}" marker-end="url(#${figureId}-arrow)"/><text x="${lx}" y="${ly + 4}">${esc(clip(e.label, 24))}</text></g>`);
  }
  for (const node of g.nodes) {
    const p = pos.get(node.id)!;
    parts.push(`<g class="node"><title>${esc(node.label)}</title><circle cx="${p.x}" cy="${p.y}" r="${NODE_R}"/><text x="${p.x}" y="${p.y + 4}">${esc(clip(node.label, 7))}</text></g>`);
  }
  const width = 2 * cx, height = 2 * cy;
  const svg = `<svg class="graph" role="img" aria-label="graph: ${n} nodes, ${g.edges.length} edges" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
  return `<figure class="figure graph-figure" id="${figureId}"><figcaption>Dependency graph <span class="muted">(${n} nodes, ${g.edges.length} edges)</span></figcaption><div class="scroll">${svg}</div></figure>`;
}

/** The CSS class of a valence: bivalent, or the n-th distinct decided valence. */
export function valenceClass(valence: string, all: readonly string[]): string {
  if (/^bivalent$/i.test(valence)) return "val-bi";
  const decided = [...new Set(all.filter((v) => !/^bivalent$/i.test(v)))].sort();
  const i = decided.indexOf(valence);
  return i < 0 ? "val-none" : `val-${i % 4}`;
}

/** A bivalence lasso: one dot per step coloured by its valence, and the arc back to `loopsTo`. */
export function lassoFigure(steps: readonly Step[], loopsTo: number | undefined, figureId: string): string {
  const valences = steps.map((s) => s.valence ?? "");
  const STEP = 46, x0 = 30, y = 46;
  const parts = [`<defs><marker id="${figureId}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="var(--edge)"/></marker></defs>`];
  steps.forEach((s, i) => {
    const x = x0 + i * STEP;
    if (i > 0) parts.push(`<line class="lasso-link" x1="${x - STEP + 10}" y1="${y}" x2="${x - 11}" y2="${y}" marker-end="url(#${figureId}-arrow)"/>`);
    const cls = s.valence ? valenceClass(s.valence, valences.filter(Boolean)) : "val-none";
    parts.push(`<g class="lasso-step ${cls}${s.highlight ? " hl" : ""}" data-steps="${i}"><title>${esc(`step ${i}: ${s.label}${s.valence ? ` (${s.valence})` : ""}`)}</title><circle cx="${x}" cy="${y}" r="9"/><text x="${x}" y="${y + 26}">${i}</text></g>`);
  });
  if (loopsTo !== undefined && loopsTo >= 0 && loopsTo < steps.length && steps.length > 0) {
    const xa = x0 + (steps.length - 1) * STEP, xb = x0 + loopsTo * STEP;
    const lift = Math.min(38, 16 + (xa - xb) / 8);
    parts.push(`<g class="loop"><title>${esc(`the run loops back to step ${loopsTo} forever`)}</title><path d="M${xa} ${y - 11} C${xa} ${y - 11 - lift}, ${xb} ${y - 11 - lift}, ${xb} ${y - 12}" marker-end="url(#${figureId}-arrow)"/></g>`);
  }
  const width = x0 + Math.max(1, steps.length) * STEP, height = 86;
  const distinct = [...new Set(valences.filter(Boolean))];
  const legend = `<div class="legend">${distinct.map((v) => `<span class="lg"><svg width="14" height="14"><circle cx="7" cy="7" r="5" class="${valenceClass(v, distinct)}"/></svg>${esc(v)}</span>`).join("")}${loopsTo !== undefined ? `<span class="lg muted">the arc: loops back to step ${loopsTo}</span>` : ""}</div>`;
  return `<figure class="figure lasso-figure" id="${figureId}"><figcaption>Run${loopsTo !== undefined ? " (a lasso)" : ""} with valences</figcaption><div class="scroll"><svg class="lasso" role="img" aria-label="lasso of ${steps.length} steps" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg></div>${legend}</figure>`;
}
