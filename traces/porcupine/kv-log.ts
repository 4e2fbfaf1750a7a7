/**
 * Reads Porcupine's kv test data: one EDN map per line,
 * `{:process P, :type :invoke|:ok, :f :get|:put|:append, :key "k", :value "v"|nil}`.
 */
import { parseEDNString } from "edn-data";
import { InputError } from "../../checker/history/input-error.ts";
import type { HistoryEvent } from "../../checker/linearizability/pair-events.ts";
import { EdnStructureError, splitEdnForms } from "../jepsen/edn-forms.ts";
import { oneLineMessage } from "../jepsen/json-syntax.ts";

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

/** Parses `text` of `file` into events. Throws InputError naming the line. */
export function readPorcupineKvLog(text: string, file: string): HistoryEvent[] {
  let forms;
  try {
    forms = splitEdnForms(text, false);
  } catch (e) {
    if (e instanceof EdnStructureError) throw new InputError(file, `line ${e.line}`, e.message);
    throw e;
  }
  return forms.map((form) => {
    const where = `line ${form.line}`;
    let m: unknown;
    try {
      m = parseEDNString(form.text, { mapAs: "object", keywordAs: "string", listAs: "array" });
    } catch (e) {
      throw new InputError(file, where, `not valid EDN: ${oneLineMessage(e)}`);
    }
    if (m === null || typeof m !== "object" || Array.isArray(m)) throw new InputError(file, where, "expected an operation map");
    const o = m as Record<string, unknown>;
    if (typeof o.type !== "string" || !TYPES.has(o.type)) throw new InputError(file, where, `bad :type ${JSON.stringify(o.type)}`);
    if (typeof o.f !== "string") throw new InputError(file, where, "missing :f");
    if (typeof o.process !== "number" && typeof o.process !== "string") throw new InputError(file, where, "missing :process");
    if (typeof o.key !== "string") throw new InputError(file, where, ":key must be a string");
    if (o.value !== null && o.value !== undefined && typeof o.value !== "string") {
      throw new InputError(file, where, ":value must be a string or nil");
    }
    return { process: o.process, type: o.type as HistoryEvent["type"], f: o.f, key: o.key, value: o.value ?? null, location: where };
  });
}

/** True when the first map of the text carries a :key (Porcupine's kv format). */
export function looksLikeKvLog(text: string): boolean {
  const first = text.slice(0, 2048).split("\n").find((l) => l.trim().startsWith("{"));
  return first !== undefined && first.includes(":key ");
}
