/**
 * `dscheck explore <spec>`: load a spec, explore it, print the report, set the exit code.
 */
import type { Command } from "commander";
import { Option } from "commander";
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { exploreParallel } from "../parallel/coordinator.ts";
import { explore, parseParamAssignments, ParamError, parseReplayPath, replay, describeParams, type ExploreResult, type Progress, type Strategy } from "../../checker/index.ts";
import { EXIT, exitCodeFor } from "../exit-codes.ts";
import { loadSpec, SpecLoadError } from "../load-spec.ts";
import { exploreReportJson, stepsJson } from "../report/explore-json.ts";
import { exploreText, traceText } from "../report/explore-text.ts";
import { n } from "../report/format-value.ts";

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
  listParams?: boolean;
  workers: number;
  memoize?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];
function positiveInt(name: string) {
  return (v: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 0) throw new ParamError(`${name} expects a non-negative integer, got "${v}"`);
    return x;
  };
}
function positiveNumber(name: string) {
  return (v: string) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new ParamError(`${name} expects a positive number, got "${v}"`);
    return x;
  };
}

export function registerExplore(program: Command, setExit: (code: number) => void): void {
  program
    .command("explore")
    .description("explore every reachable state of a spec and check its properties")
    .argument("<spec>", "spec file (.ts) exporting a spec made with defineSpec")
    .option("-p, --param <name=value>", "override a spec parameter (repeatable)", collect, [])
    .option("-i, --invariant <name>", "check only this property (repeatable; default: all)", collect, [])
    .addOption(new Option("-s, --strategy <strategy>", "search strategy").choices(["bfs", "dfs", "simulate"]).default("bfs"))
    .option("--max-depth <n>", "do not expand states at this depth (a bound: the result can still be OK)", positiveInt("--max-depth"))
    .option("--max-states <n>", "budget: stop after this many distinct states (exit 3)", positiveInt("--max-states"))
    .option("--time-limit <seconds>", "budget: stop after this many seconds (exit 3)", positiveNumber("--time-limit"))
    .option("--max-memory <MB>", "budget: stop when the process uses this much memory (default 80% of RAM)", positiveNumber("--max-memory"))
    .option("--seed <n>", "simulation seed (printed in every simulation report)", positiveInt("--seed"))
    .option("--runs <n>", "simulation: number of random runs (default 1000)", positiveInt("--runs"))
    .option("--replay <path>", "check only the path given (e.g. 0/3/1, as printed with a counterexample)")
    .option("--json", "print one JSON object (schema: traces/schemas/explore-report.schema.json)")
    .option("--no-deadlock", "do not report states with no enabled action")
    .option("--no-typecheck", "skip type-checking the spec before loading it")
    .option("--list-params", "print the spec's parameters and exit")
    .option("--memoize", "BFS: memoize actions over the state fields they read (the spec's `memoize` setting by default)")
    .option("--no-memoize", "BFS: evaluate every action on every state")
    .option("--workers <n>", "BFS with this many worker threads (same counts and shortest counterexamples)", positiveInt("--workers"), 1)
    .action(async (specFile: string, flags: ExploreFlags) => {
      setExit(await runExplore(specFile, flags));
    });
}

