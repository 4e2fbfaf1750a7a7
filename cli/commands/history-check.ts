/**
 * `dscheck history check <file...> --model <name>`: linearizability / sequential consistency
 * of recorded histories. Reads, checks, prints; the verdict-to-exit-code mapping is
 * cli/exit-codes.ts. Malformed input is one line naming the file and line or JSON pointer.
 * Budgets (time, memory, cache size) that run out give "unknown" (exit 3) with the partial
 * result; sequential consistency is only searched when asked (`--ladder` or
 * `--consistency sequential`), so it never slows a linearizability check.
 */
import { createRequire } from "node:module";
import { totalmem } from "node:os";
import { Command, Option } from "commander";
import { EXIT, type Verdict } from "../exit-codes.ts";
import { intOption, positiveNumberOption } from "../options.ts";
import { writeErr, writeOut } from "../output.ts";
import { caseStatus, emptyShardNote, junitOption, lineIn, selectShard, shardOption, type Shard } from "../ci-flags.ts";
import type { CiCase } from "../ci.ts";
import { oneLine } from "../../report/render/junit.ts";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { MAX_VALUE_DEPTH, nestingDepth, showEdn } from "../../checker/history/edn-value.ts";
import { readTextFile } from "../../traces/input.ts";
import { parseEdnForm, parseJsonExact } from "../../traces/jepsen/read.ts";
import { HISTORY_FORMATS, readHistory, type HistoryFormat } from "../../traces/porcupine/read-any.ts";
import { BUILTIN_MODELS, builtinModel } from "../../checker/linearizability/models/registry.ts";
import { checkHistory, type CheckResult, type Criterion } from "../../checker/linearizability/check.ts";
import { linearizationOf } from "../../checker/linearizability/linearization.ts";
import { DEFAULT_MAX_CONFIGURATIONS, type BudgetReason } from "../../checker/linearizability/budget.ts";
import { explainPartition, formatExplanation, type ViolationExplanation } from "../../checker/linearizability/explain.ts";
import { htmlOption, mdOption, wantsReportFiles, writeReportFiles } from "../report-files.ts";
import { emitReports, renderedElement, taggedReports } from "../history-reports.ts";

interface Options {
  model?: string;
  init?: string;
  consistency: Criterion;
  ladder?: boolean;
  format: HistoryFormat;
  timeLimit: number;
  maxMemory?: number;
  maxConfigurations: number;
  json?: boolean;
  html?: string;
  md?: string;
  junit?: string;
  shard?: Shard;
}

/** One file's outcome, as printed by --json. */
interface FileReport {
  file: string;
  status: "ok" | "violation" | "unknown" | "error";
  elapsedMs: number;
  format?: string;
  model?: string;
  criterion?: Criterion;
  level?: string;
  operations?: number;
  partitions?: number;
  /** For "unknown": the budget that ran out (time, memory or cache). */
  reason?: BudgetReason;
  /** Said when there was nothing to check (no client operations). */
  note?: string;
  explanations?: ViolationExplanation[];
  /** Linearizable: the operation ids in the order of the linearization found (--json and report files only). */
  linearization?: number[];
  /** Not ok, or with a linearization: the operations as a timeline for reports (`dscheck report`, --md, --html; --json and report files only). */
  timeline?: Timeline;
  error?: string;
}

/** The operations (the first 2,000 by call) and nemesis events of a history, on its clock. */
interface Timeline {
  operations: { id: number; process: string; label: string; call: number; ret?: number; completion: "ok" | "fail" | "info" }[];
  nemesis: { at: number; process: string; label: string }[];
  truncated: boolean;
}

const TIMELINE_LIMIT = 2000;

