/**
 * `dscheck trace validate <spec> <trace...>`: is each trace (a log of a real system) a
 * behaviour of the spec? One summary line per trace, a diagnosis for a rejected one, one
 * JSON object with --json. Exit 0 every trace valid, 1 one rejected, 2 malformed input or a
 * spec/mapping error, 3 a budget ran out first (the worst over all traces).
 */
import type { Command } from "commander";
import { Option } from "commander";
import {
  BoundSpec, ParamError, parseParamAssignments, rebuildTraceTail, resolveParams, SpecError, TraceInputError, TraceValidator,
  type ParamDecls, type Reason, type Spec, type TraceVerdict,
} from "../../checker/index.ts";
import { InputError } from "../../checker/history/input-error.ts";
import { combineExitCodes, EXIT } from "../exit-codes.ts";
import { loadSpec, SpecLoadError } from "../load-spec.ts";
import { collect, intOption, positiveNumberOption } from "../options.ts";
import { writeErr, writeOut } from "../output.ts";
import { emitCi, emptyShardNote, junitOption, lineIn, oneLine, selectShard, shardOption, type CaseStatus, type CiCase, type Shard } from "../ci.ts";
import { formatValue, n, toJson } from "../report/format-value.ts";
import { stepsJson } from "../report/explore-json.ts";
import { specSpaceTime } from "../../report/space-time.ts";
import type { SpaceTime } from "../../report/model.ts";
import { htmlOption, mdOption, writeReportFiles } from "../report-files.ts";
import { detectFormat, readConfig, traceLineBatches, type TraceFormat } from "../../traces/trace-log/read.ts";

interface Flags {
  config?: string;
  format?: TraceFormat;
  param: string[];
  json?: boolean;
  timeLimit?: number;
  maxCandidates: number;
  typecheck: boolean;
  junit?: string;
  shard?: Shard;
  md?: string;
  html?: string;
}

/** One trace's outcome. */
interface TraceOutcome {
  readonly file: string;
  readonly format: TraceFormat;
  readonly verdict?: TraceVerdict;
  /** Malformed input or a spec/mapping error (exit 2). */
  readonly inputError?: string;
  readonly seconds: number;
  /** Rejected: the last steps of the behaviour that reaches the last matched line (for reports). */
  readonly witness?: ReturnType<typeof stepsJson>;
  /** The witness as a space-time diagram, for specs that declare `events` (steps count from the witness's first entry). */
  readonly witnessSpaceTime?: SpaceTime;
}

export function registerTraceValidate(program: Command, setExit: (code: number) => void): void {
  const trace = program.command("trace").description("check traces captured from a running system against a spec");
  trace
    .command("validate")
    .description("validate traces (NDJSON event logs, state snapshots, ITF) against a spec and its trace mapping")
    .argument("<spec>", "spec file (.ts) with a trace mapping (spec.trace), or without one to match state fields")
    .argument("<trace...>", "trace files")
    .option("--config <file>", "configuration records (NDJSON) for the mapping's config: e.g. lbinria's conf.NRM.ndjson")
    .addOption(new Option("--format <format>", "trace format (default: itf for *.itf.json, else ndjson)").choices(["ndjson", "states", "itf"]))
    .option("-p, --param <name=value>", "override a spec parameter (repeatable)", collect, [])
    .option("--json", "print one JSON object")
    .option("--time-limit <seconds>", "budget per trace (exit 3 when it runs out)", positiveNumberOption("--time-limit"))
    .option("--max-candidates <n>", "budget: candidate states kept after a line (exit 3 past it)", intOption("--max-candidates", 1), 2_000_000)
    .option("--no-typecheck", "skip type-checking the spec before loading it")
    .addOption(junitOption("trace"))
    .addOption(shardOption())
    .addOption(mdOption())
    .addOption(htmlOption())
    .action(async (specFile: string, files: string[], flags: Flags) => setExit(await run(specFile, files, flags)));
}

