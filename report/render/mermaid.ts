/**
 * Mermaid diagrams of a finding, for Markdown (GitHub renders ```mermaid blocks in pull
 * requests and job summaries):
 *
 * - a `sequenceDiagram` from the finding's SpaceTime when it has one: a participant per
 *   process, each delivered message an arrow `A->>B: label` where it is received, a message
 *   still in flight a dotted open arrow where it is sent, an orphan a crossed arrow, other
 *   events and the highlighted event as notes, the cut and the recovery line as final notes;
 * - else a `sequenceDiagram` of the run's steps: one lane per process when the steps name
 *   their process, otherwise one per action; the highlighted step gets a note;
 * - a `flowchart` of a GraphView (an isolation anomaly's dependency cycle).
 *
 * Every text a user, a spec or a log wrote goes through `mermaidText`: Mermaid reads `;` as
 * a statement end, `#` as the start of an entity, `%%` as a comment, `:` as the message
 * separator and `"` `|` `[` `]` `{` `}` `<` `>` in labels, so those become numeric entities
 * (`#59;`); line breaks become `<br/>`; control characters become spaces.
 */
import type { Finding, GraphView, SpaceTime, Step } from "../model.ts";

/** The most arrows and notes a diagram gets (GitHub stops rendering far larger ones). */
export const MERMAID_LIMIT = 200;

const ENTITY = /[#;:%"'|[\]{}<>&`\\=-]/g;

/** Text safe in a Mermaid message, note, alias or quoted node label. */
export function mermaidText(s: string, width = 80): string {
  let t = String(s).replace(/[\u0000-\u0009\u000B-\u001F\u007F\u2028\u2029]/g, " ");
  if (t.length > width) t = t.slice(0, width - 3) + "...";
  const escaped = t.replace(ENTITY, (c) => `#${c.charCodeAt(0)};`).replace(/\r?\n/g, "<br/>").trim();
  return escaped === "" ? "#160;" : escaped;
}

function participants(names: readonly string[]): { lines: string[]; id: (name: string) => string } {
  const ids = new Map(names.map((n, i) => [n, `p${i}`]));
  return { lines: names.map((n, i) => `  participant p${i} as ${mermaidText(n, 40)}`), id: (n) => ids.get(n) ?? "p0" };
}

function fromSpaceTime(st: SpaceTime): string {
  const names = st.processes.length ? st.processes : ["(none)"];
  const { lines, id } = participants(names);
  const out = ["sequenceDiagram", ...lines];
  const byId = new Map(st.events.map((e) => [e.id, e]));
  const receiving = new Map(st.messages.filter((m) => m.receive !== undefined).map((m) => [m.receive!, m]));
  const sendingInFlight = new Map<string, typeof st.messages[number][]>();
  for (const m of st.messages) if (m.receive === undefined) sendingInFlight.set(m.send, [...(sendingInFlight.get(m.send) ?? []), m]);
  let shown = 0;
  for (const e of st.events) {
    if (shown >= MERMAID_LIMIT) {
      out.push(`  Note over ${id(names[0])}: ${mermaidText(`... ${st.events.length - shown} more events not drawn`)}`);
      break;
    }
    const m = receiving.get(e.id);
    if (m) {
      const from = byId.get(m.send)?.process ?? m.to ?? e.process;
      const arrow = m.status === "orphan" ? "-x" : "->>";
      out.push(`  ${id(from)}${arrow}${id(e.process)}: ${mermaidText(m.status === "orphan" ? `${m.label} (orphan)` : m.label)}`);
      shown++;
    }
    for (const f of sendingInFlight.get(e.id) ?? []) {
      out.push(`  ${id(e.process)}--)${id(f.to ?? e.process)}: ${mermaidText(`${f.label} (in flight)`)}`);
      shown++;
    }
    if (e.highlight || e.useless || e.kind === "checkpoint" || e.kind === "crash" || (e.kind === "internal" && !m)) {
      const tag = e.highlight ? "⚠ " : "";
      const what = e.kind === "checkpoint" ? `checkpoint ${e.label}${e.useless ? " (useless)" : ""}` : e.kind === "crash" ? `crash: ${e.label}` : e.label;
      out.push(`  Note over ${id(e.process)}: ${mermaidText(tag + what)}`);
      shown++;
    }
  }
  const span = names.length > 1 ? `${id(names[0])},${id(names[names.length - 1])}` : id(names[0]);
  if (st.cut) out.push(`  Note over ${span}: ${mermaidText(`cut: ${Object.entries(st.cut).map(([p, n]) => `${p}=${n}`).join(" ")}`, 200)}`);
  if (st.recoveryLine) out.push(`  Note over ${span}: ${mermaidText(`recovery line: ${Object.entries(st.recoveryLine).map(([p, n]) => `${p}=${n}`).join(" ")}`, 200)}`);
  return out.join("\n");
}

/** Properties failing in a step, for its note. */
const failing = (s: Step) => Object.entries(s.properties ?? {}).filter(([, h]) => !h).map(([p]) => p);

function fromSteps(steps: readonly Step[], loopsTo?: number): string {
  const byProcess = steps.slice(1).some((s) => s.process !== undefined);
  const laneOf = (s: Step) => (byProcess ? (s.process ?? "(spec)") : s.action);
  const lanes = [...new Set(steps.map(laneOf))];
  const { lines, id } = participants(lanes);
  const out = ["sequenceDiagram", ...lines];
  steps.slice(0, MERMAID_LIMIT).forEach((s, i) => {
    const lane = id(laneOf(s));
    const text = `${i}. ${s.label}${s.valence ? ` (${s.valence})` : ""}`;
    out.push(`  ${lane}->>${lane}: ${mermaidText(text)}`);
    if (s.highlight) {
      const bad = failing(s);
      out.push(`  Note over ${lane}: ${mermaidText(`⚠ step ${i}${bad.length ? `: ${bad.join(", ")} fail${bad.length === 1 ? "s" : ""}` : ""}`)}`);
    }
  });
  if (steps.length > MERMAID_LIMIT) out.push(`  Note over ${id(lanes[0])}: ${mermaidText(`... ${steps.length - MERMAID_LIMIT} more steps not drawn`)}`);
  if (loopsTo !== undefined) out.push(`  Note over ${id(lanes[0])}: ${mermaidText(`then back to step ${loopsTo}, forever`)}`);
  return out.join("\n");
}

function fromGraph(g: GraphView): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const node = (nid: string) => ids.get(nid) ?? `n${ids.size}`;
  const out = ["flowchart LR", ...g.nodes.map((n, i) => `  n${i}["${mermaidText(n.label, 60)}"]`)];
  for (const e of g.edges.slice(0, MERMAID_LIMIT)) out.push(`  ${node(e.from)} -->|"${mermaidText(e.label, 40)}"| ${node(e.to)}`);
  return out.join("\n");
}

/** The finding's diagram as Mermaid source, or undefined when it has nothing to draw. */
export function mermaidOf(f: Finding): string | undefined {
  if (f.spaceTime && f.spaceTime.events.length) return fromSpaceTime(f.spaceTime);
  if (f.steps && f.steps.length) return fromSteps(f.steps, f.loopsTo);
  if (f.graph && f.graph.nodes.length) return fromGraph(f.graph);
  return undefined;
}
