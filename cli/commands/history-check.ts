/**
 * `dscheck history check <file...> --model <name>`: linearizability / sequential consistency
 * of recorded histories. Reads, checks, prints; the verdict-to-exit-code mapping is
 * cli/exit-codes.ts. Malformed input is one line naming the file and line or JSON pointer.
 */
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { writeAtomically } from "../write-atomically.ts";
import { emitFileReports } from "../file-reports.ts";
import { EXIT } from "../exit-codes.ts";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { HISTORY_FORMATS, readHistory, type HistoryFormat } from "../../traces/porcupine/read-any.ts";
import { BUILTIN_MODELS, builtinModel } from "../../checker/linearizability/models/registry.ts";
import { checkHistory, type CheckResult, type Criterion } from "../../checker/linearizability/check.ts";
import { explainPartition, formatExplanation, type ViolationExplanation } from "../../checker/linearizability/explain.ts";
import { renderTimelineHtml } from "../../checker/linearizability/timeline-html.ts";

interface Options {
  model?: string;
  init?: string;
  consistency: Criterion;
  format: HistoryFormat;
  timeLimit: string;
  json?: boolean;
  html?: string;
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
  explanations?: ViolationExplanation[];
  error?: string;
}

/** Where the history sits on the ladder linearizable / sequentially consistent / neither. */
function levelText(r: FileReport): string {
  if (r.criterion === "sequential") return r.status === "violation" ? "not sequentially consistent" : "sequential consistency undecided within the time limit";
  if (r.level === "sequential") return "not linearizable, but sequentially consistent";
  if (r.level === "neither") return "neither linearizable nor sequentially consistent";
  if (r.status === "violation") return "not linearizable; sequential consistency undecided within its share of the time limit";
  return "undecided within the time limit";
}

function checkFile(file: string, opts: Options, init: unknown, limitMs: number): { report: FileReport; html?: string } {
  const start = performance.now();
  const elapsed = () => Math.round((performance.now() - start) * 10) / 10;
  try {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new InputError(file, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const history = guardedRead(file, () => readHistory(text, file, opts.format));
    // An empty capture is far more likely a broken pipeline than a history worth passing.
    if (history.ops.length === 0) throw new InputError(file, undefined, "the file holds no operations");
    const modelName = opts.model ?? history.model;
    if (!modelName) throw new InputError(file, undefined, `no model: pass --model (${BUILTIN_MODELS.join(", ")})`);
    const model = builtinModel(modelName, {
      init: init !== undefined ? init : history.init,
      // Porcupine's etcd test reads nil as "key absent"; Knossos reads it as "value unknown".
      nilReadMatchesAny: history.format !== "porcupine-etcd",
    });
    if (!model) throw new InputError(file, undefined, `unknown model "${modelName}" (known: ${BUILTIN_MODELS.join(", ")})`);
    for (const op of history.ops) {
      const problem = model.checkInput(op.input);
      if (problem) throw new InputError(file, op.source, problem);
    }
    const now = () => performance.now();
    const deadline = now() + limitMs;
    const result: CheckResult = checkHistory(model, history.ops, {
      criterion: opts.consistency,
      now,
      deadline,
      // Sequential consistency can cost far more than linearizability: give it a tenth.
      ladderDeadline: Math.min(deadline, now() + limitMs / 10),
    });
    // The requested criterion's failing partitions explain the verdict; the weaker criterion's
    // only when it alone proved the violation (the first search ran out of time).
    const primary = result.partitions.filter((p) => p.result.status !== "ok");
    const provedBySequential = !primary.some((p) => p.result.status === "violation");
    const failing = [...primary, ...(provedBySequential ? (result.sequential ?? []) : [])].filter((p) => p.result.status !== "ok");
    const explanations = result.status === "ok" ? [] : failing.slice(0, 3).map((p) => explainPartition(model, p));
    return {
      report: {
        file,
        status: result.status,
        elapsedMs: elapsed(),
        format: history.format,
        model: model.name,
        criterion: result.criterion,
        level: result.level,
        operations: result.operationCount,
        partitions: result.partitionCount,
        explanations,
      },
      html: opts.html ? renderTimelineHtml(model, result, file) : undefined,
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { report: { file, status: "error", elapsedMs: elapsed(), error: e.message } };
  }
}

function printHuman(r: FileReport): void {
  const verdict = r.status === "ok" ? (r.criterion === "sequential" ? "sequentially consistent" : "linearizable") : r.status === "violation" ? "VIOLATION" : "UNKNOWN (time limit reached)";
  const level = r.status === "ok" ? "" : ` - ${levelText(r)}`;
  process.stdout.write(`${r.file}: ${verdict}${level} [${r.operations} ops, ${r.partitions} partition(s), model ${r.model}, ${r.elapsedMs} ms]\n`);
  for (const e of r.explanations ?? []) for (const line of formatExplanation(e)) process.stdout.write(`  ${line}\n`);
}

/** Adds `check` under the `history` command. Sets the exit code through `setExit`. */
export function registerHistoryCheck(history: Command, setExit: (code: number) => void): void {
  history
    .command("check")
    .description("check histories for linearizability or sequential consistency against a model")
    .argument("<file...>", "history files (Jepsen EDN/JSON, Porcupine etcd/kv logs, dscheck JSON)")
    .option("--model <name>", `sequential specification: ${BUILTIN_MODELS.join(", ")}`)
    .option("--init <json>", "initial state as JSON (e.g. 0, null, '{\"x\":0}')")
    .addOption(new Option("--consistency <criterion>", "criterion").choices(["linearizable", "sequential"]).default("linearizable"))
    .addOption(new Option("--format <format>", "input format").choices([...HISTORY_FORMATS]).default("auto"))
    .option("--time-limit <seconds>", "budget per file; past it the verdict is unknown (exit 3)", "10")
    .option("--json", "print a JSON report (one object for one file, an array for several)")
    .option("--html <out.html>", "write an HTML timeline (one file only)")
    .action((files: string[], opts: Options) => {
      const fail = (message: string) => {
        process.stderr.write(`error: ${message}\n`);
        setExit(EXIT.error);
      };
      let init: unknown;
      if (opts.init !== undefined) {
        try {
          init = JSON.parse(opts.init);
        } catch {
          return fail(`--init is not valid JSON: ${opts.init}`);
        }
      }
      const seconds = Number(opts.timeLimit);
      if (!Number.isFinite(seconds) || seconds <= 0) return fail(`--time-limit must be a positive number of seconds, got ${opts.timeLimit}`);
      if (opts.html && files.length !== 1) return fail("--html takes exactly one history file");
      const outcomes = files.map((f) => checkFile(f, opts, init, seconds * 1000));
      const exitCode = emitFileReports(outcomes.map((o) => o.report), !!opts.json, printHuman);
      const html = outcomes[0]?.html;
      if (opts.html && html !== undefined) writeAtomically(opts.html, html);
      setExit(exitCode);
    });
}
