/**
 * `dscheck explore --json` (a search or a `--replay`) as a Report: the counterexample or
 * each example as a finding with its steps (the last highlighted), the property statuses
 * per step and the blame of a property written with `all({...})`, and the command that
 * replays it.
 */
import type { Discovery, ExploreReport, Step as JsonStep } from "../traces/generated/explore-report.ts";
import type { ExploreReplayReport } from "../traces/generated/explore-replay-report.ts";
import type { Finding, Report, ReportFact, ReportVerdict, SpaceTime, Step } from "./model.ts";
import { paramsText } from "./values.ts";

/** A word for a POSIX shell: quoted unless it is plainly safe. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `npx dscheck explore <spec> --param ... --replay <path>`. */
export function replayCommand(spec: string, params: Readonly<Record<string, unknown>>, path: string): string {
  const ps = Object.entries(params).map(([k, v]) => `--param ${shellWord(`${k}=${String(v)}`)}`);
  return ["npx dscheck explore", shellWord(spec), ...ps, "--replay", shellWord(path)].join(" ");
}

export function stepsOf(trace: readonly JsonStep[], highlightLast: boolean): Step[] {
  return trace.map((s, i) => ({
    action: s.action,
    args: s.args,
    label: s.label,
    changes: s.changes.map((c) => ({ path: c.path, before: c.before, after: c.after })),
    state: s.state,
    ...(s.properties ? { properties: s.properties } : {}),
    ...(highlightLast && i === trace.length - 1 ? { highlight: true } : {}),
  }));
}

const pathOf = (p: string | undefined) => (p ? p.split("/").map(Number) : undefined);

/** Each step's process: the process of its first event in the run's space-time diagram. */
function withProcesses(steps: Step[], st: SpaceTime | undefined): Step[] {
  if (!st) return steps;
  const byStep = new Map<number, string>();
  for (const e of st.events) if (e.step !== undefined && !byStep.has(e.step)) byStep.set(e.step, e.process);
  return steps.map((s, i) => (byStep.has(i) ? { ...s, process: byStep.get(i)! } : s));
}

function discoveryFinding(r: ExploreReport, d: Discovery, verdict: ReportVerdict): Finding {
  const spaceTime = d.spaceTime as SpaceTime | undefined;
  const what = d.kind === "deadlock" ? "deadlock" : `${d.property} (${d.kind})`;
  const message =
    verdict === "ok"
      ? `example of ${what}${d.trace ? `, reached in ${d.trace.length - 1} steps` : ""}`
      : `${d.kind === "deadlock" ? "a state with no enabled action" : `violation of ${what}`}${d.explanation ? `: ${d.explanation}` : ""}${d.trace ? `; ${r.strategy === "bfs" ? "shortest " : ""}counterexample of ${d.trace.length - 1} steps` : ""}`;
  return {
    name: d.property,
    verdict,
    message,
    ...(d.blame ? { blame: d.blame.map((c) => ({ name: c.name, holds: c.holds, reads: c.reads })) } : {}),
    ...(d.trace ? { steps: withProcesses(stepsOf(d.trace, true), spaceTime) } : {}),
    ...(spaceTime ? { spaceTime } : {}),
    ...(d.replayPath ? { replay: { command: replayCommand(r.spec, r.params, d.replayPath), path: pathOf(d.replayPath) } } : {}),
  };
}

function headline(r: ExploreReport): string {
  const v = r.violation;
  switch (r.status) {
    case "ok":
      return r.strategy === "simulate" ? `OK: no violation in ${r.runs ?? 0} random runs (simulation is not exhaustive)` : `OK: every property holds in all ${r.distinctStates} reachable states${r.bounded ? " within the bounds" : ""}`;
    case "incomplete":
      return `INCOMPLETE: ${r.incompleteReason ?? "the search did not finish"}`;
    case "error":
      return `SPEC ERROR (${r.error?.kind ?? "error"}): ${r.error?.message ?? "unknown error"}`;
    case "violation":
      return v ? `VIOLATION of ${v.property} (${v.kind})${v.explanation ? `: ${v.explanation}` : ""}` : `VIOLATION of ${r.property ?? "a property"}`;
  }
}

