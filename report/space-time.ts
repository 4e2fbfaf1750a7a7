/**
 * A run of a message-passing spec as a space-time diagram (the report model's `SpaceTime`):
 * the spec's `events` declaration (checker/spec/step-events.ts) applied to every step of the
 * run, receives paired with their sends.
 *
 * Pairing, as step-events.ts documents it: a receive on process p of key k is the earliest
 * send of k addressed to p (or broadcast, or from the receive's `from`) that p has not yet
 * received. A receive of a key p has already received every copy of is a duplicate delivery
 * (message sets never shrink, so a handler can take the same message again): it is drawn from
 * the latest such send. A receive with no send of its key in the run is an event without a
 * message. Sends left unreceived are in flight, one per receiver that did not take them.
 */
import type { ExploreResult, TraceStep } from "../checker/explore/types.ts";
import type { ParamDecls, Spec } from "../checker/spec/spec.ts";
import type { StepEvents } from "../checker/spec/step-events.ts";
import type { ExploreReport, SpaceTime as ExploreSpaceTime } from "../traces/generated/explore-report.ts";
import type { SpaceTime, SpaceTimeEvent, SpaceTimeMessage } from "./model.ts";

export interface SpaceTimeOptions {
  /** The step whose events are marked (a counterexample's violating step). */
  readonly highlightStep?: number;
}

interface Sent {
  readonly event: string;
  readonly process: string;
  readonly key: string;
  /** Undefined: every other process. */
  readonly to: readonly string[] | undefined;
  readonly receivedBy: Set<string>;
}

/** The diagram of one run (its first step is the initial state, which has no events). */
export function spaceTimeOf<S, P>(events: StepEvents<S, P>, params: P, trace: readonly TraceStep[], options: SpaceTimeOptions = {}): SpaceTime {
  const processes = [...events.processes(params)];
  const out: SpaceTimeEvent[] = [];
  const messages: SpaceTimeMessage[] = [];
  const sent: Sent[] = [];
  for (let k = 1; k < trace.length; k++) {
    const step = trace[k];
    const evs = events.of({ action: step.action, args: step.args, before: trace[k - 1].state as S, after: step.state as S, params });
    for (const ev of evs) {
      const id = `e${out.length}`;
      if (!processes.includes(ev.process)) processes.push(ev.process);
      const label = ev.label ?? (ev.kind === "checkpoint" && ev.id !== undefined ? ev.id : step.label);
      out.push({ id, process: ev.process, kind: ev.kind, label, step: k, ...(options.highlightStep === k ? { highlight: true } : {}) });
      if (ev.kind === "send" && ev.msg !== undefined) {
        const to = ev.to === undefined ? undefined : typeof ev.to === "string" ? [ev.to] : [...ev.to];
        sent.push({ event: id, process: ev.process, key: ev.msg, to, receivedBy: new Set() });
      } else if (ev.kind === "receive" && ev.msg !== undefined) {
        const matches = sent.filter((s) => s.key === ev.msg && (ev.from === undefined || s.process === ev.from) && (s.to ? s.to.includes(ev.process) : s.process !== ev.process));
        const first = matches.find((s) => !s.receivedBy.has(ev.process));
        if (first) {
          first.receivedBy.add(ev.process);
          messages.push({ label: ev.msg, send: first.event, receive: id, status: "delivered" });
        } else if (matches.length) {
          messages.push({ label: `${ev.msg} (again)`, send: matches[matches.length - 1].event, receive: id, status: "delivered" });
        }
      }
    }
  }
  for (const s of sent) {
    const receivers = s.to ?? processes.filter((p) => p !== s.process);
    const waiting = receivers.filter((p) => !s.receivedBy.has(p));
    if (receivers.length === 0) messages.push({ label: s.key, send: s.event, status: "in-flight" });
    for (const p of waiting) messages.push({ label: s.key, send: s.event, status: "in-flight", to: p });
  }
  return { processes, events: out, messages };
}

/**
 * The diagram of a run of `spec` when it declares `events`. A declaration that throws gives
 * no diagram and a warning: it cannot change a verdict, which is decided before.
 */
export function specSpaceTime(spec: Spec<unknown, ParamDecls>, params: unknown, trace: readonly TraceStep[], options: SpaceTimeOptions = {}): { spaceTime?: SpaceTime; warning?: string } {
  const events = spec.events as StepEvents<unknown, unknown> | undefined;
  if (!events) return {};
  try {
    return { spaceTime: spaceTimeOf(events, params, trace, options) };
  } catch (e) {
    return { warning: `the spec's events declaration threw (${e instanceof Error ? e.message : String(e)}); no space-time diagram` };
  }
}

/** The diagrams of a search's counterexample and examples (see specSpaceTime). */
export function resultSpaceTimes(spec: Spec<unknown, ParamDecls>, r: ExploreResult): { violation?: SpaceTime; examples: Record<string, SpaceTime>; warnings: string[] } {
  const out: { violation?: SpaceTime; examples: Record<string, SpaceTime>; warnings: string[] } = { examples: {}, warnings: [] };
  const draw = (trace: readonly TraceStep[], highlightStep?: number) => {
    const { spaceTime, warning } = specSpaceTime(spec, r.params, trace, { highlightStep });
    if (warning && !out.warnings.includes(warning)) out.warnings.push(warning);
    return spaceTime;
  };
  if (r.violation && "trace" in r.violation) out.violation = draw(r.violation.trace, r.violation.trace.length - 1);
  for (const [name, d] of Object.entries(r.examples)) {
    const st = draw(d.trace, d.trace.length - 1);
    if (st) out.examples[name] = st;
  }
  return out;
}

/** `dscheck explore --json`'s object with the diagrams added to its violation and examples. */
export function withSpaceTime(report: ExploreReport, spec: Spec<unknown, ParamDecls>, r: ExploreResult): ExploreReport {
  const st = resultSpaceTimes(spec, r);
  // The model's SpaceTime and the schema's are the same shape (the model's arrays are readonly).
  if (st.violation && report.violation) report.violation.spaceTime = st.violation as ExploreSpaceTime;
  for (const [name, diagram] of Object.entries(st.examples)) if (report.examples?.[name]) report.examples[name].spaceTime = diagram as ExploreSpaceTime;
  if (st.warnings.length) report.warnings = [...(report.warnings ?? []), ...st.warnings];
  return report;
}
