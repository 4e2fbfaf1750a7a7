/**
 * `dscheck merge <result.json...>`: the `--json` results of the shards of one run (trace
 * validate, history check, history isolation, cuts, explore, bivalence; a file holds one
 * object or an array) as one report and one exit code, the worst verdict's.
 *
 * A result is the report of one checked input (a history file, an event log, a run);
 * a trace validate report with several traces is taken as one result per trace, in the
 * shape `trace validate <spec> <that trace> --json` prints. `--json` prints the results as
 * an array, ordered by their input's path as --shard orders them, and nothing else.
 *
 * Untrusted input: a file that is not JSON, an object that is not a dscheck result or does
 * not match its schema, a result of another command mixed in, the same input in two shards
 * is one line naming the file and the JSON pointer, exit 2, and nothing is merged.
 */
import type { Command } from "commander";
import { combineExitCodes, EXIT, exitCodeFor, type Verdict } from "../exit-codes.ts";
import { writeErr, writeOut } from "../output.ts";
import { caseStatus, emitCi, junitOption, lineIn, oneLine, shardKey, type CiCase } from "../ci.ts";
import { InputError, printable } from "../../checker/history/input-error.ts";
import { readTextFile } from "../../traces/input.ts";
import { parseJsonExact } from "../../traces/jepsen/read.ts";
import { schemaError } from "../../report/from-result.ts";

export const MERGED_COMMANDS = ["trace validate", "history check", "history isolation", "cuts", "explore", "bivalence"] as const;
export type MergedCommand = (typeof MERGED_COMMANDS)[number];

type Json = Record<string, unknown>;

/** One result, with where it was read and what it says. */
export interface MergedResult {
  readonly result: Json;
  /** `shard-2.json#/0`, or `shard-2.json#/0/traces/3` for a trace split out of its report. */
  readonly source: string;
  readonly verdict: Verdict;
  /** The checked input (a file; the spec for explore and bivalence); none for a usage error. */
  readonly input?: string;
  /** The one-line verdict. */
  readonly line: string;
}

export interface Merged {
  readonly command: MergedCommand | undefined;
  readonly results: readonly MergedResult[];
  readonly exitCode: number;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? printable(v) : "?");

/** Reads and merges the result files; throws InputError (file and JSON pointer) for bad input. */
export function mergeFiles(files: readonly string[]): Merged {
  return mergeTexts(files.map((file) => ({ file, text: readTextFile(file) })));
}

export function mergeTexts(inputs: readonly { file: string; text: string }[]): Merged {
  let command: { name: MergedCommand; at: string } | undefined;
  const results: MergedResult[] = [];
  const seen = new Map<string, string>();
  const given = new Set<string>();
  for (const { file, text } of inputs) {
    if (given.has(shardKey(file))) throw new InputError(file, undefined, "given twice: each shard's result is merged once");
    given.add(shardKey(file));
    // Refuses numbers it would round and repeated keys, with the line.
    const data = parseJsonExact(text, file, 0, { numbers: "doubles" });
    const items = Array.isArray(data) ? data.map((d, i) => [d, `#/${i}`] as const) : [[data, "#"] as const];
    for (const [item, at] of items) {
      const name = commandOf(item, file, at);
      if (!command) command = { name, at: `${file}${at}` };
      else if (name !== command.name) throw new InputError(file, `${at}/command`, `a "${name}" result among "${command.name}" results (${printable(command.at)}): merge combines the shards of one command`);
      for (const r of split(name, item as Json, file, at)) {
        const key = r.input === undefined || name === "explore" || name === "bivalence" ? undefined : name === "trace validate" ? `${str(r.result.spec)}\0${shardKey(r.input)}` : shardKey(r.input);
        if (key !== undefined) {
          const first = seen.get(key);
          const pointer = r.source.slice(file.length) + "/file";
          if (first !== undefined) throw new InputError(file, pointer, `"${printable(r.input!)}" is also in ${first}: each input belongs to one shard (were two shards given the same --shard, or the same inputs twice?)`);
          seen.set(key, printable(r.source));
        }
        results.push(r);
      }
    }
  }
  // The order --shard deals inputs in; results without an input (usage errors) first, as read.
  const order = results.map((r, i) => ({ r, i, key: r.input === undefined ? "" : shardKey(r.input) }));
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  const sorted = order.map((o) => o.r);
  return { command: command?.name, results: sorted, exitCode: combineExitCodes(sorted.map((r) => exitCodeFor(r.verdict))) };
}

