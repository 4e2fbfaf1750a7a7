/**
 * A small self-contained HTML report of one isolation check: the level ladder, each
 * anomaly with its story, each cycle drawn as inline SVG (no scripts, no network), and
 * the Mermaid source for pasting into tools that render it.
 */
import type { Anomaly } from "./anomaly.ts";
import type { IsolationResult } from "./check.ts";
import { mermaidCycles } from "./explain.ts";
import { LEVELS } from "./levels.ts";
import { txnLabel } from "./txn.ts";

const COLORS: Record<string, string> = { ww: "#1f77b4", wr: "#2ca02c", rw: "#d62728", process: "#9467bd", realtime: "#7f7f7f" };

/** The whole report as one HTML document. `title` is usually the history's file name. */
export function htmlReport(title: string, result: IsolationResult): string {
  const rows = LEVELS.map((l) => `<tr><td>${l}</td><td class="${result.levels[l]}">${result.levels[l]}</td></tr>`).join("");
  const items = result.anomalies.slice(0, 100).map((a) => anomalyHtml(a)).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dscheck isolation: ${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse}td{border:1px solid #ccc;padding:.2rem .6rem}
.holds{color:#2ca02c}.violated{color:#d62728;font-weight:bold}.unknown{color:#b8860b}
li{margin:.8rem 0}pre{background:#f4f4f4;padding:.6rem;overflow:auto}
</style></head><body>
<h1>Isolation check: ${esc(title)}</h1>
<p>${result.transactions} transactions, ${result.workload} workload. Strongest level satisfied: <b>${esc(result.strongest.join(", ") || "none")}</b>${result.searchExhausted ? " (cycle search ran out of budget)" : ""}.</p>
<table>${rows}</table>
<h2>Anomalies (${result.anomalyTypes.length ? esc(result.anomalyTypes.join(", ")) : "none"})</h2>
<ol>${items}</ol>
<h2>Mermaid source</h2>
<pre>${esc(mermaidCycles(result.anomalies))}</pre>
</body></html>
`;
}

function anomalyHtml(a: Anomaly): string {
  const story = a.message.split(". ").map((s) => `<div>${esc(s)}</div>`).join("");
  return `<li><b>${esc(a.type)}</b>${a.key !== undefined ? ` on key ${esc(a.key)}` : ""}${story}${a.cycle ? cycleSvg(a) : ""}</li>`;
}

/** Nodes on a circle, one arrow per step, coloured by edge kind. */
function cycleSvg(a: Anomaly): string {
  const steps = a.cycle!;
  const n = steps.length;
  const r = 30 + 18 * n;
  const size = 2 * r + 80;
  const at = (i: number) => [size / 2 + r * Math.cos((2 * Math.PI * i) / n - Math.PI / 2), size / 2 + r * Math.sin((2 * Math.PI * i) / n - Math.PI / 2)];
  const parts: string[] = [];
  steps.forEach((s, i) => {
    const [x1, y1] = at(i);
    const [x2, y2] = at((i + 1) % n);
    const len = Math.hypot(x2 - x1, y2 - y1) || 1;
    const [ex, ey] = [x2 - ((x2 - x1) * 22) / len, y2 - ((y2 - y1) * 22) / len];
    parts.push(`<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${ex.toFixed(1)}" y2="${ey.toFixed(1)}" stroke="${COLORS[s.kind]}" stroke-width="2" marker-end="url(#h)"/>`);
    parts.push(`<text x="${((x1 + x2) / 2).toFixed(1)}" y="${((y1 + y2) / 2).toFixed(1)}" fill="${COLORS[s.kind]}" font-size="12">${s.kind}</text>`);
  });
  steps.forEach((s, i) => {
    const [x, y] = at(i);
    parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="18" fill="#fff" stroke="#333"/><text x="${x.toFixed(1)}" y="${(y + 4).toFixed(1)}" text-anchor="middle" font-size="12">${txnLabel(s.from)}</text>`);
  });
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${esc(a.type)} cycle"><defs><marker id="h" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker></defs>${parts.join("")}</svg>`;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
