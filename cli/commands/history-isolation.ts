/**
 * `dscheck history isolation <file...>`: transactional isolation of list-append and
 * rw-register histories (Jepsen EDN/JSON or dscheck's txn-history JSON). Exit 0 when the
 * requested level holds, 1 when it does not, 2 for bad input, 3 when the search budget ran
 * out before deciding. Malformed input is one line naming the file and line or pointer.
 */
import { existsSync } from "node:fs";
import { Command, Option } from "commander";
import { EXIT, type Verdict } from "../exit-codes.ts";
import { intOption, positiveNumberOption } from "../options.ts";
import { writeErr, writeOut } from "../output.ts";
import { ciWanted, historyCase, memoryGuard } from "./history-check.ts";
import { emitReports, taggedReports } from "../history-reports.ts";
import { emitCi, emptyShardNote, junitOption, selectShard, shardOption, type Shard } from "../ci.ts";
import { readTextFile } from "../../traces/input.ts";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import { isTxnHistoryJson, readTxnHistory } from "../../traces/txn-history/read.ts";
import { checkIsolation, type IsolationResult } from "../../checker/serializability/check.ts";
import { txnsFromJepsen } from "../../checker/serializability/from-jepsen.ts";
import { htmlOption, mdOption, writeReportFiles } from "../report-files.ts";
import { mermaidCycles } from "../../checker/serializability/explain.ts";
import { LEVELS, type Level } from "../../checker/serializability/levels.ts";
import type { VersionOrders } from "../../checker/serializability/rw-register.ts";
import { HistoryError, type Txn, type Workload } from "../../checker/serializability/txn.ts";
import { parseWriteLog } from "../../checker/serializability/write-log.ts";

interface Options {
  workload?: Workload;
  level: Level;
  writeLog?: string;
  realtime?: boolean;
  maxSteps: number;
  timeLimit: number;
  maxMemory?: number;
  json?: boolean;
  html?: string;
  md?: string;
  junit?: string;
  shard?: Shard;
}

/** One file's outcome, as printed by --json. */
interface FileReport {
  file: string;
  status: Exclude<Verdict, "incomplete">;
  elapsedMs: number;
  level?: Level;
  workload?: Workload;
  transactions?: number;
  strongest?: Level[];
  levels?: IsolationResult["levels"];
  anomalyTypes?: string[];
  anomalies?: IsolationResult["anomalies"];
  searchExhausted?: boolean;
  /** For "unknown": the budget that ran out (steps, time or memory). */
  reason?: "steps" | "time" | "memory";
  /** Said when there was nothing to check (no client transactions). */
  note?: string;
  /** Mermaid flowchart of the reported cycles, when there are any. */
  mermaid?: string;
  /** The write log that gave rw-register version orders, when one was found next to the file. */
  writeLog?: string;
  error?: string;
}

/**
 * rw-register histories captured with a write log keep it next to the history as
 * NAME.log (GRAIL's layout); used when --write-log is not given, and named in the report.
 */
function siblingWriteLog(file: string): { path: string; orders: VersionOrders } | undefined {
  const path = file.replace(/\.(edn|json)$/, "") + ".log";
  if (path === file || !existsSync(path)) return undefined;
  try {
    return { path, orders: parseWriteLog(readText(path)) };
  } catch (e) {
    if (e instanceof HistoryError) throw new InputError(path, e.location, e.detail);
    throw e;
  }
}

function readText(file: string): string {
  return readTextFile(file);
}

/** The workload a Jepsen history uses, judged from its micro-operations. */
function guessWorkload(txns: readonly Txn[]): Workload {
  for (const t of txns) for (const m of t.mops) if (m.f === "w") return "rw-register";
  return "list-append";
}

