/**
 * Reads a Jepsen history from EDN (a vector or list of op maps, or one map per line, with
 * `;` comments) or from JSON as elle-cli writes it (an array of objects or one object per
 * line; keys as strings, null for nil). The format is detected from the content.
 */
import { InputError } from "../../checker/history/input-error.ts";
import type { JepsenOp, JepsenType, JepsenValue } from "../../checker/history/jepsen-op.ts";
import { EdnAtom, EdnMap, MAX_VALUE_DEPTH, nameOf, nestingDepth, showEdn } from "../../checker/history/edn-value.ts";
import { EdnStructureError, splitEdnForms } from "./edn-forms.ts";
import { EdnSyntaxError, parseEdnRecords, parseEdnValue } from "./edn-parse.ts";
import { emptyOpRecordFields, readPlainOpRecord, type OpRecordFields } from "./edn-op-record.ts";
import { inexactJson, jsonErrorLine, oneLineMessage } from "./json-syntax.ts";

const TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);

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
  return readEdnOnePass(text, file) ?? readEdnByForm(text, file);
}

/** A record's fields as an op; an error names the line and the field (`line 3 (:type)`). */
export function opOfEdnFields(fields: OpRecordFields, ordinal: number, file: string, where: string): JepsenOp {
  return opOf(fields, ordinal, file, where, ednFieldWhere);
}

/** A parsed EDN record as an op, as readEdnOnePass makes it. */
export function opOfEdnRecord(value: unknown, ordinal: number, file: string, where: string): JepsenOp {
  return toOp(value, ordinal, file, where, ednFieldWhere);
}

/**
 * Valid histories in one pass of the parser; undefined when the text or a record is wrong,
 * so that readEdnByForm, form by form, names the line and the problem.
 */
