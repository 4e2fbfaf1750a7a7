/**
 * A bivalence job, run where the spec is loaded (the analysis thread, analysis-thread.ts):
 * the analysis and its report as text or JSON, the CI cases and the --json object the command
 * renders --md / --html from. The main thread (commands/bivalence.ts) writes files and prints.
 */
import {
  analyzeBivalence, ConsensusError, ParamError, resolveParams, type BivalenceResult, type Consensus, type ParamDecls, type Progress, type Spec,
} from "../../checker/index.ts";
import { EXIT } from "../exit-codes.ts";
import { oneLine, type CiCase } from "../ci.ts";
import type { ThreadOutput } from "../supervised-thread.ts";
import { bivalenceCases, reportJson, text } from "../commands/bivalence.ts";

/** What the command asks its analysis thread to do: plain data. */
export interface BivalenceJob {
  readonly specFile: string;
  readonly specUrl: string;
  readonly params: Readonly<Record<string, string>>;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  /** Seconds. */
  readonly timeLimit?: number;
  /** The memory budget in MB (the thread's heap limit): --max-memory, else 80% of RAM. */
  readonly limitMB: number;
  /** --max-memory as given: the analysis also stops itself, with its partial graph, when resident memory exceeds it. */
  readonly maxMemory?: number;
  readonly critical: number;
  readonly json: boolean;
  /** Also return the result as CI test cases (--junit, or under GitHub Actions). */
  readonly ci: boolean;
}

const errorCase = (job: BivalenceJob, message: string): CiCase => ({ name: job.specFile, classname: `dscheck.bivalence.${job.specFile}`, status: "error", message: oneLine(message), report: message + "\n", file: job.specFile });

/** An error as the command prints it: one JSON object with --json, else one line; and one failing CI case. */
export function bivalenceError(job: BivalenceJob, kind: string, message: string, prefix: string): ThreadOutput {
  return {
    stdout: job.json ? JSON.stringify({ tool: "dscheck", command: "bivalence", spec: job.specFile, status: "error", error: { kind, message } }) + "\n" : "",
    stderr: job.json ? "" : `dscheck: ${prefix}${message}\n`,
    exitCode: EXIT.error,
    ...(job.ci ? { cases: [errorCase(job, message)] } : {}),
  };
}

export function runBivalenceJob(job: BivalenceJob, spec: Spec<unknown, ParamDecls>, consensus: Consensus<unknown>, onProgress: (p: Progress) => void): ThreadOutput {
  const t0 = performance.now();
  let result: BivalenceResult;
  try {
    resolveParams(spec.params, job.params);
    result = analyzeBivalence(spec, consensus, {
      params: job.params, maxStates: job.maxStates, maxDepth: job.maxDepth,
      timeLimitMs: job.timeLimit !== undefined ? job.timeLimit * 1000 : undefined,
      overBudget: job.maxMemory !== undefined ? () => (process.memoryUsage().rss / 2 ** 20 > job.maxMemory! ? `memory budget of ${job.maxMemory} MB reached` : undefined) : undefined,
      now: () => performance.now() - t0,
      onProgress,
      showCritical: job.critical,
    });
  } catch (e) {
    if (e instanceof ParamError) return bivalenceError(job, "usage", e.message, "");
    if (e instanceof ConsensusError) return bivalenceError(job, "consensus", e.message, "bad consensus declaration: ");
    if (e instanceof Error && e.name === "SpecError") return bivalenceError(job, "spec", e.message, "spec error: ");
    throw e;
  }
  const report = reportJson(job.specFile, spec.name, result);
  const exitCode = result.status === "ok" ? EXIT.ok : result.status === "violation" ? EXIT.violation : result.status === "incomplete" ? EXIT.incomplete : EXIT.error;
  return {
    stdout: job.json ? JSON.stringify(report) + "\n" : text(job.specFile, spec.name, result),
    stderr: "",
    exitCode,
    json: report,
    ...(job.ci ? { cases: bivalenceCases(job.specFile, spec.name, result) } : {}),
  };
}

/** The report of an analysis stopped from outside (spec code that did not return in time, or memory): exit 3. */
export function stoppedBivalence(job: BivalenceJob, name: string, reason: string, last: Progress | undefined): ThreadOutput {
  const figures = last ? `; ${last.distinctStates} states explored as of the last progress report` : "";
  const message = `${reason}${figures}`;
  const report = { tool: "dscheck", command: "bivalence", spec: job.specFile, name, status: "incomplete", error: message, warnings: [message] };
  return {
    stdout: job.json ? JSON.stringify(report) + "\n" : `${name}: INCOMPLETE: ${message}\n\nresult: INCOMPLETE (the analysis was stopped)\n`,
    stderr: "",
    exitCode: EXIT.incomplete,
    json: report,
    ...(job.ci ? { cases: [{ name, classname: `dscheck.bivalence.${job.specFile}`, status: "incomplete", message: oneLine(message), report: message + "\n", file: job.specFile }] } : {}),
  };
}