async function runExplore(specFile: string, flags: ExploreFlags): Promise<number> {
  const fail = (message: string): number => {
    if (flags.json) process.stdout.write(JSON.stringify({ tool: "dscheck", spec: specFile, status: "error", error: { kind: "usage", message } }) + "\n");
    else process.stderr.write(`dscheck: ${message}\n`);
    return EXIT.error;
  };
  let spec;
  try {
    spec = await loadSpec(specFile, { typecheck: flags.typecheck });
  } catch (e) {
    if (e instanceof SpecLoadError) return fail(e.message);
    throw e;
  }
  if (flags.listParams) {
    process.stdout.write(describeParams(spec.params).join("\n") + "\n");
    return EXIT.ok;
  }
  let params: Record<string, string>;
  try {
    params = parseParamAssignments(flags.param);
    if (flags.replay) return replayCommand(specFile, spec, flags, params);
    const limitMB = flags.maxMemory ?? Math.floor((totalmem() / 2 ** 20) * 0.8);
    const progress = progressPrinter();
    const t0 = performance.now();
    const parallel = flags.workers > 1 && flags.strategy === "bfs" && flags.maxDepth === undefined;
    if (flags.workers > 1 && !parallel) {
      process.stderr.write("dscheck: --workers applies to BFS without --max-depth (not built for DFS, simulation or depth bounds); running one worker\n");
    }
    if (flags.memoize && flags.strategy !== "bfs") {
      process.stderr.write("dscheck: --memoize applies to BFS; this run evaluates every action\n");
    } else if ((flags.memoize ?? spec.memoize) && flags.memoize !== false && spec.view) {
      // Memo entries are edits of stored field values, and with a view states are stored whole.
      process.stderr.write("dscheck: memoized actions are not used with a view (the spec has one); this run evaluates every action\n");
    }
    const result = parallel
      ? await exploreParallel(pathToFileURL(resolve(specFile)).href, spec, {
          workers: flags.workers,
          params,
          properties: flags.invariant,
          checkDeadlock: flags.deadlock ? undefined : false,
          maxStates: flags.maxStates,
          timeLimitMs: flags.timeLimit !== undefined ? flags.timeLimit * 1000 : undefined,
          overBudget: () => memoryOver(limitMB),
          onProgress: progress,
          memoize: flags.memoize,
        })
      : explore(spec, {
      strategy: flags.strategy,
      params,
      properties: flags.invariant,
      checkDeadlock: flags.deadlock ? undefined : false,
      maxDepth: flags.maxDepth,
      maxStates: flags.maxStates,
      timeLimitMs: flags.timeLimit !== undefined ? flags.timeLimit * 1000 : undefined,
      overBudget: () => memoryOver(limitMB),
      now: () => performance.now() - t0,
      onProgress: progress,
      seed: flags.strategy === "simulate" ? (flags.seed ?? (Date.now() & 0x7fffffff)) : undefined,
      runs: flags.runs,
      memoize: flags.memoize,
    });
    progress.done();
    const reproduce = reproduceCommand(specFile, result);
    if (flags.json) process.stdout.write(JSON.stringify(exploreReportJson(specFile, spec.name, result, reproduce)) + "\n");
    else process.stdout.write(exploreText(specFile, spec.name, spec.description, result, reproduce) + "\n");
    return exitCodeFor(result.status);
  } catch (e) {
    if (e instanceof ParamError) return fail(e.message);
    throw e;
  }
}

function replayCommand(specFile: string, spec: Awaited<ReturnType<typeof loadSpec>>, flags: ExploreFlags, params: Record<string, string>): number {
  let path: number[];
  try {
    path = parseReplayPath(flags.replay!);
  } catch (e) {
    throw new ParamError((e as Error).message);
  }
  const r = replay(spec, path, { params, properties: flags.invariant, checkDeadlock: flags.deadlock ? undefined : false });
  if (flags.json) {
    process.stdout.write(JSON.stringify({ tool: "dscheck", spec: specFile, specName: spec.name, strategy: "replay", status: r.status, params: r.params, replayPath: path.join("/"), property: r.violation?.property, violation: r.violation, trace: stepsJson(r.trace), error: r.error ? { kind: r.error.kind, message: r.error.message } : undefined }) + "\n");
  } else {
    const lines = [`replaying ${path.join("/")} on ${spec.name} (${Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(" ")})`, ...traceText(r.trace)];
    if (r.status === "ok") lines.push(`OK: every property holds along this path of ${r.trace.length - 1} steps`);
    if (r.violation) lines.push(`VIOLATION of ${r.violation.property} (${r.violation.kind}) at step ${r.violation.step}${r.violation.explanation ? `: ${r.violation.explanation}` : ""}`);
    if (r.error) lines.push(`SPEC ERROR (${r.error.kind}): ${r.error.message}`);
    process.stdout.write(lines.join("\n") + "\n");
  }
  return exitCodeFor(r.status);
}

/**
 * The memory budget: the process's resident size, and the JavaScript heap's own limit (hitting
 * that one would crash the process instead of ending the search as incomplete).
 */
function memoryOver(limitMB: number): string | undefined {
  if (process.memoryUsage().rss / 2 ** 20 > limitMB) return `memory budget of ${n(limitMB)} MB reached`;
  const heap = getHeapStatistics();
  if (heap.used_heap_size > 0.9 * heap.heap_size_limit) {
    return `JavaScript heap nearly full (${n(heap.used_heap_size / 2 ** 20)} of ${n(heap.heap_size_limit / 2 ** 20)} MB; raise it with NODE_OPTIONS=--max-old-space-size=MB)`;
  }
  return undefined;
}

/** The command line that reproduces a counterexample: the same run, narrowed to its path. */
function reproduceCommand(specFile: string, r: ExploreResult): string | undefined {
  if (r.status !== "violation" || !r.violation || !("path" in r.violation)) return undefined;
  const params = Object.entries(r.params).map(([k, v]) => `--param ${k}=${v}`).join(" ");
  return `npx dscheck explore ${specFile} ${params} --replay ${r.violation.path.join("/")}${r.seed !== undefined ? `  (simulation seed ${r.seed}: --strategy simulate --seed ${r.seed})` : ""}`;
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
      process.stderr.write(`\r${line}\x1b[K`);
      shown = true;
    } else process.stderr.write(line + "\n");
  };
  f.done = () => {
    if (shown) process.stderr.write("\n");
  };
  return f;
}
