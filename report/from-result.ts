/**
 * Any saved dscheck JSON result (untrusted: a file someone hands over) to Reports. The
 * command is taken from `command` (every result names it), or from the shape for files
 * written before results did; the object is then validated with ajv against that command's
 * schema (traces/schemas/), so an adapter only ever sees what the schema promises. Anything
 * else is a ResultError naming the JSON pointer.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { printable } from "../checker/history/input-error.ts";
import type { BivalenceReport } from "../traces/generated/bivalence-report.ts";
import type { CutsReport } from "../traces/generated/cuts-report.ts";
import type { ExploreReport } from "../traces/generated/explore-report.ts";
import type { ExploreReplayReport } from "../traces/generated/explore-replay-report.ts";
import type { HistoryCheckFile } from "../traces/generated/history-check-report.ts";
import type { HistoryIsolationFile } from "../traces/generated/history-isolation-report.ts";
import type { TraceReport } from "../traces/generated/trace-report.ts";
import { fromBivalence } from "./from-bivalence.ts";
import { fromCuts } from "./from-cuts.ts";
import { fromExplore, fromExploreReplay } from "./from-explore.ts";
import { fromHistoryCheck, fromHistoryIsolation } from "./from-history.ts";
import { fromTraceValidate } from "./from-trace-validate.ts";
import { worstVerdict, type Report, type ReportChecker, type ReportSet } from "./model.ts";

/** A value that is not a dscheck result, with where in it (a JSON pointer, "" for the whole). */
export class ResultError extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: string,
  ) {
    super(`#${pointer}: ${detail}`);
    this.name = "ResultError";
  }
}

const SCHEMA: Record<ReportChecker, string> = {
  explore: "explore-report",
  "trace validate": "trace-report",
  "history check": "history-check-report",
  "history isolation": "history-isolation-report",
  bivalence: "bivalence-report",
  cuts: "cuts-report",
};

const validators = new Map<string, ValidateFunction>();
let ajv: Ajv | undefined;

/** The validator of a schema, or of one of its definitions, compiled once. */
function validator(name: string, definition?: string): ValidateFunction {
  const id = `https://dscheck.dev/schemas/${name}.schema.json`;
  const ref = definition ? `${id}#/definitions/${definition}` : id;
  let v = validators.get(ref);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
      ajv.addKeyword("tsType");
    }
    if (!ajv.getSchema(id)) ajv.addSchema(JSON.parse(readFileSync(fileURLToPath(new URL(`../traces/schemas/${name}.schema.json`, import.meta.url)), "utf8")));
    validators.set(ref, (v = ajv.getSchema(ref)!));
  }
  return v;
}

/**
 * Of a schema that is one of several shapes, the shape a result claims by its fields: its
 * errors say what is wrong (the first shape's would say only that it is not that one).
 */
function claimedShape(command: ReportChecker, o: Record<string, unknown>): string | undefined {
  const usage = o.status === "error" && isRecord(o.error);
  if (command === "cuts") return usage ? "CutsUsageError" : typeof o.error === "string" ? "CutsInputError" : "CutsAnalysisReport";
  if (command === "trace validate") return usage && !("traces" in o) ? "TraceUsageError" : "TraceValidateReport";
  return undefined;
}

/** The schema a result of `command` is checked against (`explore --replay` prints a shape of its own). */
const schemaOf = (command: ReportChecker, o: Record<string, unknown>) => (command === "explore" && o.strategy === "replay" ? "explore-replay-report" : SCHEMA[command]);

/**
 * The first way `value` does not fit the schema of `command`'s results: the JSON pointer and
 * ajv's message (with the offending field or the allowed values), or undefined when it fits.
 * `dscheck merge` checks with the same function, so merge and report take the same results.
 */