function checkFile(file: string, opts: Options, writeLog: VersionOrders | undefined, memoryExceeded: () => boolean): { report: FileReport; result?: IsolationResult } {
  const start = performance.now();
  const elapsed = () => Math.round((performance.now() - start) * 10) / 10;
  try {
    const text = readText(file);
    let txns: Txn[];
    let workload = opts.workload;
    let log = writeLog;
    try {
      if (isTxnHistoryJson(text)) {
        const h = guardedRead(file, () => readTxnHistory(text, file));
        txns = h.txns;
        if (workload && workload !== h.workload) throw new InputError(file, "#/workload", `file says ${h.workload}, --workload says ${workload}`);
        workload = h.workload;
        log ??= h.writeLog;
        if (txns.length === 0) throw new InputError(file, undefined, "the file holds no transactions");
      } else {
        const records = guardedRead(file, () => readJepsenHistory(text, file));
        // An empty capture is far more likely a broken pipeline than a history worth passing.
        if (records.length === 0) throw new InputError(file, undefined, "the file holds no transactions (operations with :f :txn)");
        txns = txnsFromJepsen(records);
        workload ??= guessWorkload(txns);
        if (txns.length === 0) {
          // Elle calls a history without client transactions valid: agree, and say so.
          const note = `no client transactions (${records.length} other record(s)): nothing to check`;
          return { report: { file, status: "ok", elapsedMs: elapsed(), level: opts.level, workload, transactions: 0, strongest: ["strict-serializable"], levels: undefined, anomalyTypes: [], anomalies: [], searchExhausted: false, note } };
        }
      }
      let logFile: string | undefined;
      if (!log && workload === "rw-register") {
        const sibling = siblingWriteLog(file);
        if (sibling) ({ path: logFile, orders: log } = sibling);
      }
      const realtime = opts.realtime || opts.level === "strict-serializable";
      const result = checkIsolation(txns, {
        workload,
        ...(log ? { writeLog: log } : {}),
        realtime,
        maxSearchSteps: opts.maxSteps,
        timeoutMs: opts.timeLimit * 1000,
        now: () => performance.now(),
        memoryExceeded,
      });
      const levelStatus = result.levels[opts.level];
      const status = levelStatus === "holds" ? "ok" : levelStatus === "violated" ? "violation" : "unknown";
      return {
        report: {
          file,
          status,
          elapsedMs: elapsed(),
          level: opts.level,
          workload,
          transactions: result.transactions,
          strongest: result.strongest,
          levels: result.levels,
          anomalyTypes: result.anomalyTypes,
          anomalies: result.anomalies,
          searchExhausted: result.searchExhausted,
          ...(status === "unknown" && result.budgetReason ? { reason: result.budgetReason } : {}),
          ...(logFile ? { writeLog: logFile } : {}),
          ...(result.anomalies.some((a) => a.cycle) ? { mermaid: mermaidCycles(result.anomalies) } : {}),
        },
        result,
      };
    } catch (e) {
      if (e instanceof HistoryError) throw new InputError(file, e.location, e.detail);
      throw e;
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { report: { file, status: "error", elapsedMs: elapsed(), error: e.message } };
  }
}

const REASON_TEXT = { steps: "step budget (--max-steps)", time: "time limit", memory: "memory budget" } as const;

function printHuman(r: FileReport): string {
  const verdict = r.status === "ok" ? `${r.level} holds` : r.status === "violation" ? `${r.level} VIOLATED` : `${r.level} UNKNOWN (${r.reason ? REASON_TEXT[r.reason] : "search budget"} reached)`;
  const strongest = r.strongest!.length ? r.strongest!.join(", ") : "none";
  const lines = [`${r.file}: ${verdict}; strongest level satisfied: ${strongest} [${r.transactions} txns, ${r.workload}, ${r.elapsedMs} ms]`];
  if (r.note) lines.push(`  ${r.note}`);
  if (r.writeLog) lines.push(`  version order from the write log ${r.writeLog}`);
  if (r.anomalyTypes!.length) lines.push(`  anomalies: ${r.anomalyTypes!.join(", ")}`);
  for (const a of r.anomalies!.slice(0, 5)) lines.push(`  ${a.type}${a.key !== undefined ? ` (key ${a.key})` : ""}: ${a.message}`);
  return lines.join("\n") + "\n";
}

/** Adds `isolation` under the `history` command. Sets the exit code through `setExit`. */
export function registerHistoryIsolation(history: Command, setExit: (code: number) => void): void {
  history
    .command("isolation")
    .description("check transactional histories (list-append, rw-register) against an isolation level")
    .argument("<file...>", "history files (Jepsen EDN/JSON with :f :txn, or dscheck txn-history JSON)")
    .addOption(new Option("--workload <name>", "workload (default: from the file)").choices(["list-append", "rw-register"]))
    .addOption(new Option("--level <level>", "level that must hold").choices([...LEVELS]).default("serializable"))
    .option("--write-log <file>", "rw-register: NDJSON write log giving each key's version order (applies to every file; default: NAME.log next to NAME.edn when present)")
    .option("--realtime", "add real-time and process order (implied by --level strict-serializable)")
    .option("--max-steps <n>", "cycle-search step budget; past it undecided levels are unknown (exit 3)", intOption("--max-steps", 1), 50_000_000)
    .option("--time-limit <seconds>", "cycle-search time budget per file", positiveNumberOption("--time-limit"), 60)
    .option("--max-memory <MB>", "budget: past this much memory undecided levels are unknown (exit 3; default 80% of RAM)", positiveNumberOption("--max-memory"))
    .option("--json", "print a JSON report (one object for one file, an array for several)")
    .addOption(htmlOption())
    .addOption(mdOption())
    .addOption(junitOption("history file"))
    .addOption(shardOption())
    .action(async (all: string[], opts: Options) => {
      const fail = (message: string) => {
        writeErr(`error: ${message}\n`);
        // A program reading --json gets one object, as for any other usage error.
        if (opts.json) writeOut(JSON.stringify({ tool: "dscheck", command: "history isolation", status: "error", error: { kind: "usage", message } }) + "\n");
        setExit(EXIT.error);
      };
      const files = selectShard(all, opts.shard);
      if (files.length === 0) writeErr(emptyShardNote(opts.shard, all.length) ?? "");
      let writeLog: VersionOrders | undefined;
      if (opts.writeLog) {
        try {
          writeLog = parseWriteLog(readText(opts.writeLog));
        } catch (e) {
          if (e instanceof HistoryError) return fail(new InputError(opts.writeLog, e.location, e.detail).message);
          if (e instanceof InputError) return fail(e.message);
          throw e;
        }
      }
      const memory = memoryGuard(opts.maxMemory);
      const outcomes = files.map((f) => checkFile(f, opts, writeLog, memory));
      const reports = outcomes.map((o) => o.report);
      // Written before the verdict is printed (a file that cannot be written is one line, exit 2); none for bad input.
      const fileError = reports.some((r) => r.status === "error") ? undefined : await writeReportFiles(taggedReports("history isolation", reports), opts);
      if (fileError) return fail(fileError);
      const ciError = ciWanted(opts) ? emitCi("history isolation", reports.map((r) => historyCase("dscheck.history.isolation", r, printHuman)), opts) : undefined;
      if (ciError) return fail(ciError);
      emitReports("history isolation", reports, !!opts.json, printHuman, setExit);
    });
}