function readEdnOnePass(text: string, file: string): JepsenOp[] | undefined {
  const ops: JepsenOp[] = [];
  let line = 1;
  let lineStart = 0;
  const where = (offset: number) => {
    for (let nl = text.indexOf("\n", lineStart); nl >= 0 && nl < offset; nl = text.indexOf("\n", lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    return `line ${line}`;
  };
  const fields = emptyOpRecordFields();
  try {
    const valid = parseEdnRecords(
      text,
      true,
      (value, offset) => {
        ops.push(toOp(value, ops.length, file, where(offset), ednFieldWhere));
      },
      (offset) => {
        const end = readPlainOpRecord(text, offset, fields);
        if (end >= 0) ops.push(opOf(fields, ops.length, file, where(offset), ednFieldWhere));
        return end;
      },
    );
    return valid ? ops : undefined;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

const ednFieldWhere = (where: string, key: string) => `${where} (:${key})`;

function readEdnByForm(text: string, file: string): JepsenOp[] {
  let forms;
  try {
    forms = splitEdnForms(text, true);
  } catch (e) {
    if (e instanceof EdnStructureError) throw new InputError(file, `line ${e.line}`, e.message);
    throw e;
  }
  return forms.map((form, ordinal) => {
    const where = `line ${form.line}`;
    return toOp(parseEdnForm(form.text, file, where), ordinal, file, where, ednFieldWhere);
  });
}

/** Parses one EDN form exactly; a syntax error is an InputError at `where`. */
export function parseEdnForm(text: string, file: string, where: string): unknown {
  try {
    return parseEdnValue(text);
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw new InputError(file, where, `not valid EDN: ${oneLineMessage(e)}`);
    throw e;
  }
}

/**
 * JSON.parse, refusing what it would take inexactly (rounded integers, repeated keys) and
 * values nested too deeply to check. `numbers: "doubles"` is for dscheck's own results,
 * whose numbers are doubles written as JavaScript writes them (see inexactJson).
 */
export function parseJsonExact(text: string, file: string, lineOffset = 0, { numbers = true }: { numbers?: true | "doubles" } = {}): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `line ${(jsonErrorLine(text) ?? 1) + lineOffset}`, `not valid JSON: ${oneLineMessage(e)}`);
  }
  const inexact = inexactJson(text, { numbers });
  if (inexact) throw new InputError(file, `line ${inexact.line + lineOffset}`, inexact.message);
  if (nestingDepth(parsed, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) throw new InputError(file, `line ${1 + lineOffset}`, `a value is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  return parsed;
}

function readJson(text: string, file: string): JepsenOp[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    const parsed = parseJsonExact(text, file);
    if (!Array.isArray(parsed)) throw new InputError(file, "#", "expected an array of operations");
    return parsed.map((item, i) => toOp(item, i, file, `#/${i}`, (where, key) => `${where}/${key}`));
  }
  const ops: JepsenOp[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === "") continue;
    const where = `line ${n + 1}`;
    const parsed = parseJsonExact(line, file, n);
    ops.push(toOp(parsed, ops.length, file, where, (at, key) => `${at} ("${key}")`));
  }
  return ops;
}

function toOp(
  raw: unknown,
  ordinal: number,
  file: string,
  where: string,
  fieldWhere: (where: string, key: string) => string,
): JepsenOp {
  const o = opFields(raw);
  if (!o) throw new InputError(file, where, "expected an operation map with :type, :f and :process");
  return opOf(o, ordinal, file, where, fieldWhere);
}

/** The operation of a record's fields (each the key's value, undefined when absent). */
function opOf(o: OpFieldValues, ordinal: number, file: string, where: string, fieldWhere: (where: string, key: string) => string): JepsenOp {
  const type = nameOf(o.type);
  if (type === undefined || !TYPES.has(type)) {
    throw new InputError(file, fieldWhere(where, "type"), `type must be one of invoke, ok, fail, info; got ${show(type)}`);
  }
  // Elle's own test histories (and GRAIL's) omit :f on transactions and :process entirely;
  // Elle reads them as :f :txn from one process, and so do we.
  const isTxn = Array.isArray(o.value) && o.value.every((m) => Array.isArray(m));
  const f = o.f === undefined && isTxn ? "txn" : typeof o.f === "number" && Number.isSafeInteger(o.f) ? String(o.f) : nameOf(o.f);
  if (f === undefined) {
    throw new InputError(file, fieldWhere(where, "f"), `f must be a keyword or string; got ${show(o.f)}`);
  }
  const rawProcess = o.process === undefined ? 0 : o.process;
  const process = typeof rawProcess === "number" && Number.isSafeInteger(rawProcess) ? rawProcess : nameOf(rawProcess);
  if (process === undefined) {
    throw new InputError(file, fieldWhere(where, "process"), `process must be an integer or a keyword; got ${show(rawProcess)}`);
  }
  const index = typeof o.index === "number" && Number.isSafeInteger(o.index) ? o.index : ordinal;
  const time = typeof o.time === "number" ? o.time : undefined;
  const value = (o.value ?? null) as JepsenValue;
  return time !== undefined
    ? { index, process, type: type as JepsenType, f: String(f), value, time, location: where }
    : { index, process, type: type as JepsenType, f: String(f), value, location: where };
}

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  const text = showEdn(v);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

type OpFieldValues = { type?: unknown; f?: unknown; process?: unknown; value?: unknown; index?: unknown; time?: unknown };

/** The fields of an operation record: an EDN map with keyword keys or a JSON object (own keys only). */
function opFields(raw: unknown): OpFieldValues | undefined {
  // One object shape for every record (a null-prototype object filled key by key is a slow dictionary).
  const out: Record<OpField, unknown> = { type: undefined, f: undefined, process: undefined, value: undefined, index: undefined, time: undefined };
  if (raw instanceof EdnMap) {
    for (let n = 0; n < raw.size; n++) {
      const k = raw.keyAt(n);
      if (k instanceof EdnAtom && k.kind === "keyword" && OP_FIELDS.has(k.name)) out[k.name as OpField] = raw.valueAt(n) ?? null;
    }
    return out;
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  for (const k of OP_FIELD_NAMES) if (Object.hasOwn(raw, k)) out[k] = (raw as Record<string, unknown>)[k];
  return out;
}

type OpField = "type" | "f" | "process" | "value" | "index" | "time";
const OP_FIELD_NAMES: readonly OpField[] = ["type", "f", "process", "value", "index", "time"];
const OP_FIELDS: ReadonlySet<string> = new Set(OP_FIELD_NAMES);