export function schemaError(command: ReportChecker, value: Record<string, unknown>): { pointer: string; message: string } | undefined {
  const name = schemaOf(command, value);
  const v = validator(name);
  if (v(value)) return undefined;
  const shape = claimedShape(command, value);
  const claimed = shape ? validator(name, shape) : undefined;
  const e = (claimed && !claimed(value) ? claimed : v).errors?.[0];
  const extra = e?.keyword === "additionalProperties" ? ` (${printable(String((e.params as { additionalProperty: string }).additionalProperty))})` : e?.keyword === "enum" ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(", ")})` : "";
  return { pointer: e?.instancePath ?? "", message: `${e?.message ?? "invalid"}${extra}` };
}

/** The first schema error as a ResultError, its pointer prefixed with `at`. */
function check(command: ReportChecker, value: Record<string, unknown>, at: string): void {
  const e = schemaError(command, value);
  if (e) throw new ResultError(`${at}${e.pointer}`, `not a valid ${schemaOf(command, value).replace(/-report$/, "")} result: ${e.message}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The command a result came from: its `command`, else its shape (results saved before they named it). */
function commandOf(o: Record<string, unknown>, at: string): ReportChecker {
  if (o.command !== undefined) {
    if (typeof o.command === "string" && Object.hasOwn(SCHEMA, o.command)) return o.command as ReportChecker;
    throw new ResultError(`${at}/command`, `not a command whose results dscheck renders: ${JSON.stringify(o.command)?.slice(0, 60)} (known: ${Object.keys(SCHEMA).join(", ")})`);
  }
  if ("strategy" in o && "distinctStates" in o) return "explore";
  if ("traces" in o && "specName" in o) return "trace validate";
  if ("clockKind" in o || ("file" in o && "uselessCheckpoints" in o)) return "cuts";
  if ("safety" in o || "lasso" in o || "initial" in o) return "bivalence";
  if ("file" in o && ("anomalies" in o || "strongest" in o || "workload" in o)) return "history isolation";
  if ("file" in o && ("explanations" in o || "criterion" in o || "partitions" in o)) return "history check";
  throw new ResultError(at, "no `command` field, and the object has the shape of no dscheck result");
}

/** One result object (validated) as Reports. */
function fromObject(value: unknown, at: string): Report[] {
  if (!isRecord(value)) throw new ResultError(at, `expected a dscheck JSON result (an object), got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}`);
  if (value.tool !== "dscheck") throw new ResultError(`${at}/tool`, 'not a dscheck result: `tool` is not "dscheck"');
  const command = commandOf(value, at);
  const o = value.command === undefined ? { tool: value.tool, command, ...value } : value;
  // `explore --replay` prints a shape of its own (a path's steps, no search figures).
  const replay = command === "explore" && o.strategy === "replay";
  check(command, o, at);
  switch (command) {
    case "explore":
      return [replay ? fromExploreReplay(o as unknown as ExploreReplayReport) : fromExplore(o as unknown as ExploreReport)];
    case "trace validate":
      return fromTraceValidate(o as unknown as TraceReport);
    case "history check":
      return fromHistoryCheck([o as unknown as HistoryCheckFile]);
    case "history isolation":
      return fromHistoryIsolation([o as unknown as HistoryIsolationFile]);
    case "bivalence":
      return [fromBivalence(o as unknown as BivalenceReport)];
    case "cuts":
      return [fromCuts(o as unknown as CutsReport)];
  }
}

/** A parsed JSON result: one object, or an array of them (history commands print one per file). */
export function reportsFromResult(value: unknown): Report[] {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new ResultError("", "an empty array: no result to render");
    return value.flatMap((v, i) => fromObject(v, `/${i}`));
  }
  return fromObject(value, "");
}

/** One Report stays one; several make a ReportSet with the worst verdict. */
export function reportOrSet(reports: readonly Report[]): Report | ReportSet {
  return reports.length === 1 ? reports[0] : { reports, verdict: worstVerdict(reports.map((r) => r.verdict)) };
}
