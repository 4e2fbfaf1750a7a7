/**
 * `dscheck explore <spec>`: validate the options, load the spec (type-checked), and run the
 * search in a supervised thread (explore/supervisor.ts); print its report, set the exit code.
 */
import type { Command } from "commander";
import { Option } from "commander";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describeParams, MAX_WORKERS, ParamError, parseParamAssignments, resolveParams, type Progress, type Strategy } from "../../checker/index.ts";
import { EXIT } from "../exit-codes.ts";
import type { ExploreJob } from "../explore/job.ts";
import { defaultMemoryMB, usageError, type JobOutput } from "../explore/run-job.ts";
import { superviseSearch } from "../explore/supervisor.ts";
import { loadSpec, SpecLoadError } from "../load-spec.ts";
import { collect, intOption, positiveNumberOption } from "../options.ts";
import { writeErr, writeOut } from "../output.ts";
import { n } from "../report/format-value.ts";
import { emitCi, junitOption, lineIn, oneLine } from "../ci.ts";
import { htmlOption, mdOption, wantsReportFiles, writeReportFiles } from "../report-files.ts";
import { specLintProblem } from "../lint/before-explore.ts";

interface ExploreFlags {
  param: string[];
  invariant: string[];
  strategy: Strategy;
  maxDepth?: number;
  maxStates?: number;
  timeLimit?: number;
  maxMemory?: number;
  seed?: number;
  runs?: number;
  replay?: string;
  json?: boolean;
  deadlock: boolean;
  typecheck: boolean;
  lint: boolean;
  listParams?: boolean;
  workers: number;
  memoize?: boolean;
  itf?: string;
  eventLog?: string;
  junit?: string;
  md?: string;
  html?: string;
}

export function registerExplore(program: Command, setExit: (code: number) => void): void {
  program
    .command("explore")
    .description("explore every reachable state of a spec and check its properties")
    .argument("<spec>", "spec file (.ts) exporting a spec made with defineSpec")
    .option("-p, --param <name=value>", "override a spec parameter (repeatable)", collect, [])
    .option("-i, --invariant <name>", "check only this property (repeatable; default: all)", collect, [])
    .addOption(new Option("-s, --strategy <strategy>", "search strategy").choices(["bfs", "dfs", "simulate"]).default("bfs"))
    .option("--max-depth <n>", "do not expand states at this depth (a bound: the result can still be OK)", intOption("--max-depth", 0))
    .option("--max-states <n>", "budget: at most this many distinct states (exit 3 when the search needs more)", intOption("--max-states", 0))
    .option("--time-limit <seconds>", "budget: stop after this many seconds (exit 3)", positiveNumberOption("--time-limit"))
    .option("--max-memory <MB>", "budget: stop when the process uses this much memory (default 80% of RAM)", positiveNumberOption("--max-memory"))
    .option("--seed <n>", "simulation seed (printed in every simulation report)", intOption("--seed", 0, 2 ** 32 - 1))
    .option("--runs <n>", "simulation: number of random runs (default 1000)", intOption("--runs", 0))
    .option("--replay <path>", "check only the path given (e.g. 0/3/1, as printed with a counterexample)")
    .option("--json", "print one JSON object (schema: traces/schemas/explore-report.schema.json)")
    .option("--no-deadlock", "do not report states with no enabled action")
    .option("--no-typecheck", "skip type-checking the spec before loading it")
    .option("--no-lint", "skip the spec lint (dscheck lint) before exploring")
    .option("--list-params", "print the spec's parameters and exit")
    .option("--memoize", "BFS: memoize update actions over the state fields they read (the spec's `memoize` setting by default)")
    .option("--no-memoize", "BFS: evaluate every action on every state")
    .option("--itf <file>", "write the counterexample as an ITF trace (Apalache/Quint's format; `trace validate --format itf` reads it back)")
    .option("--event-log <file>", "write the counterexample (else the first example) as an NDJSON event log that `dscheck cuts` reads (specs that declare events)")
    .option("--workers <n>", `BFS with this many worker threads, 1 to ${MAX_WORKERS} (same counts and shortest counterexamples)`, intOption("--workers", 1, MAX_WORKERS), 1)
    .addOption(junitOption("property"))
    .addOption(mdOption())
    .addOption(htmlOption())
    .action(async (specFile: string, flags: ExploreFlags) => {
      setExit(await runExplore(specFile, flags));
    });
}

