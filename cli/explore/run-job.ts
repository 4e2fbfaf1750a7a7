/**
 * An explore job, run where the spec is loaded (the search thread): the search or the
 * replay, and the report as text or JSON. Returns what to print and the exit code; the
 * supervisor (supervisor.ts) prints it.
 */
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import {
  explore, exploreParallel, MAX_WORKERS, ParamError, parseReplayPath, replay, resolveParams, setField, stateToItf, writeItf,
  type ExploreOptions, type ExploreResult, type ParamDecls, type ParamValues, type Progress, type Spec, type TraceStep,
} from "../../checker/index.ts";
import { EXIT, exitCodeFor } from "../exit-codes.ts";
import { threadTransport } from "../parallel/thread-transport.ts";
import { writeAtomically } from "../write-atomically.ts";
import { exploreReportJson, replayReportJson } from "../report/explore-json.ts";
import { exploreText, replayText } from "../report/explore-text.ts";
import { n } from "../report/format-value.ts";
import type { ExploreJob } from "./job.ts";
import type { ExploreReplayReport } from "../../traces/generated/explore-replay-report.ts";
import type { CiCase } from "../ci.ts";
import { exploreCases, replayCases } from "./ci-cases.ts";
import { runEventLog, RunEventsError } from "../../checker/cuts/from-run.ts";
import { specSpaceTime, withSpaceTime } from "../../report/space-time.ts";

export interface JobOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** With job.ci: the result as CI test cases (--junit, GitHub annotations). */
  cases?: CiCase[];
  /** With job.report: the --json object (the command renders --md / --html from it). */
  json?: unknown;
}

/** The --json object of a result, when the job wants it for --md / --html. */
function reportJson(job: ExploreJob, spec: Spec<unknown, ParamDecls>, result: ExploreResult): { json?: unknown } {
  return job.report ? { json: withSpaceTime(exploreReportJson(job.specFile, spec.name, result, reproduceCommand(job.specFile, result)), spec, result) } : {};
}

/** The CI test cases of a result (job.ci only: they need the text report, also under --json). */
function ciCases(job: ExploreJob, spec: Spec<unknown, ParamDecls>, result: ExploreResult): { cases?: CiCase[] } {
  return job.ci ? { cases: exploreCases(job.specFile, result, exploreReport({ ...job, json: false }, spec, result)) } : {};
}

export async function runJob(job: ExploreJob, spec: Spec<unknown, ParamDecls>, onProgress: (p: Progress) => void): Promise<JobOutput> {
  const notes: string[] = [];
  try {
    if (job.replay) return replayJob(job, spec);
    const t0 = performance.now();
    const options: ExploreOptions = {
      strategy: job.strategy,
      params: job.params,
      properties: job.invariant,
      checkDeadlock: job.deadlock ? undefined : false,
      maxDepth: job.maxDepth,
      maxStates: job.maxStates,
      timeLimitMs: job.timeLimit !== undefined ? job.timeLimit * 1000 : undefined,
      overBudget: () => memoryOver(job.limitMB),
      now: () => performance.now() - t0,
      onProgress,
      seed: job.strategy === "simulate" ? (job.seed ?? (Date.now() & 0x7fffffff)) : undefined,
      runs: job.runs,
      memoize: job.memoize,
    };
    const parallel = job.workers > 1 && job.strategy === "bfs";
    if (job.workers > 1 && !parallel) notes.push(`--workers applies to BFS (--strategy ${job.strategy} runs on one thread); this run uses one worker`);
    notes.push(...memoNotes(job, spec));
    const result = parallel
      ? await exploreParallel(spec, { ...options, workers: job.workers }, threadTransport(job.specUrl, { maxOldGenerationSizeMb: Math.max(64, Math.floor(job.limitMB / (job.workers + 1))) }))
      : explore(spec, options);
    if (job.itf) {
      const written = writeItfTrace(job, spec, result);
      notes.push(written);
    }
    if (job.eventLog) notes.push(writeRunEventLog(job, spec, result));
    return { stdout: exploreReport(job, spec, result), stderr: notes.map((l) => `dscheck: ${l}\n`).join(""), exitCode: exitCodeFor(result.status), ...ciCases(job, spec, result), ...reportJson(job, spec, result) };
  } catch (e) {
    if (e instanceof ParamError) return usageError(job, e.message, notes);
    throw e;
  }
}