function timelineOf(model: { describeOperation(input: never, output: never): string }, history: ReturnType<typeof readHistory>): Timeline {
  const text = (v: unknown) => {
    const s = showEdn(v);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  };
  const operations: Timeline["operations"] = [];
  for (let k = 0; k < history.ops.length && k < TIMELINE_LIMIT; k++) {
    const op = history.ops[k];
    const label = model.describeOperation(op.input as never, op.output as never);
    // Two literal shapes (not a spread per operation), keys in the printed order.
    operations.push(
      Number.isFinite(op.ret)
        ? { id: op.id, process: String(op.process), label, call: op.call, ret: op.ret, completion: op.completion }
        : { id: op.id, process: String(op.process), label, call: op.call, completion: op.completion },
    );
  }
  return {
    operations,
    nemesis: (history.nemesis ?? []).slice(0, TIMELINE_LIMIT).map((e) => ({ at: e.at, process: e.process, label: `${e.type} ${e.f}${e.value === undefined || e.value === null ? "" : ` ${text(e.value)}`}` })),
    truncated: history.ops.length > TIMELINE_LIMIT || (history.nemesis?.length ?? 0) > TIMELINE_LIMIT,
  };
}

/**
 * Default memory budget: 80% of RAM, and never past 85% of the JavaScript heap limit. The
 * process is asked at most every few milliseconds (process.memoryUsage() costs a system
 * call and a heap walk; searches ask every thousand steps).
 */
export function memoryGuard(limitMB: number | undefined): () => boolean {
  const rssLimit = (limitMB ?? Math.floor((totalmem() / 2 ** 20) * 0.8)) * 2 ** 20;
  // node:v8 (a few ms to load) only when first asked: many searches end before they ask.
  let heapLimit: number | undefined;
  let askedAt = -Infinity;
  let exceeded = false;
  return () => {
    const now = performance.now();
    if (now - askedAt < MEMORY_READ_INTERVAL_MS) return exceeded;
    askedAt = now;
    const m = process.memoryUsage();
    heapLimit ??= (createRequire(import.meta.url)("node:v8") as typeof import("node:v8")).getHeapStatistics().heap_size_limit * 0.85;
    exceeded = m.rss > rssLimit || m.heapUsed > heapLimit;
    return exceeded;
  };
}

const MEMORY_READ_INTERVAL_MS = 25;

