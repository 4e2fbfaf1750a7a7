/**
 * The HTML renderer: one self-contained page (styles and script inline, no network, opens
 * from disk) for a report or a set of reports. The page reads as plain HTML; the script only
 * adds the step selection (keyboard and click). A Content-Security-Policy allows nothing but
 * the page's own style and its one script (by hash), so nothing is loaded and no text that
 * slipped through could run.
 *
 * Everything a user, a spec or an input file wrote is escaped (`esc`); data reaches the
 * script only as JSON in a `<script type="application/json">` block.
 */
import { createHash } from "node:crypto";
import type { Conjunct, Finding, Report, ReportSet, Step } from "../model.ts";
import { SCRIPT, STYLE } from "./html-assets.ts";
import { graphFigure, historyFigure, lassoFigure, valenceClass } from "./html-figures.ts";
import { spaceTimeFigure } from "./html-space-time.ts";
import { compact, esc, scriptJson, stateLines } from "./html-text.ts";

/** What the script needs of each finding (by its section id). */
interface FindingData {
  readonly id: string;
  readonly steps: number;
  /** The step selected when the page opens: the highlighted one, else the last. */
  readonly selected: number;
}

const SCRIPT_HASH = createHash("sha256").update(SCRIPT).digest("base64");

/** The whole page for one report, or several (a summary table first). */
export function renderHtml(input: Report | ReportSet): string {
  const reports = isSet(input) ? input.reports : [input];
  const data: FindingData[] = [];
  const body = (isSet(input) ? summaryTable(input) : "") + reports.map((r, i) => reportSection(r, `r${i}`, data)).join("");
  const title = isSet(input) ? `dscheck: ${reports.length} reports (${input.verdict})` : `dscheck ${reports[0].checker}: ${reports[0].verdict} — ${reports[0].subject}`;
  // base-uri and form-action do not fall back to default-src: closed by name.
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dscheck">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head><body><main>
${body}
</main>
<script type="application/json" id="dscheck-data">${scriptJson({ findings: data })}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

function isSet(x: Report | ReportSet): x is ReportSet {
  return Array.isArray((x as ReportSet).reports);
}

function badge(verdict: string): string {
  return `<span class="badge ${esc(verdict)}">${esc(verdict)}</span>`;
}

function summaryTable(set: ReportSet): string {
  const rows = set.reports.map((r, i) => `<tr><td>${badge(r.verdict)}</td><td><a href="#r${i}">${esc(r.subject)}</a></td><td>${esc(r.checker)}</td><td>${esc(r.headline)}</td></tr>`);
  return `<header class="report-head"><div class="kicker">dscheck</div><h1>${badge(set.verdict)} ${set.reports.length} report${set.reports.length === 1 ? "" : "s"}</h1>` +
    `<table class="summary"><thead><tr><th>verdict</th><th>subject</th><th>checker</th><th>headline</th></tr></thead><tbody>${rows.join("")}</tbody></table></header>`;
}

function location(loc: Finding["location"]): string {
  if (!loc) return "";
  const where = `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ""}${loc.pointer ? `#${loc.pointer}` : ""}`;
  return `<div class="location">at ${esc(where)}</div>`;
}

function reportSection(r: Report, id: string, data: FindingData[]): string {
  const facts = r.facts.length ? `<dl class="facts">${r.facts.map((f) => `<div class="fact"><dt>${esc(f.label)}</dt><dd>${esc(typeof f.value === "number" ? f.value.toLocaleString("en-US") : f.value)}</dd></div>`).join("")}</dl>` : "";
  const warnings = r.warnings.length ? `<ul class="warnings">${r.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : "";
  const head = `<header class="report-head"><div class="kicker">dscheck ${esc(r.checker)}</div><h1>${badge(r.verdict)} <span>${esc(r.subject)}</span></h1>` +
    `<p class="headline">${esc(r.headline)}</p>${location(r.location)}${facts}${warnings}</header>`;
  const findings = r.findings.map((f, i) => findingSection(f, `${id}-f${i}`, data)).join("");
  return `<section class="report" id="${id}">${head}${findings}</section>`;
}

function findingSection(f: Finding, id: string, data: FindingData[]): string {
  const parts = [`<h2>${badge(f.verdict)} <span>${esc(f.name)}</span></h2>`, `<p class="message">${esc(f.message)}</p>`, location(f.location)];
  if (f.replay && (f.replay.command || f.replay.path)) {
    parts.push(`<div class="replay">${f.replay.command ? `<div class="muted">Reproduce:</div><pre><code>${esc(f.replay.command)}</code></pre>` : ""}` +
      `${f.replay.path ? `<div class="muted">replay path <code>${esc(f.replay.path.join("/"))}</code></div>` : ""}</div>`);
  }
  if (f.blame?.length) parts.push(blameTable(f.blame));
  if (f.spaceTime) parts.push(spaceTimeFigure(f.spaceTime, `${id}-st`));
  if (f.history) parts.push(historyFigure(f.history, `${id}-hist`));
  if (f.graph) parts.push(graphFigure(f.graph, `${id}-graph`));
  const steps = f.steps ?? [];
  if (steps.length && (f.loopsTo !== undefined || steps.some((s) => s.valence !== undefined))) parts.push(lassoFigure(steps, f.loopsTo, `${id}-lasso`));
  if (steps.length) {
    const hl = steps.findIndex((s) => s.highlight);
    data.push({ id, steps: steps.length, selected: hl >= 0 ? hl : steps.length - 1 });
    parts.push(stepList(steps, f.loopsTo, f.verdict));
  }
  return `<section class="finding ${esc(f.verdict)}" id="${id}">${parts.join("")}</section>`;
}

function blameTable(blame: readonly Conjunct[]): string {
  const rows = blame.map((c) => {
    const reads = c.reads ? `<ul class="reads">${Object.entries(c.reads).map(([k, v]) => `<li><span class="path">${esc(k)}</span> = ${esc(compact(v, 300))}</li>`).join("")}</ul>` : "";
    return `<tr class="${c.holds ? "holds" : "fails"}"><td>${esc(c.name)}</td><td class="${c.holds ? "yes" : "no"}">${c.holds ? "holds" : "fails"}</td><td>${reads}</td></tr>`;
  });
  return `<h3>Which part failed</h3><table class="blame"><thead><tr><th>conjunct</th><th>in the last state</th><th>values read</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** before → after; for two sets, the elements added and removed (a message set grows by one message a step). */
function changeText(before: unknown, after: unknown): string {
  if (before === undefined) return `<span class="after">${esc(compact(after))}</span>`;
  const a = setItems(before), b = setItems(after);
  if (a && b) {
    const key = (v: unknown) => JSON.stringify(v);
    const had = new Set(a.map(key)), has = new Set(b.map(key));
    const added = b.filter((v) => !had.has(key(v))), removed = a.filter((v) => !has.has(key(v)));
    const list = (vs: unknown[]) => vs.map((v) => compact(v, 200)).join(", ");
    return [added.length ? `<span class="after">+ ${esc(list(added))}</span>` : "", removed.length ? `<span class="before">− ${esc(list(removed))}</span>` : "", `<span class="muted">(${b.length} element${b.length === 1 ? "" : "s"})</span>`].filter(Boolean).join(" ");
  }
  return `<span class="before">${esc(compact(before))}</span><span class="arrow">→</span><span class="after">${esc(compact(after))}</span>`;
}

function setItems(v: unknown): unknown[] | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const rec = v as Record<string, unknown>;
  return Object.keys(rec).length === 1 && Array.isArray(rec["#set"]) ? rec["#set"] : undefined;
}

function stepList(steps: readonly Step[], loopsTo: number | undefined, verdict: Finding["verdict"]): string {
  const valences = steps.map((s) => s.valence).filter((v): v is string => v !== undefined);
  const items = steps.map((s, i) => {
    const call = `${s.action}(${s.args.map((a) => compact(a, 60)).join(", ")})`;
    const flags = [
      s.highlight ? `<span class="flag${verdict === "ok" ? " found-flag" : ""}">${verdict === "ok" ? "found" : verdict === "violation" ? "violates" : "here"}</span>` : "",
      loopsTo === i ? `<span class="flag loop-flag">loop starts here</span>` : "",
      s.valence !== undefined ? `<span class="chip ${valenceClass(s.valence, valences)}">${esc(s.valence)}</span>` : "",
      s.traceLine !== undefined ? `<span class="chip">trace line ${esc(s.traceLine)}</span>` : "",
      s.process !== undefined ? `<span class="chip proc" title="the process that takes this step">on ${esc(s.process)}</span>` : "",
    ].join("");
    const changes = s.changes.length ? `<ul class="changes">${s.changes.map((c) => `<li><span class="path">${esc(c.path)}</span>: ${changeText(c.before, c.after)}</li>`).join("")}</ul>` : "";
    const props = s.properties
      ? `<div class="props">${Object.entries(s.properties).map(([name, ok]) => `<span class="chip ${ok ? "holds" : "fails"}" title="${esc(`${name} ${ok ? "holds" : "fails"} in this state`)}">${ok ? "✓" : "✗"} ${esc(name)}</span>`).join("")}</div>`
      : "";
    const state = s.state === null || s.state === undefined ? "" : `<details class="state"><summary>whole state</summary><pre>${esc(stateLines(s.state))}</pre></details>`;
    return `<li class="step${s.highlight ? " hl" : ""}" data-step="${i}" data-label="${esc(s.label)}">` +
      `<div class="step-head"><span class="idx">${i}</span><span class="step-label">${esc(s.label)}</span>${call !== s.label && s.action !== "init" && s.args.length > 0 ? `<code class="call">${esc(call)}</code>` : ""}${flags}</div>` +
      `${changes}${props}${state}</li>`;
  });
  const loopRow = loopsTo !== undefined ? `<p class="muted">After step ${steps.length - 1} the run returns to step ${loopsTo} and repeats forever.</p>` : "";
  return `<div class="steps-head"><h3>Steps (${steps.length})</h3><span class="kbd-hint"><kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> move between steps</span></div><ol class="steps">${items.join("")}</ol>${loopRow}`;
}