/** The report of a search that was stopped from outside (its spec code did not return in time, or it ran out of memory). */
export function stoppedReport(job: ExploreJob, spec: Spec<unknown, ParamDecls>, reason: string, last: Progress | undefined): JobOutput {
  let params: Record<string, number | string | boolean> = {};
  try {
    params = resolveParams(spec.params, job.params);
  } catch {
    // Reported as usage errors elsewhere; the figures matter here.
  }
  const result: ExploreResult = {
    status: "incomplete", strategy: job.strategy, workers: job.workers > 1 && job.strategy === "bfs" ? job.workers : 1, params,
    properties: Object.entries(spec.properties ?? {}).map(([name, p]) => ({ name, kind: p.kind })),
    distinctStates: last?.distinctStates ?? 0, generatedStates: last?.generatedStates ?? 0, maxDepth: last?.depth ?? 0, maxQueueSize: last?.queueSize ?? 0,
    elapsedMs: last?.elapsedMs ?? 0, bytesPerState: 0, traceBytesPerState: 0, collisionProbability: { optimistic: 0, birthday: 0 },
    examples: {}, coverage: [], warnings: [], exhaustive: false,
    incompleteReason: `${reason}; figures as of the last progress report`,
  };
  return { stdout: exploreReport(job, spec, result), stderr: "", exitCode: EXIT.incomplete, ...ciCases(job, spec, result), ...reportJson(job, spec, result) };
}

export function usageError(job: Pick<ExploreJob, "json" | "specFile">, message: string, notes: string[] = []): JobOutput {
  const stderr = notes.map((l) => `dscheck: ${l}\n`).join("");
  if (job.json) return { stdout: JSON.stringify({ tool: "dscheck", command: "explore", spec: job.specFile, status: "error", error: { kind: "usage", message } }) + "\n", stderr, exitCode: EXIT.error };
  return { stdout: "", stderr: `${stderr}dscheck: ${message}\n`, exitCode: EXIT.error };
}

function exploreReport(job: ExploreJob, spec: Spec<unknown, ParamDecls>, result: ExploreResult): string {
  const reproduce = reproduceCommand(job.specFile, result);
  if (job.json) return JSON.stringify(withSpaceTime(exploreReportJson(job.specFile, spec.name, result, reproduce), spec, result)) + "\n";
  return exploreText(job.specFile, spec.name, spec.description, result, reproduce) + "\n";
}

function replayJob(job: ExploreJob, spec: Spec<unknown, ParamDecls>): JobOutput {
  let path: number[];
  try {
    path = parseReplayPath(job.replay!);
  } catch (e) {
    throw new ParamError((e as Error).message);
  }
  const r = replay(spec, path, { params: job.params, properties: job.invariant, checkDeadlock: job.deadlock ? undefined : false });
  const eventLogNote = job.eventLog ? `dscheck: ${r.trace.length ? writeEventLog(job, spec, r.params, r.trace, "the replayed path") : `--event-log: the path did not replay; ${job.eventLog} not written`}\n` : "";
  // The diagram as a search's counterexample has it, the violating step highlighted; a throwing events declaration is a warning only.
  const drawn = job.json || job.report ? specSpaceTime(spec, r.params, r.trace, { highlightStep: r.violation?.step }) : {};
  const json = job.json || job.report ? replayReportJson(job.specFile, spec.name, path, r, drawn.spaceTime as ExploreReplayReport["spaceTime"]) : undefined;
  const stderr = eventLogNote + (drawn.warning ? `dscheck: ${drawn.warning}\n` : "");
  const stdout = job.json ? JSON.stringify(json) + "\n" : replayText(spec.name, path, r) + "\n";
  return { stdout, stderr, exitCode: exitCodeFor(r.status), ...(job.ci ? { cases: replayCases(job.specFile, path, r, replayText(spec.name, path, r) + "\n") } : {}), ...(job.report ? { json } : {}) };
}

function memoNotes(job: ExploreJob, spec: Spec<unknown, ParamDecls>): string[] {
  const wanted = job.memoize ?? spec.memoize ?? false;
  if (!wanted || job.memoize === false) return [];
  if (job.strategy !== "bfs") return job.memoize ? ["--memoize applies to BFS; this run evaluates every action"] : [];
  // Memo entries are edits of stored field values, and with a view states are stored whole.
  if (spec.view) return ["memoized actions are not used with a view (the spec has one); this run evaluates every action"];
  if (!spec.actions.some((a) => typeof a.update === "function")) return ["memoize applies to actions written as update (returning the fields they write); this spec has none, so every action is evaluated"];
  return [];
}

