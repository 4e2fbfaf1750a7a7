/**
 * `dscheck trace validate --json` as Reports, one per trace (the unit a CI job wants as a
 * test case): a rejected trace's finding per diagnosed candidate state, with why each action
 * could not take the line (the failing guard, or the logged value beside the one the action
 * makes), and the witness path's last steps ending at the rejected line.
 */
import type { CheckedTrace, MalformedTrace, TraceReport } from "../traces/generated/trace-report.ts";
import { replayCommand, stepsOf } from "./from-explore.ts";
import { locationInMessage } from "./from-history.ts";
import type { Finding, Report, ReportLocation, ReportVerdict, SpaceTime, Step } from "./model.ts";
import { paramsText } from "./values.ts";

const VERDICT: Record<CheckedTrace["status"] | "malformed", ReportVerdict> = { valid: "ok", rejected: "violation", incomplete: "incomplete", error: "error", malformed: "error" };

/** file:line, or file#/pointer (ITF), as a location; "end of trace" names the file only. */
export function locationOf(where: string, file: string): ReportLocation {
  const hash = where.lastIndexOf("#/");
  if (hash > 0) return { file: where.slice(0, hash), pointer: where.slice(hash + 1) };
  const m = /^(.*):(\d+)$/.exec(where);
  return m ? { file: m[1], line: Number(m[2]) } : { file };
}


function rejectedFindings(spec: string, t: CheckedTrace): Finding[] {
  const rej = t.rejection!;
  const location = locationOf(rej.where, t.file);
  return rej.candidates.map((c, k) => {
    const isWitness = c.replayPath === t.replayPath && t.witness !== undefined;
    const witness = isWitness ? stepsOf(t.witness!, false) : [];
    const rejected: Step = {
      action: rej.event ?? `line ${rej.line}`,
      args: [],
      label: `line ${rej.line}${rej.event ? ` (${rej.event})` : ""}: rejected`,
      changes: [],
      state: c.state,
      highlight: true,
      traceLine: rej.line,
    };
    return {
      name: `line ${rej.line}, candidate ${k + 1}`,
      verdict: "violation",
      message: [`no action of the spec takes line ${rej.line} (${rej.where}) from this candidate state (replay path ${c.replayPath}):`, ...c.reasons.map((r) => `- ${r.text}`)].join("\n"),
      location,
      steps: [...witness, rejected],
      // The witness's events are numbered by its steps, which come first in `steps`.
      ...(isWitness && t.witnessSpaceTime ? { spaceTime: t.witnessSpaceTime as SpaceTime } : {}),
      replay: { command: replayCommand(spec, t.params, c.replayPath), path: c.replayPath.split("/").map(Number) },
    };
  });
}

function headline(t: CheckedTrace | MalformedTrace): string {
  if (t.status === "malformed") return `MALFORMED: ${t.error}`;
  switch (t.status) {
    case "valid":
      return `VALID: ${t.lines} lines; a behaviour that produces it: replay path ${t.replayPath ?? "-"}`;
    case "incomplete":
      return `INCOMPLETE: ${t.incompleteReason ?? "a budget ran out"} (${t.matched} lines matched)`;
    case "error":
      return `SPEC ERROR (${t.error?.kind ?? "error"}): ${t.error?.message ?? ""}`;
    case "rejected": {
      const r = t.rejection!;
      return `REJECTED at line ${r.line} (${r.where}${r.event ? `, event ${r.event}` : ""}): no state the spec can be in after line ${r.line - 1} can take it`;
    }
  }
}

/** One Report per trace of a trace-validate result; a usage error is one Report about the spec. */
export function fromTraceValidate(r: TraceReport): Report[] {
  if (!("traces" in r)) {
    return [{ checker: "trace validate", subject: "(command line)", verdict: "error", headline: `ERROR: ${r.error.message}`, facts: [], findings: [{ name: "usage", verdict: "error", message: r.error.message }], warnings: [] }];
  }
  return r.traces.map((t): Report => {
    const verdict = VERDICT[t.status];
    const facts = [{ label: "spec", value: `${r.specName} (${r.spec})` }, { label: "format", value: t.format }];
    if (t.status === "malformed") {
      const location = locationInMessage(t.file, t.error);
      return { checker: "trace validate", subject: t.file, verdict, headline: headline(t), location, facts, findings: [{ name: "malformed", verdict, message: t.error, location }], warnings: [] };
    }
    facts.push({ label: "lines", value: String(t.lines) }, { label: "matched", value: String(t.matched) }, { label: "peak candidates", value: String(t.peakCandidates) }, { label: "params", value: paramsText(t.params) }, { label: "time", value: `${t.seconds.toFixed(2)} s` });
    const findings: Finding[] = t.status === "rejected" && t.rejection ? rejectedFindings(r.spec, t) : verdict === "ok" ? [] : [{ name: t.status, verdict, message: headline(t) }];
    const location = t.rejection ? locationOf(t.rejection.where, t.file) : undefined;
    return { checker: "trace validate", subject: t.file, verdict, headline: headline(t), ...(location ? { location } : {}), facts, findings, warnings: [] };
  });
}