async function run(specFile: string, all: string[], flags: Flags): Promise<number> {
  const usage = (message: string, ci = false) => {
    // A spec that cannot be loaded is one failing test case, so that CI shows why.
    const ciError = ci ? emitCi("trace validate", [{ name: specFile, classname: "dscheck.trace.validate", status: "error", message: oneLine(message), report: message + "\n", file: specFile, line: lineIn(message) }], flags) : undefined;
    if (ciError) message += `; ${ciError}`;
    if (flags.json) writeOut(JSON.stringify({ tool: "dscheck", command: "trace validate", status: "error", error: { kind: "usage", message } }) + "\n");
    else writeErr(`dscheck: ${message}\n`);
    return EXIT.error;
  };
  let spec: Spec<unknown, ParamDecls>;
  let params: Record<string, string>;
  let config: unknown[] = [];
  try {
    spec = await loadSpec(specFile, { typecheck: flags.typecheck });
    params = parseParamAssignments(flags.param);
    resolveParams(spec.params, params);
    if (flags.config) config = await readConfig(flags.config);
  } catch (e) {
    if (e instanceof SpecLoadError || e instanceof ParamError || e instanceof InputError) return usage(e.message, true);
    throw e;
  }
  const files = selectShard(all, flags.shard);
  if (files.length === 0) writeErr(emptyShardNote(flags.shard, all.length) ?? "");
  const outcomes: TraceOutcome[] = [];
  for (const file of files) outcomes.push(await validateOne(spec, file, flags, params, config));
  const codes = outcomes.map(exitCode);
  const ciError = emitCi("trace validate", outcomes.map((o) => traceCase(specFile, o)), flags);
  if (ciError) return usage(ciError);
  // Report files before the verdict (a file that cannot be written is exit 2 alone); none when a trace is malformed.
  const fileError = outcomes.length && !outcomes.some((o) => o.inputError) ? await writeReportFiles(jsonReport(specFile, spec.name, outcomes), flags) : undefined;
  if (fileError) return usage(fileError);
  if (flags.json) writeOut(JSON.stringify(jsonReport(specFile, spec.name, outcomes)) + "\n");
  else writeOut(outcomes.map((o) => textReport(o)).join("\n") + "\n" + (outcomes.length > 1 ? summary(outcomes) + "\n" : ""));
  return combineExitCodes(codes);
}

async function validateOne(spec: Spec<unknown, ParamDecls>, file: string, flags: Flags, params: Record<string, string>, config: unknown[]): Promise<TraceOutcome> {
  const format = flags.format ?? detectFormat(file);
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  try {
    const v = new TraceValidator(spec, {
      params,
      config,
      name: file,
      firstLineIsInitial: format !== "ndjson",
      specVariables: format === "itf",
      maxCandidates: flags.maxCandidates,
      timeLimitMs: flags.timeLimit !== undefined ? flags.timeLimit * 1000 : undefined,
      now: () => performance.now(),
    });
    for await (const batch of traceLineBatches(file, format, v.variableNames, v.lineFields)) {
      for (const line of batch) {
        v.push(line);
        if (v.done) break;
      }
      if (v.done) break;
    }
    // An empty trace is refused by the validator itself (a TraceInputError: exit 2).
    const verdict = v.finish();
    return { file, format, verdict, seconds: seconds(), ...witnessOf(spec, verdict) };
  } catch (e) {
    if (e instanceof InputError || e instanceof TraceInputError || e instanceof ParamError) return { file, format, inputError: e.message, seconds: seconds() };
    throw e;
  }
}

/** The last steps (at most 100) of a rejected trace's witness path, replayed; none when it does not replay. */
function witnessOf(spec: Spec<unknown, ParamDecls>, v: TraceVerdict): { witness?: ReturnType<typeof stepsJson>; witnessSpaceTime?: SpaceTime } {
  if (v.status !== "rejected" || !v.path) return {};
  try {
    // Only the last 100 steps are replayed into steps (a witness can be a million lines long).
    const { steps, start } = rebuildTraceTail(new BoundSpec(spec, v.params, []), v.path, 100);
    const { spaceTime } = specSpaceTime(spec, v.params, steps);
    return { witness: stepsJson(steps).map((s) => ({ ...s, index: s.index + start })), ...(spaceTime ? { witnessSpaceTime: spaceTime } : {}) };
  } catch (e) {
    if (e instanceof SpecError) return {};
    throw e;
  }
}

/** One trace as a CI test case: the rejected line is where its annotation points. */
function traceCase(specFile: string, o: TraceOutcome): CiCase {
  const report = textReport(o) + "\n";
  const status: CaseStatus = o.inputError ? "error" : o.verdict!.status === "valid" ? "ok" : o.verdict!.status === "rejected" ? "violation" : o.verdict!.status;
  const line = o.verdict?.rejection?.line ?? lineIn(o.inputError);
  return { name: o.file, classname: `dscheck.trace.validate.${specFile}`, status, message: oneLine(report), report, file: o.file, ...(line !== undefined ? { line } : {}), seconds: o.seconds };
}

function exitCode(o: TraceOutcome): number {
  if (o.inputError) return EXIT.error;
  switch (o.verdict!.status) {
    case "valid":
      return EXIT.ok;
    case "rejected":
      return EXIT.violation;
    case "incomplete":
      return EXIT.incomplete;
    case "error":
      return EXIT.error;
  }
}

/** Replay paths longer than this are not printed in the text report (a million-line trace's would be megabytes on one line). */
const PRINTED_PATH_STEPS = 1000;

function replayPath(path: readonly number[]): string {
  return path.length <= PRINTED_PATH_STEPS ? `replay path ${path.join("/")}` : `a replay path of ${n(path.length)} steps (too long to print; --json has it)`;
}