async function runExplore(specFile: string, flags: ExploreFlags): Promise<number> {
  const print = (out: JobOutput): number => {
    if (out.stderr) writeErr(out.stderr);
    if (out.stdout) writeOut(out.stdout);
    return out.exitCode;
  };
  const usage = (message: string) => {
    // A spec that cannot be loaded, or a bad parameter, is one failing test case, so that CI shows why.
    const ciError = emitCi("explore", [{ name: specFile, classname: `dscheck.explore.${specFile}`, status: "error", message: oneLine(message), report: message + "\n", file: specFile, line: lineIn(message) }], flags);
    return print(usageError({ json: flags.json ?? false, specFile }, ciError ? `${message}; ${ciError}` : message));
  };
  let spec;
  try {
    spec = await loadSpec(specFile, { typecheck: flags.typecheck });
  } catch (e) {
    if (e instanceof SpecLoadError) return usage(e.message);
    throw e;
  }
  if (flags.eventLog !== undefined && !spec.events) return usage(`--event-log: ${specFile} declares no events (a spec's \`events\` says who takes each step and what it sends and receives)`);
  if (flags.listParams) {
    writeOut(describeParams(spec.params).join("\n") + "\n");
    return EXIT.ok;
  }
  // An impure spec makes any verdict meaningless: its findings stop the run (see cli/lint/).
  const lintProblem = flags.lint ? await specLintProblem(specFile) : undefined;
  if (lintProblem) return usage(lintProblem);
  let params: Record<string, string>;
  try {
    params = parseParamAssignments(flags.param);
    // Checked here too, so that a bad value is a usage error before any thread starts.
    resolveParams(spec.params, params);
  } catch (e) {
    if (e instanceof ParamError) return usage(e.message);
    throw e;
  }
  const job: ExploreJob = {
    specFile,
    specUrl: pathToFileURL(resolve(specFile)).href,
    params,
    invariant: flags.invariant,
    strategy: flags.strategy,
    maxDepth: flags.maxDepth,
    maxStates: flags.maxStates,
    timeLimit: flags.timeLimit,
    limitMB: flags.maxMemory ?? defaultMemoryMB(),
    seed: flags.seed,
    runs: flags.runs,
    replay: flags.replay,
    json: flags.json ?? false,
    deadlock: flags.deadlock,
    workers: flags.workers,
    memoize: flags.memoize,
    itf: flags.itf,
    eventLog: flags.eventLog,
    ci: flags.junit !== undefined || process.env.GITHUB_ACTIONS === "true",
    report: wantsReportFiles(flags),
  };
  const progress = progressPrinter();
  const out = await superviseSearch(job, spec, progress);
  progress.done();
  // The report files are written before the verdict is printed (a failure is exit 2 alone).
  const fileError = out.json !== undefined ? await writeReportFiles(out.json, flags) : undefined;
  if (fileError) return print({ stdout: "", stderr: `${out.stderr}dscheck: ${fileError}\n`, exitCode: EXIT.error });
  if (out.cases) {
    const ciError = emitCi("explore", out.cases, flags);
    if (ciError) return print({ stdout: "", stderr: `${out.stderr}dscheck: ${ciError}\n`, exitCode: EXIT.error });
  }
  return print(out);
}

/** Progress on stderr (never on stdout, so --json stays one object): a live line on a TTY, a line every 5 s otherwise. */
function progressPrinter(): ((p: Progress) => void) & { done(): void } {
  const tty = process.stderr.isTTY === true;
  const every = tty ? 1000 : 5000;
  let last = 0, shown = false;
  const f = (p: Progress) => {
    if (p.elapsedMs - last < every || p.elapsedMs < 2000) return;
    last = p.elapsedMs;
    const rate = p.distinctStates / (p.elapsedMs / 1000);
    const line = `progress: ${n(p.distinctStates)} distinct, ${n(p.generatedStates)} generated, depth ${p.depth}, queue ${n(p.queueSize)}, ${n(rate)} states/s, ${(p.elapsedMs / 1000).toFixed(0)} s`;
    if (tty) {
      writeErr(`\r${line}\x1b[K`);
      shown = true;
    } else writeErr(line + "\n");
  };
  f.done = () => {
    if (shown) writeErr("\n");
  };
  return f;
}