/**
 * The memory budget: the process's resident size, and the JavaScript heap's own limit (hitting
 * that one would end the thread instead of the search).
 */
function memoryOver(limitMB: number): string | undefined {
  if (process.memoryUsage().rss / 2 ** 20 > limitMB) return `memory budget of ${n(limitMB)} MB reached`;
  const heap = getHeapStatistics();
  if (heap.used_heap_size > 0.9 * heap.heap_size_limit) return `memory budget reached: the JavaScript heap is nearly full (${n(heap.used_heap_size / 2 ** 20)} of ${n(heap.heap_size_limit / 2 ** 20)} MB)`;
  return undefined;
}

/**
 * Writes the run's counterexample (else its first example) as ITF: `#meta`, `vars` (the
 * state's fields) and one entry per state. Returns the note to print.
 */
function writeItfTrace(job: ExploreJob, spec: Spec<unknown, ParamDecls>, r: ExploreResult): string {
  const found = r.violation && "trace" in r.violation ? r.violation : Object.values(r.examples)[0];
  if (!found) return `--itf: no counterexample or example to write; ${job.itf} not written`;
  const states = found.trace.map((step) => step.state);
  const record = (s: unknown) => (s !== null && typeof s === "object" && !Array.isArray(s) && !(s instanceof Map) ? (s as Record<string, unknown>) : { state: s });
  const vars = Object.keys(record(states[0]));
  const doc = {
    "#meta": { format: "ITF", "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html", source: job.specFile, description: `${spec.name}: ${found.property} (${found.kind}), replay path ${found.path.join("/")}` },
    vars,
    states: states.map((s, index) => {
      const out: Record<string, unknown> = { "#meta": { index } };
      const rec = record(s);
      for (const v of vars) setField(out, v, writeItf(stateToItf(rec[v])));
      return out;
    }),
  };
  try {
    writeAtomically(job.itf!, JSON.stringify(doc, null, 1) + "\n");
  } catch (e) {
    throw new ParamError(`--itf ${job.itf}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return `wrote ${found.trace.length} states of ${found.property}'s trace to ${job.itf}`;
}

/** Writes the run's counterexample (else its first example) as an event log for `dscheck cuts`. Returns the note to print. */
function writeRunEventLog(job: ExploreJob, spec: Spec<unknown, ParamDecls>, r: ExploreResult): string {
  const found = r.violation && "trace" in r.violation ? r.violation : Object.values(r.examples)[0];
  if (!found) return `--event-log: no counterexample or example to write; ${job.eventLog} not written`;
  return writeEventLog(job, spec, r.params, found.trace, `${found.property}'s run`);
}

function writeEventLog(job: ExploreJob, spec: Spec<unknown, ParamDecls>, params: ExploreResult["params"], trace: readonly TraceStep[], what: string): string {
  let text: string;
  try {
    text = runEventLog(spec.events!, params as unknown as ParamValues<ParamDecls>, trace);
  } catch (e) {
    if (e instanceof RunEventsError) throw new ParamError(`--event-log: ${spec.name}'s events do not describe ${what}: ${e.message}`);
    throw e;
  }
  try {
    writeAtomically(job.eventLog!, text);
  } catch (e) {
    throw new ParamError(`--event-log ${job.eventLog}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return `wrote ${what} (${trace.length - 1} steps) as an event log to ${job.eventLog}`;
}

/** The default memory budget: 80% of RAM. */
export function defaultMemoryMB(): number {
  return Math.floor((totalmem() / 2 ** 20) * 0.8);
}

/** The command line that reproduces a counterexample: the same run, narrowed to its path. */
function reproduceCommand(specFile: string, r: ExploreResult): string | undefined {
  if (r.status !== "violation" || !r.violation || !("path" in r.violation)) return undefined;
  const params = Object.entries(r.params).map(([k, v]) => `--param ${k}=${v}`).join(" ");
  return `npx dscheck explore ${specFile} ${params} --replay ${r.violation.path.join("/")}${r.seed !== undefined ? `  (simulation seed ${r.seed}: --strategy simulate --seed ${r.seed})` : ""}`;
}

export { MAX_WORKERS };