function textReport(o: TraceOutcome): string {
  if (o.inputError) return `${o.file}: MALFORMED: ${o.inputError}`;
  const v = o.verdict!;
  const figures = `${n(v.lines)} lines, peak ${n(v.peakCandidates)} candidate state${v.peakCandidates === 1 ? "" : "s"}, ${o.seconds.toFixed(2)} s`;
  switch (v.status) {
    case "valid":
      return `${o.file}: VALID (${figures}); a behaviour that produces it: ${replayPath(v.path!)}`;
    case "incomplete":
      return `${o.file}: INCOMPLETE: ${v.incompleteReason} (${n(v.matched)} of the lines read matched; ${figures})`;
    case "error":
      return `${o.file}: SPEC ERROR (${v.error!.kind}): ${v.error!.message}`;
    case "rejected": {
      const r = v.rejection!;
      const lines = [
        `${o.file}: REJECTED at line ${r.line} (${r.where}${r.event ? `, event ${r.event}` : ""}): no state the spec can be in after line ${r.line - 1} can take it (${figures})`,
        r.line > 1 ? `  lines 1-${r.line - 1} matched; the last good state is reached by ${v.path ? replayPath(v.path) : "replay path -"} (explore --replay)` : `  no line matched`,
        `  why, for ${r.candidates.length} of the ${n(r.of)} candidate state(s):`,
      ];
      r.candidates.forEach((c, i) => {
        lines.push(`  candidate ${i + 1} (${replayPath(c.path)}): ${formatValue(c.state, 200)}`);
        for (const reason of c.reasons.slice(0, 12)) lines.push(`    ${reasonText(reason)}`);
        if (c.reasons.length > 12) lines.push(`    ... ${c.reasons.length - 12} more`);
      });
      return lines.join("\n");
    }
  }
}

function reasonText(r: Reason): string {
  const call = (action: string, args: readonly unknown[]) => `${action}${args.length ? `(${args.map((a) => formatValue(a, 40)).join(", ")})` : ""}`;
  switch (r.kind) {
    case "guard":
      return `${call(r.action, r.args)}: guard ${r.guards.join(", ")} false`;
    case "disabled":
      return `${call(r.action, r.args)}: disabled`;
    case "mismatch":
      return `${call(r.action, r.args)}: logged ${r.variable} = ${formatValue(r.expected, 120)}, but the action makes it ${formatValue(r.actual, 120)}`;
    case "no-instance":
      return `${r.action}: no instance has the logged arguments ${formatValue(r.wanted, 60)} (instances: ${r.available.map((a) => formatValue(a, 30)).join(" ") || "none"})`;
    case "mapping":
      return `the trace mapping rejects the line: ${r.message}`;
    case "accept":
    case "stutter":
      return r.message;
    case "condition":
      return `${call(r.action, r.args)}: the step fails condition ${r.conditions.join(", ")}`;
  }
}

function summary(outcomes: TraceOutcome[]): string {
  const count = (s: string) => outcomes.filter((o) => (o.inputError ? "malformed" : o.verdict!.status) === s).length;
  return `${outcomes.length} traces: ${count("valid")} valid, ${count("rejected")} rejected, ${count("incomplete")} incomplete, ${count("malformed") + count("error")} malformed or in error`;
}

function jsonReport(specFile: string, specName: string, outcomes: TraceOutcome[]): Record<string, unknown> {
  const worst = combineExitCodes(outcomes.map(exitCode));
  return {
    tool: "dscheck",
    command: "trace validate",
    spec: specFile,
    specName,
    status: worst === EXIT.ok ? "valid" : worst === EXIT.violation ? "rejected" : worst === EXIT.incomplete ? "incomplete" : "error",
    traces: outcomes.map((o) => {
      if (o.inputError) return { file: o.file, format: o.format, status: "malformed", error: o.inputError, seconds: o.seconds };
      const v = o.verdict!;
      return {
        file: o.file, format: o.format, status: v.status, lines: v.lines, matched: v.matched, peakCandidates: v.peakCandidates, finalCandidates: v.finalCandidates,
        seconds: o.seconds, params: v.params, replayPath: v.path?.join("/"), incompleteReason: v.incompleteReason,
        error: v.error ? { kind: v.error.kind, message: v.error.message } : undefined,
        witness: o.witness,
        witnessSpaceTime: o.witnessSpaceTime,
        rejection: v.rejection && {
          line: v.rejection.line, where: v.rejection.where, event: v.rejection.event, of: v.rejection.of,
          candidates: v.rejection.candidates.map((c) => ({ replayPath: c.path.join("/"), state: toJson(c.state), reasons: c.reasons.map((r) => reasonJson(r)) })),
        },
      };
    }),
  };
}

function reasonJson(r: Reason): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: r.kind, text: reasonText(r) };
  if ("action" in r) out.action = r.action;
  if ("args" in r) out.args = r.args.map(toJson);
  if (r.kind === "guard") out.guards = r.guards;
  if (r.kind === "mismatch") Object.assign(out, { variable: r.variable, expected: toJson(r.expected), actual: toJson(r.actual) });
  return out;
}
