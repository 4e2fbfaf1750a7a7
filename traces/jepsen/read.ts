/**
 * Reads a Jepsen history from EDN (a vector or list of op maps, or one map per line, with
 * `;` comments) or from JSON as elle-cli writes it (an array of objects or one object per
 * line; keys as strings, null for nil). The format is detected from the content.
 */
import { parseEDNString } from "edn-data";
import { InputError } from "../../checker/history/input-error.ts";
import type { JepsenOp, JepsenType, JepsenValue } from "../../checker/history/jepsen-op.ts";
import { EdnStructureError, splitEdnForms } from "./edn-forms.ts";
import { jsonErrorLine, oneLineMessage } from "./json-syntax.ts";

const TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);
const EDN_OPTIONS = { mapAs: "object", keywordAs: "string", listAs: "array" } as const;

/** Which syntax a history text is written in, judged from its first map. */
export function detectJepsenSyntax(text: string): "edn" | "json" {
  const brace = text.search(/\{/);
  if (brace < 0) return text.trimStart().startsWith("[") && !text.includes(":") ? "json" : "edn";
  const after = text.slice(brace + 1).trimStart();
  return after.startsWith('"') || after.startsWith("}") ? "json" : "edn";
}

/**
 * Parses `text` (the content of `file`) into Jepsen operations in file order.
 * Throws InputError(file, "line N" | "#/pointer", message) for malformed input; never
 * returns a partial history.
 */
export function readJepsenHistory(text: string, file: string): JepsenOp[] {
  return detectJepsenSyntax(text) === "json" ? readJson(text, file) : readEdn(text, file);
}

function readEdn(text: string, file: string): JepsenOp[] {
  let forms;
  try {
    forms = splitEdnForms(text, true);
  } catch (e) {
    if (e instanceof EdnStructureError) throw new InputError(file, `line ${e.line}`, e.message);
    throw e;
  }
  return forms.map((form, ordinal) => {
    const where = `line ${form.line}`;
    let parsed: unknown;
    try {
      parsed = parseEDNString(form.text, EDN_OPTIONS);
    } catch (e) {
      throw new InputError(file, where, `not valid EDN: ${oneLineMessage(e)}`);
    }
    return toOp(normaliseEdn(parsed), ordinal, file, where, (key) => where + ` (:${key})`);
  });
}

function readJson(text: string, file: string): JepsenOp[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new InputError(file, `line ${jsonErrorLine(text) ?? 1}`, `not valid JSON: ${oneLineMessage(e)}`);
    }
    if (!Array.isArray(parsed)) throw new InputError(file, "#", "expected an array of operations");
    return parsed.map((item, i) => toOp(item, i, file, `#/${i}`, (key) => `#/${i}/${key}`));
  }
  const ops: JepsenOp[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === "") continue;
    const where = `line ${n + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      throw new InputError(file, where, `not valid JSON: ${oneLineMessage(e)}`);
    }
    ops.push(toOp(parsed, ops.length, file, where, (key) => `${where} ("${key}")`));
  }
  return ops;
}

/** Sets become arrays and tagged literals their value, so ops hold plain JSON-like data. */
function normaliseEdn(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normaliseEdn);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "set" && Array.isArray(o.set)) return o.set.map(normaliseEdn);
    if (keys.length === 2 && "tag" in o && "val" in o) return normaliseEdn(o.val);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = normaliseEdn(o[k]);
    return out;
  }
  if (typeof v === "bigint") return Number(v);
  return v === undefined ? null : v;
}

function toOp(
  raw: unknown,
  ordinal: number,
  file: string,
  where: string,
  fieldWhere: (key: string) => string,
): JepsenOp {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InputError(file, where, "expected an operation map with :type, :f and :process");
  }
  const o = raw as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== "string" || !TYPES.has(type)) {
    throw new InputError(file, fieldWhere("type"), `type must be one of invoke, ok, fail, info; got ${show(type)}`);
  }
  // Elle's own test histories (and GRAIL's) omit :f on transactions and :process entirely;
  // Elle reads them as :f :txn from one process, and so do we.
  const isTxn = Array.isArray(o.value) && o.value.every((m) => Array.isArray(m));
  const f = o.f === undefined && isTxn ? "txn" : o.f;
  if (typeof f !== "string" && typeof f !== "number") {
    throw new InputError(file, fieldWhere("f"), `f must be a keyword or string; got ${show(f)}`);
  }
  const process = o.process === undefined ? 0 : o.process;
  if (typeof process !== "string" && !(typeof process === "number" && Number.isInteger(process))) {
    throw new InputError(file, fieldWhere("process"), `process must be an integer or a keyword; got ${show(process)}`);
  }
  const index = typeof o.index === "number" && Number.isInteger(o.index) ? o.index : ordinal;
  const time = typeof o.time === "number" ? o.time : undefined;
  return {
    index,
    process,
    type: type as JepsenType,
    f: String(f),
    value: (o.value ?? null) as JepsenValue,
    ...(time !== undefined ? { time } : {}),
    location: where,
  };
}

function show(v: unknown): string {
  return v === undefined ? "nothing" : JSON.stringify(v);
}
