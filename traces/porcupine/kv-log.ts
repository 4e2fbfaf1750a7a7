/**
 * Reads Porcupine's kv test data: one EDN map per line,
 * `{:process P, :type :invoke|:ok, :f :get|:put|:append, :key "k", :value "v"|nil}`.
 */
import { InputError } from "../../checker/history/input-error.ts";
import type { HistoryEvent } from "../../checker/linearizability/pair-events.ts";
import { EdnMap, nameOf, showEdn } from "../../checker/history/edn-value.ts";
import { EdnStructureError, splitEdnForms } from "../jepsen/edn-forms.ts";
import { parseEdnForm } from "../jepsen/read.ts";
import { parseEdnRecords } from "../jepsen/edn-parse.ts";

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

function shown(v: unknown): string {
  const t = v === undefined ? "nothing" : showEdn(v);
  return t.length > 60 ? t.slice(0, 57) + "..." : t;
}

/** Parses `text` of `file` into events. Throws InputError naming the line. */
export function readPorcupineKvLog(text: string, file: string): HistoryEvent[] {
  return readOnePass(text, file) ?? readByForm(text, file);
}

/** Valid logs in one pass of the parser; undefined when anything is wrong (readByForm then says what and where). */
function readOnePass(text: string, file: string): HistoryEvent[] | undefined {
  const events: HistoryEvent[] = [];
  let line = 1;
  let lineStart = 0;
  try {
    const valid = parseEdnRecords(text, false, (m, offset) => {
      for (let nl = text.indexOf("\n", lineStart); nl >= 0 && nl < offset; nl = text.indexOf("\n", lineStart)) {
        line++;
        lineStart = nl + 1;
      }
      events.push(toEvent(m, file, `line ${line}`));
    });
    return valid ? events : undefined;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

function readByForm(text: string, file: string): HistoryEvent[] {
  let forms;
  try {
    forms = splitEdnForms(text, false);
  } catch (e) {
    if (e instanceof EdnStructureError) throw new InputError(file, `line ${e.line}`, e.message);
    throw e;
  }
  return forms.map((form) => {
    const where = `line ${form.line}`;
    return toEvent(parseEdnForm(form.text, file, where), file, where);
  });
}

function toEvent(m: unknown, file: string, where: string): HistoryEvent {
  if (!(m instanceof EdnMap)) throw new InputError(file, where, "expected an operation map");
  const type = nameOf(m.kw("type"));
  if (type === undefined || !TYPES.has(type)) throw new InputError(file, where, `bad :type ${shown(m.kw("type"))}`);
  const f = nameOf(m.kw("f"));
  if (f === undefined) throw new InputError(file, where, m.kw("f") !== undefined ? `bad :f ${shown(m.kw("f"))}` : "missing :f");
  const p = m.kw("process");
  const process = typeof p === "number" && Number.isSafeInteger(p) ? p : nameOf(p);
  if (process === undefined) throw new InputError(file, where, p === undefined ? "missing :process" : `bad :process ${shown(p)}`);
  const key = m.kw("key");
  if (typeof key !== "string") throw new InputError(file, where, ":key must be a string");
  const value = m.kw("value");
  if (value !== null && value !== undefined && typeof value !== "string") {
    throw new InputError(file, where, ":value must be a string or nil");
  }
  return { process, type: type as HistoryEvent["type"], f, key, value: value ?? null, location: where };
}

/** True when the first map of the text carries a :key (Porcupine's kv format). */
export function looksLikeKvLog(text: string): boolean {
  const first = text.slice(0, 2048).split("\n").find((l) => l.trim().startsWith("{"));
  return first !== undefined && first.includes(":key ");
}
