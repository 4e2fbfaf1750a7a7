/** The `--json` object of `dscheck explore`, typed by the type generated from its schema. */
import type { Discovery, ExploreResult, ReplayResult, TraceStep } from "../../checker/index.ts";
import type { ExploreReport } from "../../traces/generated/explore-report.ts";
import type { ExploreReplayReport } from "../../traces/generated/explore-replay-report.ts";
import type { ConjunctStatus } from "../../checker/spec/conjuncts.ts";
import { toJson } from "./format-value.ts";

export function stepsJson(trace: readonly TraceStep[]): NonNullable<ExploreReport["trace"]> {
  return trace.map((s, index) => ({
    index,
    action: s.action,
    args: s.args.map(toJson),
    label: s.label,
    state: toJson(s.state),
    changes: s.changes.map((c) => ({ path: c.path, before: toJson(c.before), after: toJson(c.after) })),
    ...(s.formatted !== undefined ? { formatted: s.formatted } : {}),
    ...(s.properties ? { properties: { ...s.properties } } : {}),
  }));
}

function blameJson(blame: readonly ConjunctStatus[]): NonNullable<NonNullable<ExploreReport["violation"]>["blame"]> {
  return blame.map((c) => ({ name: c.name, holds: c.holds, ...(c.explanation ? { explanation: c.explanation } : {}), reads: Object.fromEntries(Object.entries(c.reads).map(([k, v]) => [k, toJson(v)])) }));
}

function discoveryJson(d: Discovery | NonNullable<ExploreResult["violation"]>): NonNullable<ExploreReport["violation"]> {
  if (!("path" in d)) return { property: d.property, kind: d.kind, explanation: d.explanation };
  return {
    property: d.property,
    kind: d.kind,
    ...(d.explanation ? { explanation: d.explanation } : {}),
    replayPath: d.path.join("/"),
    reproduced: d.reproduced,
    ...(d.blame ? { blame: blameJson(d.blame) } : {}),
    trace: stepsJson(d.trace),
  };
}

export function exploreReportJson(specFile: string, specName: string, r: ExploreResult, reproduce?: string): ExploreReport {
  const seconds = r.elapsedMs / 1000;
  const report: ExploreReport = {
    tool: "dscheck",
    command: "explore",
    spec: specFile,
    specName,
    status: r.status,
    strategy: r.strategy,
    workers: r.workers,
    params: { ...r.params },
    properties: r.properties.map((p) => ({ name: p.name, kind: p.kind as "always" })),
    distinctStates: r.distinctStates,
    generatedStates: r.generatedStates,
    maxDepth: r.maxDepth,
    maxQueueSize: r.maxQueueSize,
    elapsedMs: Math.round(r.elapsedMs * 10) / 10,
    statesPerSecond: seconds > 0 ? Math.round(r.distinctStates / seconds) : 0,
    bytesPerState: Math.round(r.bytesPerState * 100) / 100,
    traceBytesPerState: Math.round(r.traceBytesPerState * 100) / 100,
    collisionProbability: { ...r.collisionProbability },
    exhaustive: r.exhaustive,
    coverage: r.coverage.map((c) => ({ ...c })),
    warnings: [...r.warnings],
    examples: Object.fromEntries(Object.entries(r.examples).map(([k, d]) => [k, discoveryJson(d)])),
  };
  if (r.incompleteReason) report.incompleteReason = r.incompleteReason;
  if (r.bounded) report.bounded = { ...r.bounded };
  if (r.memo) report.memo = { hits: r.memo.hits, misses: r.memo.misses, directActions: [...r.memo.directActions] };
  if (r.seed !== undefined) report.seed = r.seed;
  if (r.runs !== undefined) report.runs = r.runs;
  if (r.violation) {
    report.property = r.violation.property;
    report.violation = discoveryJson(r.violation);
    if ("path" in r.violation) {
      report.replayPath = r.violation.path.join("/");
      report.trace = stepsJson(r.violation.trace);
    }
    if (reproduce) report.reproduce = reproduce;
  }
  if (r.error) {
    report.error = {
      kind: r.error.kind,
      message: r.error.message,
      ...(r.error.action ? { action: r.error.action } : {}),
      ...(r.error.args ? { args: r.error.args.map(toJson) } : {}),
      ...(r.error.property ? { property: r.error.property } : {}),
      ...(r.error.state !== undefined ? { state: toJson(r.error.state) } : {}),
      ...(r.error.path ? { replayPath: r.error.path.join("/") } : {}),
    };
  }
  return report;
}

/** The `--replay --json` object; `spaceTime` is the path's diagram (report/space-time.ts) for specs that declare events. */
export function replayReportJson(specFile: string, specName: string, path: readonly number[], r: ReplayResult, spaceTime?: ExploreReplayReport["spaceTime"]): ExploreReplayReport {
  const v = r.violation;
  return {
    tool: "dscheck", command: "explore", spec: specFile, specName, strategy: "replay", status: r.status, params: { ...r.params }, replayPath: path.join("/"),
    property: v?.property,
    violation: v ? { property: v.property, kind: v.kind, step: v.step, ...(v.explanation ? { explanation: v.explanation } : {}), ...(v.blame ? { blame: blameJson(v.blame) } : {}) } : undefined,
    trace: stepsJson(r.trace),
    ...(spaceTime ? { spaceTime } : {}),
    error: r.error ? { kind: r.error.kind, message: r.error.message, ...(r.error.path ? { replayPath: r.error.path.join("/") } : {}) } : undefined,
  };
}
