/**
 * Reads dscheck's own JSON history format (traces/schemas/history.schema.json), validated
 * with ajv; errors name the JSON pointer of the offending value. Ajv is loaded on the first
 * such file only: it is a third of the start-up of a `history check` that reads none.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv } from "ajv";
import { InputError } from "../../checker/history/input-error.ts";
import { parseJsonExact } from "../jepsen/read.ts";
import type { DscheckHistory } from "../generated/history.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";

const schemaPath = fileURLToPath(new URL("../schemas/history.schema.json", import.meta.url));
let validator: ReturnType<Ajv["compile"]> | undefined;

function validate(data: unknown): ReturnType<Ajv["compile"]> {
  if (!validator) {
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
    const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
    ajv.addKeyword("tsType");
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
  }
  validator(data);
  return validator;
}

/** A parsed dscheck history: its operations plus the optional model name and init state. */
export interface DscheckHistoryFile {
  readonly model?: string;
  readonly init?: unknown;
  readonly ops: Operation<OpCall, unknown>[];
}

/**
 * Parses and validates `text` (the content of `file`). Throws InputError with a JSON
 * pointer ("#/ops/3/status") for schema errors, or a line for syntax errors.
 */
export function readDscheckHistory(text: string, file: string): DscheckHistoryFile {
  const data = parseJsonExact(text, file);
  const v = validate(data);
  if (v.errors && v.errors.length > 0) {
    const err = v.errors[0];
    const extra = err.keyword === "additionalProperties" ? ` (${(err.params as { additionalProperty: string }).additionalProperty})` : "";
    throw new InputError(file, `#${err.instancePath}`, `${err.message ?? "invalid"}${extra}`);
  }
  const h = data as DscheckHistory;
  const ops = h.ops.map((op, id): Operation<OpCall, unknown> => {
    const pending = op.complete === undefined || op.complete === null;
    if (!pending && (op.complete as number) < op.invoke) {
      throw new InputError(file, `#/ops/${id}/complete`, `completes (${op.complete}) before it is invoked (${op.invoke})`);
    }
    const completion = pending ? "info" : op.status;
    const input: OpCall = op.key !== undefined ? { f: op.f, value: op.input ?? null, key: op.key } : { f: op.f, value: op.input ?? null };
    return {
      id,
      process: op.process,
      input,
      output: completion === "ok" ? (op.output ?? null) : undefined,
      call: op.invoke,
      ret: completion === "info" ? Infinity : (op.complete as number),
      completion,
      source: `#/ops/${id}`,
    };
  });
  checkOneAtATime(ops, file);
  return { model: h.model, init: h.init, ops };
}

/** A process runs one operation at a time; overlapping ones mean a broken recorder. */
function checkOneAtATime(ops: readonly Operation[], file: string): void {
  const byProcess = new Map<string, Operation[]>();
  for (const op of ops) {
    const k = `${typeof op.process}:${op.process}`;
    byProcess.set(k, [...(byProcess.get(k) ?? []), op]);
  }
  for (const list of byProcess.values()) {
    list.sort((a, b) => a.call - b.call);
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1];
      if (before.completion !== "info" && before.ret > list[i].call) {
        throw new InputError(file, list[i].source, `process ${list[i].process} invokes while its operation ${before.source} is still running`);
      }
    }
  }
}
