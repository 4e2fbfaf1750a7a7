/**
 * GitHub-flavoured Markdown of a Report (a PR comment, a job summary): the verdict and
 * headline, a facts table, and per finding its message, blame table, step table and a
 * Mermaid diagram (./mermaid.ts), and the command that replays it. Text from specs and input
 * files is escaped for tables and HTML (`<`, `>`, `&`, `|`, and Markdown's emphasis and
 * link characters), so a hostile label cannot add markup, and cannot mention anyone.
 */
import type { Finding, Report, ReportSet, Step } from "../model.ts";
import { valueText } from "../values.ts";
import { mermaidOf } from "./mermaid.ts";

const ICON = { ok: "✅", violation: "❌", incomplete: "⏳", error: "⚠️" } as const;

/** Inline text: HTML and Markdown specials escaped, one line, no @mention. */
export function mdText(s: string): string {
  // Markdown's specials first, then HTML's (so the entities' own `#` and `;` stay as they are).
  // An "@name" from a spec or an input file would notify that user or team where the report
  // is posted (a PR comment): a word joiner (U+2060, invisible) after the "@" keeps it text.
  return String(s)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/@(?=[\p{L}\p{N}_-])/gu, "@\u2060")
    .replace(/\r\n?|\n/g, " ");
}

/** A line of its own: inline text that also cannot start a block (heading, rule, quote, list, indented code). */
function mdLine(s: string): string {
  return mdText(s).trimStart().replace(/^[#>+=-]/, (c) => `\\${c}`).replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A code span that no backtick inside can end. */
function code(s: string): string {
  const one = String(s).replace(/\r\n?|\n/g, " ");
  const ticks = "`".repeat(Math.max(1, ...[...one.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks} ${one} ${ticks}`;
}

function fence(lang: string, body: string): string[] {
  const ticks = "`".repeat(Math.max(3, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)));
  return [ticks + lang, body, ticks];
}

function stepTable(steps: readonly Step[]): string[] {
  const props = [...new Set(steps.flatMap((s) => Object.keys(s.properties ?? {})))];
  const hasValence = steps.some((s) => s.valence !== undefined);
  const head = ["#", "step", "changes", ...(hasValence ? ["valence"] : []), ...props.map(mdText)];
  const out = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  steps.slice(0, 500).forEach((s, i) => {
    const changes = s.changes.map((c) => (i === 0 ? `${c.path} = ${valueText(c.after, 60)}` : `${c.path}: ${valueText(c.before, 40)} → ${valueText(c.after, 40)}`));
    const cells = [
      s.highlight ? `**${i}**` : String(i),
      s.highlight ? `**${mdText(s.label)}**` : mdText(s.label),
      changes.map(mdText).join("<br>") || " ",
      ...(hasValence ? [mdText(s.valence ?? "")] : []),
      ...props.map((p) => (s.properties?.[p] === undefined ? " " : s.properties[p] ? "✓" : "✗")),
    ];
    out.push(`| ${cells.join(" | ")} |`);
  });
  if (steps.length > 500) out.push("", `(${steps.length - 500} more steps: see the JSON or HTML report)`);
  return out;
}

function findingMd(f: Finding): string[] {
  const out = [`#### ${ICON[f.verdict]} ${mdText(f.name)}`, "", ...f.message.split(/\r\n?|\n/).map((l) => mdLine(l) + "  "), ""];
  if (f.location) out.push(`At ${code(`${f.location.file}${f.location.line !== undefined ? `:${f.location.line}` : ""}${f.location.pointer ? `#${f.location.pointer}` : ""}`)}`, "");
  if (f.blame?.length) {
    out.push("| conjunct | in the last state | values read |", "|---|---|---|");
    for (const c of f.blame) {
      const reads = Object.entries(c.reads ?? {}).map(([k, v]) => `${mdText(k)} = ${mdText(valueText(v, 60))}`).join("<br>");
      out.push(`| ${mdText(c.name)} | ${c.holds ? "holds" : "**fails**"} | ${reads || " "} |`);
    }
    out.push("");
  }
  if (f.steps?.length) out.push(...stepTable(f.steps), "");
  if (f.loopsTo !== undefined) out.push(`Then back to step ${f.loopsTo}, forever.`, "");
  if (f.history) {
    const h = f.history;
    out.push("| process | operations (call, return) |", "|---|---|");
    for (const p of h.processes) {
      const ops = h.operations.filter((o) => o.process === p).slice(0, 50).map((o) => {
        const t = `${mdText(o.label)} (${o.callAt}, ${o.returnAt ?? "…"})${o.status === "ok" ? "" : ` ${o.status}`}`;
        return o.highlight ? `**${t}**` : t;
      });
      out.push(`| ${mdText(p)} | ${ops.join("; ") || " "} |`);
    }
    out.push("");
    if (h.linearization) out.push(`${h.partial ? "Longest linearizable prefix" : "Linearization"}: ${h.linearization.map(mdText).join(" → ") || "(empty)"}`, "");
  }
  const diagram = mermaidOf(f);
  if (diagram) out.push(...fence("mermaid", diagram), "");
  if (f.replay?.command) out.push("Replay:", "", ...fence("sh", f.replay.command), "");
  return out;
}

function reportMd(r: Report, level: string): string[] {
  const out = [`${level} ${ICON[r.verdict]} dscheck ${r.checker}: ${mdText(r.subject)}`, "", `**${mdText(r.headline)}**`, ""];
  if (r.location) out.push(`At ${code(`${r.location.file}${r.location.line !== undefined ? `:${r.location.line}` : ""}${r.location.pointer ? `#${r.location.pointer}` : ""}`)}`, "");
  if (r.facts.length) {
    out.push("| | |", "|---|---|");
    for (const f of r.facts) out.push(`| ${mdText(f.label)} | ${mdText(String(f.value))} |`);
    out.push("");
  }
  for (const f of r.findings) out.push(...findingMd(f));
  for (const w of r.warnings) out.push(`> warning: ${mdText(w)}`, "");
  return out;
}

/** The Markdown of a report, or of a set (a summary table, then each report). */
export function renderMarkdown(input: Report | ReportSet): string {
  if (!("reports" in input)) return reportMd(input, "###").join("\n").trimEnd() + "\n";
  const out = [`### ${ICON[input.verdict]} dscheck: ${input.reports.length} results`, "", "| | checker | subject | result |", "|---|---|---|---|"];
  for (const r of input.reports) out.push(`| ${ICON[r.verdict]} | ${r.checker} | ${mdText(r.subject)} | ${mdText(r.headline)} |`);
  out.push("");
  for (const r of input.reports) out.push(...reportMd(r, "####"), "");
  return out.join("\n").trimEnd() + "\n";
}
