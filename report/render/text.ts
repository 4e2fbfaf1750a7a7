/**
 * The terminal rendering of a Report: verdict and headline, the facts, then each finding
 * with its blame, steps (changed fields, failing properties, valence), history, graph,
 * messages and the command that replays it. Plain text, no colour: it goes to files and CI
 * logs as often as to a terminal. Text from a saved result is untrusted: control characters
 * are escaped (`\u001b`), and a name or label cannot break its line to forge another.
 */
import type { Finding, Report, ReportSet, Step } from "../model.ts";
import { valueText } from "../values.ts";
import { printable } from "../../checker/history/input-error.ts";

const VERDICT_WORD = { ok: "OK", violation: "VIOLATION", incomplete: "INCOMPLETE", error: "ERROR" } as const;

const indent = (text: string, by: string) => text.split("\n").map((l) => by + l).join("\n");
/** One line of untrusted text. */
const one = (s: unknown) => printable(String(s));

/** Properties whose status this step changes, as "  [P now fails]" (the Markdown table has every status). */
function transitions(step: Step, before: Step | undefined): string {
  if (!before?.properties || !step.properties) return "";
  const changed = Object.entries(step.properties).filter(([p, holds]) => before.properties![p] !== undefined && before.properties![p] !== holds);
  return changed.length ? `  [${changed.map(([p, holds]) => `${p} now ${holds ? "holds" : "fails"}`).join(", ")}]` : "";
}

export function stepLines(steps: readonly Step[], loopsTo?: number): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const mark = s.highlight ? ">" : " ";
    out.push(`${mark}${String(i).padStart(4)}  ${one(s.label)}${s.valence ? `  (${one(s.valence)})` : ""}${s.process ? `  @${one(s.process)}` : ""}${transitions(s, steps[i - 1])}`);
    for (const c of s.changes) out.push(i === 0 ? `         ${c.path} = ${valueText(c.after, 100)}` : `         ${c.path}: ${valueText(c.before, 50)} -> ${valueText(c.after, 50)}`);
  });
  if (loopsTo !== undefined) out.push(`         ... back to step ${loopsTo}, forever`);
  return out;
}

function findingText(f: Finding): string {
  const out = [`${f.verdict === "ok" ? "-" : "x"} ${one(f.name)} (${f.verdict})`, indent(f.message, "    ")];
  if (f.location) out.push(`    at ${f.location.file}${f.location.line !== undefined ? `:${f.location.line}` : ""}${f.location.pointer ? `#${f.location.pointer}` : ""}`);
  if (f.blame?.length) {
    out.push("    conjuncts in the last state:");
    for (const c of f.blame) {
      const reads = Object.entries(c.reads ?? {}).map(([k, v]) => `${k}=${valueText(v, 40)}`).join(", ");
      out.push(`      ${c.holds ? "holds" : "FAILS"}  ${c.name}${reads ? `  (read ${reads})` : ""}`);
    }
  }
  if (f.steps?.length) out.push(`    ${f.steps.length - 1} step(s):`, ...stepLines(f.steps, f.loopsTo).map((l) => "  " + l));
  if (f.history) {
    const h = f.history;
    for (const p of h.processes) {
      const ops = h.operations.filter((o) => o.process === p).map((o) => `${o.highlight ? "*" : ""}${o.label} [${o.callAt}, ${o.returnAt ?? "..."}]${o.status === "ok" ? "" : ` ${o.status}`}`);
      out.push(`    process ${p}: ${ops.join("; ")}`);
    }
    if (h.linearization) out.push(`    ${h.partial ? "longest linearizable prefix" : "linearization"}: ${h.linearization.join(" ") || "(empty)"}`);
  }
  if (f.graph) out.push(`    cycle: ${f.graph.edges.map((e) => `${e.from} -${e.label}-> ${e.to}`).join(", ")}`);
  if (f.spaceTime) {
    const st = f.spaceTime;
    const odd = st.messages.filter((m) => m.status && m.status !== "delivered");
    out.push(`    ${st.processes.length} processes, ${st.events.length} events, ${st.messages.length} messages${odd.length ? `; ${odd.map((m) => `${m.label} ${m.status}`).join(", ")}` : ""}`);
    if (st.cut) out.push(`    cut: ${Object.entries(st.cut).map(([p, n]) => `${p}=${n}`).join(" ")}`);
    if (st.recoveryLine) out.push(`    recovery line: ${Object.entries(st.recoveryLine).map(([p, n]) => `${p}=${n}`).join(" ")}`);
    const useless = st.events.filter((e) => e.useless).map((e) => e.label);
    if (useless.length) out.push(`    useless checkpoints: ${useless.join(", ")}`);
  }
  if (f.replay?.command) out.push(`    replay: ${one(f.replay.command)}`);
  return out.join("\n");
}

function reportText(r: Report): string {
  const out = [`dscheck ${r.checker} ${one(r.subject)}: ${VERDICT_WORD[r.verdict]}`, `  ${one(r.headline)}`];
  if (r.location) out.push(`  at ${r.location.file}${r.location.line !== undefined ? `:${r.location.line}` : ""}${r.location.pointer ? `#${r.location.pointer}` : ""}`);
  const width = Math.max(0, ...r.facts.map((f) => f.label.length));
  for (const f of r.facts) out.push(`  ${f.label.padEnd(width)}  ${one(f.value)}`);
  for (const f of r.findings) out.push("", findingText(f));
  for (const w of r.warnings) out.push(`warning: ${one(w)}`);
  // Whatever else came from the input keeps its line breaks (a message's lines) and nothing more.
  return out.join("\n").replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => printable(c)) + "\n";
}

/** The text of a report, or of a set (each report, then a one-line summary). */
export function renderText(input: Report | ReportSet): string {
  if (!("reports" in input)) return reportText(input);
  const count = (v: Report["verdict"]) => input.reports.filter((r) => r.verdict === v).length;
  return input.reports.map(reportText).join("\n") + `\n${input.reports.length} results: ${count("ok")} ok, ${count("violation")} violation, ${count("incomplete")} incomplete, ${count("error")} error; overall ${VERDICT_WORD[input.verdict]}\n`;
}