function commandOf(item: unknown, file: string, at: string): MergedCommand {
  if (!isObject(item)) throw new InputError(file, at, `not a dscheck result (${Array.isArray(item) ? "an array" : item === null ? "null" : typeof item}, expected an object)`);
  if (item.tool !== "dscheck") throw new InputError(file, `${at}/tool`, `not a dscheck result (expected "tool": "dscheck")`);
  const c = item.command;
  if (c === undefined) throw new InputError(file, `${at}/command`, `a dscheck result without "command" (an older dscheck, or a command line that named no command): merge cannot tell which command it is from`);
  if (!(MERGED_COMMANDS as readonly unknown[]).includes(c)) throw new InputError(file, `${at}/command`, `${typeof c === "string" ? `"${printable(c)}" results are` : "a command that is not a string is"} not merged (merge takes: ${MERGED_COMMANDS.join(", ")})`);
  return c as MergedCommand;
}

/** A usage error as every command prints it under --json (no input was checked). */
function isUsageError(r: Json): boolean {
  const e = r.error;
  return r.status === "error" && isObject(e) && typeof e.kind === "string" && typeof e.message === "string" && Object.keys(e).length === 2
    && Object.keys(r).every((k) => ["tool", "command", "spec", "status", "error"].includes(k)) && (r.spec === undefined || typeof r.spec === "string");
}

/** The results in one object: checked against its schema, a trace validate report split per trace. */
function split(command: MergedCommand, r: Json, file: string, at: string): MergedResult[] {
  const source = `${file}${at}`;
  if (isUsageError(r)) return [{ result: r, source, verdict: "error", line: `${printable(source)}: ${command}${r.spec !== undefined ? ` ${str(r.spec)}` : ""}: error: ${str((r.error as Json).message)}` }];
  check(command, r, file, at);
  switch (command) {
    case "trace validate":
      return (r.traces as Json[]).map((t, i) => {
        const status = t.status === "malformed" ? "error" : (t.status as string);
        const verdict: Verdict = status === "valid" ? "ok" : status === "rejected" ? "violation" : (status as Verdict);
        return { result: { ...r, status, traces: [t] }, source: `${source}/traces/${i}`, verdict, input: t.file as string, line: traceLine(t) };
      });
    case "history check":
    case "history isolation":
    case "cuts":
      return [{ result: r, source, verdict: r.status as Verdict, input: r.file as string, line: fileLine(command, r) }];
    case "explore":
    case "bivalence":
      return [{ result: r, source, verdict: r.status as Verdict, input: r.spec as string, line: runLine(command, r) }];
  }
}

// ----- validation: the schema of each command's results, as `dscheck report` checks them.

function check(command: MergedCommand, r: Json, file: string, at: string): void {
  const e = schemaError(command, r);
  if (e) throw new InputError(file, `${at}${e.pointer}`, `not ${command === "explore" ? "an" : "a"} ${command} result: ${e.message}`);
}

// ----- the one-line verdicts (the full report is the result itself, in JUnit and the step summary).

function traceLine(t: Json): string {
  const f = str(t.file);
  switch (t.status) {
    case "valid":
      return `${f}: VALID (${t.lines} lines)`;
    case "rejected": {
      const rej = t.rejection as Json;
      return `${f}: REJECTED at line ${rej.line}${rej.event !== undefined ? ` (event ${str(rej.event)})` : ""}`;
    }
    case "incomplete":
      return `${f}: INCOMPLETE: ${str(t.incompleteReason)}`;
    case "malformed":
      return `${f}: MALFORMED: ${str(t.error)}`;
    default:
      return `${f}: SPEC ERROR (${str((t.error as Json).kind)}): ${str((t.error as Json).message)}`;
  }
}

function fileLine(command: MergedCommand, r: Json): string {
  const f = str(r.file);
  if (r.status === "error") return `${f}: error: ${str(r.error)}`;
  if (command === "cuts") return `${f}: ${r.status === "ok" ? "OK" : `${r.status === "violation" ? "VIOLATION" : "INCOMPLETE"}: ${(r.findings as unknown[]).map(str).join("; ")}`}`;
  const what = command === "history check" ? (r.criterion === "sequential" ? "sequentially consistent" : "linearizable") : str(r.level);
  const detail = command === "history check" ? (r.model !== undefined ? ` (model ${str(r.model)})` : "") : Array.isArray(r.anomalyTypes) && r.anomalyTypes.length ? ` (${r.anomalyTypes.map(str).join(", ")})` : "";
  if (r.status === "ok") return `${f}: ${what}${detail}`;
  if (r.status === "violation") return `${f}: VIOLATION: not ${what}${detail}`;
  return `${f}: UNKNOWN: ${what} undecided, a budget ran out${r.reason !== undefined ? ` (${str(r.reason)})` : ""}`;
}