/** Parses --init as JSON, else as EDN (`:kw`, `#{1 2}`, `2N`); exact, depth-bounded. */
function parseInit(text: string): unknown {
  try {
    return parseJsonExact(text, "--init");
  } catch (jsonError) {
    if (!(jsonError instanceof InputError)) throw jsonError;
    if (!/not valid JSON/.test(jsonError.detail)) throw jsonError;
    try {
      const v = parseEdnForm(text, "--init", "");
      if (nestingDepth(v, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) throw new InputError("--init", undefined, `nested deeper than ${MAX_VALUE_DEPTH} levels`);
      return v;
    } catch (e) {
      if (e instanceof InputError) throw new InputError("--init", undefined, `is neither JSON nor EDN: ${text.length > 60 ? text.slice(0, 57) + "..." : text}`);
      throw e;
    }
  }
}

const REASON_TEXT: Record<BudgetReason, string> = { time: "time limit", memory: "memory budget", cache: "cache-size budget (--max-configurations)" };

/** Where the history sits on the ladder linearizable / sequentially consistent / neither. */
function levelText(r: FileReport, ladder: boolean): string {
  const budget = r.reason ? REASON_TEXT[r.reason] : "budget";
  if (r.criterion === "sequential") return r.status === "violation" ? "not sequentially consistent" : `sequential consistency undecided within the ${budget}`;
  if (r.level === "sequential") return "not linearizable, but sequentially consistent";
  if (r.level === "neither") return "neither linearizable nor sequentially consistent";
  if (r.status === "violation") return ladder ? `not linearizable; sequential consistency undecided within its share of the ${budget}` : "not linearizable (sequential consistency not checked: --ladder)";
  return `undecided within the ${budget}`;
}

/**
 * Checks one file. `detail`: the linearization and the timeline, which only the JSON report
 * and the report files carry (the text report and CI cases do not: they are not computed).
 */
function checkFile(file: string, opts: Options, init: unknown, memoryExceeded: () => boolean, detail: boolean): { report: FileReport } {
  const start = performance.now();
  const elapsed = () => Math.round((performance.now() - start) * 10) / 10;
  try {
    const text = readTextFile(file);
    const history = guardedRead(file, () => readHistory(text, file, opts.format));
    // An empty capture is far more likely a broken pipeline than a history worth passing.
    if (history.records === 0) throw new InputError(file, undefined, "the file holds no operations");
    const modelName = opts.model ?? history.model;
    if (!modelName) throw new InputError(file, undefined, `no model: pass --model (${BUILTIN_MODELS.join(", ")})`);
    const initValue = init !== undefined ? init : history.init;
    if (initValue !== undefined && nestingDepth(initValue, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) throw new InputError(file, "#/init", `nested deeper than ${MAX_VALUE_DEPTH} levels`);
    const model = builtinModel(modelName, {
      init: initValue,
      // Porcupine's etcd test reads nil as "key absent"; Knossos reads it as "value unknown".
      nilReadMatchesAny: history.format !== "porcupine-etcd",
    });
    if (!model) throw new InputError(file, undefined, `unknown model "${modelName}" (known: ${BUILTIN_MODELS.join(", ")})`);
    for (let k = 0; k < history.ops.length; k++) {
      const op = history.ops[k];
      const problem = model.checkInput(op.input);
      if (problem) throw new InputError(file, op.source, problem);
    }
    const base = { file, format: history.format, model: model.name, criterion: opts.consistency, operations: history.ops.length };
    if (history.ops.length === 0) {
      // Knossos and Elle call an empty client history valid: agree, and say so.
      return {
        report: { ...base, status: "ok", elapsedMs: elapsed(), level: opts.consistency === "sequential" ? "sequential" : "linearizable", partitions: 0, note: `no client operations (${history.records} non-client record(s)): nothing to check`, explanations: [] },
      };
    }
    const limitMs = opts.timeLimit * 1000;
    const now = () => performance.now();
    const deadline = now() + limitMs;
    const ladder = !!opts.ladder;
    const result: CheckResult = checkHistory(model, history.ops, {
      criterion: opts.consistency,
      now,
      deadline,
      memoryExceeded,
      maxConfigurations: opts.maxConfigurations,
      ladder,
      // Sequential consistency can cost far more than linearizability: it gets its own budget,
      // a tenth of the time limit, after the linearizability search.
      ladderDeadline: now() + limitMs / 10,
    });
    // The requested criterion's failing partitions explain the verdict; the weaker criterion's
    // only when it alone proved the violation (the first search ran out of budget).
    const primary = result.partitions.filter((p) => p.result.status !== "ok");
    const provedBySequential = !primary.some((p) => p.result.status === "violation");
    const failing = [...primary, ...(provedBySequential ? (result.sequential ?? []) : [])].filter((p) => p.result.status !== "ok");
    const explanations = result.status === "ok" ? [] : failing.slice(0, 3).map((p) => explainPartition(model, p));
    const linearization = detail ? linearizationOf(result) : undefined;
    return {
      report: {
        ...base,
        status: result.status,
        elapsedMs: elapsed(),
        criterion: result.criterion,
        level: result.level,
        operations: result.operationCount,
        partitions: result.partitionCount,
        ...(result.reason ? { reason: result.reason } : {}),
        explanations,
        ...(linearization ? { linearization } : {}),
        ...(detail && (result.status !== "ok" || linearization) ? { timeline: timelineOf(model, history) } : {}),
      },
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { report: { file, status: "error", elapsedMs: elapsed(), error: e.message } };
  }
}

function printHuman(r: FileReport, ladder: boolean): string {
  const budget = r.reason ? REASON_TEXT[r.reason] : "budget";
  const verdict = r.status === "ok" ? (r.criterion === "sequential" ? "sequentially consistent" : "linearizable") : r.status === "violation" ? "VIOLATION" : `UNKNOWN (${budget} reached)`;
  const level = r.status === "ok" ? "" : ` - ${levelText(r, ladder)}`;
  const lines = [`${r.file}: ${verdict}${level} [${r.operations} ops, ${r.partitions} partition(s), model ${r.model}, ${r.elapsedMs} ms]`];
  if (r.note) lines.push(`  ${r.note}`);
  for (const e of r.explanations ?? []) for (const line of formatExplanation(e)) lines.push(`  ${line}`);
  return lines.join("\n") + "\n";
}

/** Adds `check` under the `history` command. Sets the exit code through `setExit`. */
export function registerHistoryCheck(history: Command, setExit: (code: number) => void): void {
  history
    .command("check")
    .description("check histories for linearizability or sequential consistency against a model")
    .argument("<file...>", "history files (Jepsen EDN/JSON, Porcupine etcd/kv logs, dscheck JSON)")
    .option("--model <name>", `sequential specification: ${BUILTIN_MODELS.join(", ")}`)
    .option("--init <value>", "initial state as JSON or EDN (e.g. 0, null, '{\"x\":0}', '#{1 2}')")
    .addOption(new Option("--consistency <criterion>", "criterion").choices(["linearizable", "sequential"]).default("linearizable"))
    .option("--ladder", "when a history is not linearizable, also decide sequential consistency (its own budget: a tenth of --time-limit)")
    .addOption(new Option("--format <format>", "input format").choices([...HISTORY_FORMATS]).default("auto"))
    .option("--time-limit <seconds>", "budget per file; past it the verdict is unknown (exit 3)", positiveNumberOption("--time-limit"), 10)
    .option("--max-memory <MB>", "budget: past this much memory the verdict is unknown (exit 3; default 80% of RAM)", positiveNumberOption("--max-memory"))
    .option("--max-configurations <n>", "budget: configurations cached per search (exit 3 past it)", intOption("--max-configurations", 1), DEFAULT_MAX_CONFIGURATIONS)
    .option("--json", "print a JSON report (one object for one file, an array for several)")
    .addOption(htmlOption())
    .addOption(mdOption())
    .addOption(junitOption("history file"))
    .addOption(shardOption())
    .action(async (all: string[], opts: Options) => {
      const fail = (message: string) => {
        writeErr(`error: ${message}\n`);
        // A program reading --json gets one object, as for any other usage error.
        if (opts.json) writeOut(JSON.stringify({ tool: "dscheck", command: "history check", status: "error", error: { kind: "usage", message } }) + "\n");
        setExit(EXIT.error);
      };
      let init: unknown;
      if (opts.init !== undefined) {
        try {
          init = parseInit(opts.init);
        } catch (e) {
          if (e instanceof InputError) return fail(e.message);
          throw e;
        }
      }
      const files = selectShard(all, opts.shard);
      if (files.length === 0) writeErr(emptyShardNote(opts.shard, all.length) ?? "");
      const memory = memoryGuard(opts.maxMemory);
      const detail = !!opts.json || wantsReportFiles(opts);
      // --json alone: each report is rendered when its file is done, and its detail dropped.
      const streamed = !!opts.json && !wantsReportFiles(opts) && files.length > 1;
      const rendered: string[] = [];
      const reports = files.map((f) => {
        const { report } = checkFile(f, opts, init, memory, detail);
        if (!streamed) return report;
        rendered.push(renderedElement("history check", report));
        const { timeline: _t, linearization: _l, ...rest } = report;
        return rest;
      });
      // The report files are written before the verdict is printed (a file that cannot be
      // written is one line and exit 2), and not at all when an input is bad.
      const fileError = reports.some((r) => r.status === "error") ? undefined : await writeReportFiles(taggedReports("history check", reports), opts);
      if (fileError) return fail(fileError);
      // ci.ts (the XML builder, the atomic writer) is loaded only when CI output is asked for.
      const ciError = ciWanted(opts) ? (await import("../ci.ts")).emitCi("history check", reports.map((r) => historyCase("dscheck.history.check", r, (x) => printHuman(x, !!opts.ladder))), opts) : undefined;
      if (ciError) return fail(ciError);
      emitReports("history check", reports, !!opts.json, (r) => printHuman(r, !!opts.ladder), setExit, streamed ? rendered : undefined);
    });
}

/** Whether any CI output is asked for (--junit, or running in GitHub Actions): cases cost a report each. */
export function ciWanted(opts: { junit?: string }): boolean {
  return opts.junit !== undefined || process.env.GITHUB_ACTIONS === "true";
}

/** One history file's report as a CI test case (history check and history isolation). */
export function historyCase<R extends { file: string; status: Verdict; error?: string; elapsedMs: number }>(classname: string, r: R, text: (r: R) => string): CiCase {
  const report = r.status === "error" ? `error: ${r.error}\n` : text(r);
  return { name: r.file, classname, status: caseStatus(r.status), message: oneLine(report), report, file: r.file, line: lineIn(r.error), seconds: r.elapsedMs / 1000 };
}