/** The Report of one explore JSON result. */
export function fromExplore(r: ExploreReport): Report {
  const facts: ReportFact[] = [
    { label: "spec", value: r.specName ? `${r.specName} (${r.spec})` : r.spec },
    { label: "params", value: paramsText(r.params) },
    { label: "strategy", value: `${r.strategy}${r.seed !== undefined ? ` seed=${r.seed}` : ""}${(r.workers ?? 1) > 1 ? ` on ${r.workers} workers` : ""}` },
  ];
  facts.push({ label: "distinct states", value: r.distinctStates }, { label: "generated states", value: r.generatedStates }, { label: "depth", value: r.maxDepth });
  facts.push({ label: "time", value: `${(r.elapsedMs / 1000).toFixed(2)} s` });
  if (r.properties?.length) facts.push({ label: "properties", value: r.properties.map((p) => `${p.name} (${p.kind})`).join(", ") });
  const findings: Finding[] = [];
  if (r.violation) findings.push(discoveryFinding(r, r.violation, "violation"));
  if (r.status === "error" && r.error) {
    findings.push({
      name: r.error.property ?? r.error.action ?? r.error.kind,
      verdict: "error",
      message: `${r.error.kind}: ${r.error.message}${r.error.action ? ` (action ${r.error.action})` : ""}`,
      ...(r.error.state !== undefined ? { steps: [{ action: r.error.action ?? "state", args: r.error.args ?? [], label: "the state where it happened", changes: [], state: r.error.state, highlight: true }] } : {}),
      ...(r.error.replayPath ? { replay: { command: replayCommand(r.spec, r.params, r.error.replayPath), path: pathOf(r.error.replayPath) } } : {}),
    });
  }
  for (const d of Object.values(r.examples ?? {})) findings.push(discoveryFinding(r, d, "ok"));
  return { checker: "explore", subject: r.spec, verdict: r.status, headline: headline(r), facts, findings, warnings: [...(r.warnings ?? [])] };
}

/** `explore --replay --json`: the path's steps, the first violating one highlighted. */
export function fromExploreReplay(r: ExploreReplayReport): Report {
  const v = r.violation;
  const at = v?.step ?? -1;
  const spaceTime = r.spaceTime as SpaceTime | undefined;
  const steps = withProcesses(stepsOf(r.trace, false).map((s, i) => (i === at ? { ...s, highlight: true } : s)), spaceTime);
  const headline =
    r.status === "ok" ? `OK: every property holds along this path of ${Math.max(0, r.trace.length - 1)} steps`
    : v ? `VIOLATION of ${v.property} (${v.kind}) at step ${at}${v.explanation ? `: ${v.explanation}` : ""}`
    : `${r.error?.kind === "bad-path" ? "BAD PATH" : `SPEC ERROR (${r.error?.kind ?? "error"})`}: ${r.error?.message ?? ""}`;
  const finding: Finding = {
    name: v?.property ?? (r.status === "ok" ? "replay" : (r.error?.kind ?? "error")),
    verdict: r.status,
    message: headline,
    ...(v?.blame ? { blame: v.blame.map((c) => ({ name: c.name, holds: c.holds, reads: c.reads })) } : {}),
    steps,
    ...(spaceTime ? { spaceTime } : {}),
    replay: { command: replayCommand(r.spec, r.params, r.replayPath), path: pathOf(r.replayPath) },
  };
  const facts: ReportFact[] = [
    { label: "spec", value: r.specName ? `${r.specName} (${r.spec})` : r.spec },
    { label: "params", value: paramsText(r.params) },
    { label: "replay path", value: r.replayPath },
  ];
  return { checker: "explore", subject: r.spec, verdict: r.status, headline, facts, findings: [finding], warnings: [] };
}
