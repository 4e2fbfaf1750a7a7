/**
 * Reads dscheck's JSON transaction-history format (traces/schemas/txn-history.schema.json),
 * validated with ajv; errors name the JSON pointer of the offending value.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { InputError } from "../../checker/history/input-error.ts";
import { parseJsonExact } from "../jepsen/read.ts";
import type { DscheckTxnHistory } from "../generated/txn-history.ts";
import type { Mop, Txn, Value, Workload } from "../../checker/serializability/txn.ts";
import type { VersionOrders } from "../../checker/serializability/rw-register.ts";

const schemaPath = fileURLToPath(new URL("../schemas/txn-history.schema.json", import.meta.url));
let validator: ReturnType<Ajv["compile"]> | undefined;

function validator_(): ReturnType<Ajv["compile"]> {
  if (!validator) validator = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(schemaPath, "utf8")));
  return validator;
}

/** A parsed transaction history, ready for checkIsolation. */
export interface TxnHistoryFile {
  readonly workload: Workload;
  readonly txns: Txn[];
  readonly writeLog?: VersionOrders;
}

/** True when `text` looks like this format (a JSON object naming it), not a Jepsen history. */
export function isTxnHistoryJson(text: string): boolean {
  return /^\s*\{[^]*"format"\s*:\s*"dscheck-txn-history\//.test(text.slice(0, 4096));
}

/**
 * Parses and validates `text` (the content of `file`). Throws InputError with a JSON
 * pointer ("#/transactions/3/ops/0/value") for invalid data, or a line for bad syntax.
 */
export function readTxnHistory(text: string, file: string): TxnHistoryFile {
  const data = parseJsonExact(text, file);
  const validate = validator_();
  if (!validate(data)) {
    const err = validate.errors![0];
    const extra = err.keyword === "additionalProperties" ? ` (${(err.params as { additionalProperty: string }).additionalProperty})` : "";
    throw new InputError(file, `#${err.instancePath}`, `${err.message ?? "invalid"}${extra}`);
  }
  const h = data as DscheckTxnHistory;
  const txns = h.transactions.map((t, i): Txn => {
    const where = `#/transactions/${i}`;
    const ops = t.ops.map((m, j): Mop => {
      // The integer key 1 and the string key "1" are different keys.
      const key = m.key;
      if (m.f === "r") return { f: "r", key, value: t.status === "ok" ? m.value : null };
      if (m.value === null || Array.isArray(m.value)) throw new InputError(file, `${where}/ops/${j}/value`, `${m.f} needs a string or integer value`);
      return { f: m.f, key, value: m.value };
    });
    if (t.completeTime !== undefined && t.invokeTime !== undefined && t.completeTime < t.invokeTime) {
      throw new InputError(file, `${where}/completeTime`, "completes before it was invoked");
    }
    return {
      id: i,
      process: t.process ?? null,
      status: t.status,
      mops: ops,
      invokeAt: t.invokeTime ?? -1,
      completeAt: t.status === "info" ? -1 : (t.completeTime ?? -1),
      location: where,
    };
  });
  let writeLog: Map<Value, Value[]> | undefined;
  if (h.writeLog) {
    writeLog = new Map();
    for (const w of h.writeLog) {
      const values = writeLog.get(w.key) ?? writeLog.set(w.key, []).get(w.key)!;
      values.push(w.value);
    }
  }
  return { workload: h.workload, txns, ...(writeLog ? { writeLog } : {}) };
}