function runLine(command: MergedCommand, r: Json): string {
  const what = `${str(r.spec)} (${command}${r.strategy === "replay" ? ` --replay ${str(r.replayPath)}` : ""}${isObject(r.params) && Object.keys(r.params).length ? ` ${Object.entries(r.params).map(([k, v]) => `${printable(k)}=${printable(String(v))}`).join(" ")}` : ""})`;
  switch (r.status) {
    case "ok":
      return `${what}: OK`;
    case "violation":
      return `${what}: VIOLATION${r.property !== undefined ? ` of ${str(r.property)}` : ""}`;
    case "incomplete":
      return `${what}: INCOMPLETE${r.incompleteReason !== undefined ? `: ${str(r.incompleteReason)}` : ""}`;
    default:
      return `${what}: ERROR${isObject(r.error) ? `: ${str(r.error.message)}` : ""}`;
  }
}

// ----- the command.

function ciCase(command: MergedCommand, r: MergedResult): CiCase {
  const report = `${r.line}\n\n${JSON.stringify(r.result, null, 2)}\n`;
  const rejection = (r.result.traces as Json[] | undefined)?.[0]?.rejection as Json | undefined;
  const line = typeof rejection?.line === "number" ? rejection.line : lineIn(typeof r.result.error === "string" ? r.result.error : undefined);
  const isFile = command !== "explore" && command !== "bivalence";
  return {
    name: r.input ?? r.source, classname: `dscheck.${command.replace(" ", ".")}${command === "trace validate" ? `.${str(r.result.spec)}` : ""}`, status: caseStatus(r.verdict), message: oneLine(r.line), report,
    ...(isFile && r.input !== undefined ? { file: r.input } : {}), ...(line !== undefined ? { line } : {}),
  };
}

function summary(m: Merged, files: number): string {
  const count = (v: Verdict) => m.results.filter((r) => r.verdict === v).length;
  const unknown = count("unknown") + count("incomplete");
  if (m.results.length === 0) return `no results in ${files} file(s): nothing was checked`;
  return `${m.results.length} result(s) of ${m.command} from ${files} file(s): ${count("ok")} hold, ${count("violation")} violated, ${unknown} incomplete, ${count("error")} in error`;
}

export function registerMerge(program: Command, setExit: (code: number) => void): void {
  program
    .command("merge")
    .description("combine the --json results of the shards of one run into one report and one exit code")
    .argument("<result.json...>", "--json output of trace validate, history check, history isolation, cuts, explore or bivalence (one object or an array per file)")
    .option("--json", "print the merged results as one JSON array (one entry per checked input)")
    .addOption(junitOption("checked input"))
    .action((files: string[], flags: { json?: boolean; junit?: string }) => {
      const fail = (message: string, file?: string) => {
        const ciError = emitCi("merge", [{ name: file ?? "merge", classname: "dscheck.merge", status: "error", message: oneLine(message), report: `error: ${message}\n`, ...(file ? { file } : {}) }], flags);
        if (ciError) message += `; ${ciError}`;
        writeErr(`error: ${message}\n`);
        if (flags.json) writeOut(JSON.stringify({ tool: "dscheck", command: "merge", status: "error", error: { kind: "input", message } }) + "\n");
        setExit(EXIT.error);
      };
      let merged: Merged;
      try {
        merged = mergeFiles(files);
      } catch (e) {
        if (e instanceof InputError) return fail(e.message, e.file);
        throw e;
      }
      const command = merged.command ?? "merge";
      const ciError = emitCi(command === "merge" ? "merge" : `merge (${command})`, merged.results.map((r) => ciCase(command as MergedCommand, r)), flags);
      if (ciError) return fail(ciError);
      setExit(merged.exitCode);
      if (flags.json) writeOut(JSON.stringify(merged.results.map((r) => r.result), null, 2) + "\n");
      else writeOut(merged.results.map((r) => r.line + "\n").join("") + summary(merged, files.length) + "\n");
    });
}
