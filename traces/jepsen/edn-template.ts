/**
 * The fast path for EDN histories whose records are all printed alike, as Jepsen and
 * Knossos print them: `[{:process 3, :type :invoke, :f :cas, :value [1 2]}` ... `]`, or one
 * such map per line. The first record's keys, in their order, make one sticky regular
 * expression that reads a whole record, and the records are paired as they are read (no
 * event objects). Why: `history check` over many small files costs mostly V8's warm-up,
 * and a regular expression is native code from its second use, where a character loop is
 * interpreted for the first few hundred kilobytes. (A new expression per record shape and
 * file would be compiled again each time: templates are kept by key order.)
 *
 * Only the plainest values are taken (small integers, nil, two-integer vectors, simple
 * keywords); a record that does not match is read as read.ts reads it (edn-op-record.ts,
 * else the parser) at the same offset. Anything else (a record-level `#`, a backslash outside
 * a string, an odd structure, invalid EDN, a field the op reader refuses, events that do not
 * pair) answers "not mine" for the whole text, and read-any.ts takes the general path, which
 * says where the text is wrong. So every history
 * this returns is the general path's (test/history/fast-template.test.ts pins them together).
 */
import { InputError } from "../../checker/history/input-error.ts";
import type { JepsenOp } from "../../checker/history/jepsen-op.ts";
import { EventPairing } from "../../checker/linearizability/pair-events.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";
import type { NemesisEvent } from "../porcupine/read-any.ts";
import { emptyOpRecordFields, readPlainOpRecord } from "./edn-op-record.ts";
import { EdnSyntaxError, parseEdnValueAt } from "./edn-parse.ts";
import { opOfEdnFields, opOfEdnRecord } from "./read.ts";

/** The fields a template captures; any other key of the first record is matched, not kept. */
type Field = "process" | "type" | "f" | "value" | "time" | "index";

const INTEGER = "(-?\\d{1,15})"; // at most 15 digits: exact as a double
const NAME = "[A-Za-z][A-Za-z0-9_-]{0,63}"; // a keyword name that is exactly its text
/** Per field: the value's pattern and how many groups it has. */
const PATTERN: Record<Field, { re: string; groups: number }> = {
  process: { re: `(?:${INTEGER}|:(${NAME}))`, groups: 2 },
  type: { re: ":(invoke|ok|fail|info)", groups: 1 },
  f: { re: `:(${NAME})`, groups: 1 },
  value: { re: `(?:(nil)|${INTEGER}|\\[${INTEGER} ${INTEGER}\\])`, groups: 4 },
  time: { re: INTEGER, groups: 1 },
  index: { re: INTEGER, groups: 1 },
};
/** A key the op reader ignores: its value is matched when it is this plain, never kept. */
const OTHER_VALUE = `(?:nil|true|false|-?\\d{1,15}|:${NAME})`;

interface Template {
  readonly re: RegExp;
  /** The first group of each captured field, 0 when the records have no such key. */
  readonly at: Record<Field, number>;
}

/**
 * Templates by key order: files printed alike share one expression, which V8 compiles to
 * native code once (a new expression is interpreted at first, then compiled again).
 */
const TEMPLATES = new Map<string, Template | undefined>();

/** The template of the record `first` (the text of one `{...}`), or undefined when it has no plain shape. */
function templateOf(first: string): Template | undefined {
  const keys = [...first.matchAll(/(?:\{|, ):([a-z]+) /g)].map((m) => m[1]);
  const id = keys.join(" ");
  let template = TEMPLATES.get(id);
  if (template === undefined && !TEMPLATES.has(id)) {
    if (TEMPLATES.size >= 64) TEMPLATES.clear(); // a process reading files of many shapes
    TEMPLATES.set(id, (template = newTemplate(keys)));
  }
  if (template === undefined) return undefined;
  template.re.lastIndex = 0;
  return template.re.test(first) && template.re.lastIndex === first.length ? template : undefined;
}

function newTemplate(keys: string[]): Template | undefined {
  if (keys.length === 0 || new Set(keys).size !== keys.length || !keys.includes("type") || !keys.includes("f")) return undefined;
  const at: Record<Field, number> = { process: 0, type: 0, f: 0, value: 0, time: 0, index: 0 };
  let group = 1;
  const parts = keys.map((k) => {
    if (!Object.hasOwn(PATTERN, k)) return `:${k} ${OTHER_VALUE}`;
    const p = PATTERN[k as Field];
    at[k as Field] = group;
    group += p.groups;
    return `:${k} ${p.re}`;
  });
  return { re: new RegExp(`\\{${parts.join(", ")}\\}`, "y"), at };
}

/** Where the blanks and comments from `i` end (a comment runs to the line's end, as the EDN reader reads it). */
function blankEnd(text: string, i: number): number {
  for (let c = text.charCodeAt(i); isBlank(c) || c === 59; c = text.charCodeAt(++i)) {
    if (c === 59) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) return text.length;
      i = nl;
    }
  }
  return i;
}

/** The line breaks in text[from, to). */
function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) n++;
  return n;
}

/** A character the EDN reader skips between records (the ones this path takes; \f and \v are left to it). */
function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 44 || c === 13 || c === 9;
}

/** What the linearizability reader keeps of a history (traces/porcupine/read-any.ts). */
export interface TemplatedHistory {
  readonly ops: Operation<OpCall, unknown>[];
  readonly records: number;
  readonly nemesis: NemesisEvent[];
}

/**
 * The operations of `text` as pairEvents makes them of readJepsenHistory's ops, or undefined
 * when it is not a history this path takes whole (then read-any.ts reads it the general way,
 * which also says what is wrong: nothing here is an error message). A record the template
 * does not match is read as read.ts reads it: by edn-op-record.ts, else by the parser.
 */
export function readTemplatedHistory(text: string, file: string): TemplatedHistory | undefined {
  let i = 0;
  let line = 1;
  // Blanks are skipped without a closure over i and line: captured, every use of them
  // would go through a context object.
  let to = blankEnd(text, i);
  line += newlines(text, i, to);
  i = to;
  const open = text.charCodeAt(i);
  const close = open === 91 ? 93 : open === 40 ? 41 : open === 123 ? -1 : 0;
  if (close === 0) return undefined;
  if (close !== -1) {
    to = blankEnd(text, i + 1);
    line += newlines(text, i + 1, to);
    i = to;
  }
  const firstEnd = text.indexOf("}", i);
  if (text.charCodeAt(i) !== 123 || firstEnd < 0) return undefined;
  const template = templateOf(text.slice(i, firstEnd + 1));
  if (!template) return undefined;
  const { re, at } = template;
  const pairing = new EventPairing(file);
  const nemesis: NemesisEvent[] = [];
  const fields = emptyOpRecordFields();
  let records = 0;
  try {
    while (i < text.length && text.charCodeAt(i) !== close) {
      if (text.charCodeAt(i) !== 123) return undefined;
      re.lastIndex = i;
      const m = re.exec(text);
      let process: number | string, type: JepsenOp["type"], f: string, value: unknown;
      const where = line;
      if (m !== null) {
        type = m[at.type] as JepsenOp["type"];
        f = m[at.f];
        process = at.process === 0 ? 0 : m[at.process] !== undefined ? +m[at.process] : m[at.process + 1];
        const v = at.value;
        value = v === 0 || m[v] !== undefined ? null : m[v + 1] !== undefined ? +m[v + 1] : [+m[v + 2], +m[v + 3]];
        i = re.lastIndex;
      } else {
        let end = readPlainOpRecord(text, i, fields);
        let op: JepsenOp;
        if (end >= 0) op = opOfEdnFields(fields, records, file, `line ${line}`);
        else {
          const read = parseEdnValueAt(text, i);
          if (read.backslash) return undefined;
          op = opOfEdnRecord(read.value, records, file, `line ${line}`);
          end = read.end;
        }
        ({ process, type, f, value } = op);
        for (let nl = text.indexOf("\n", i); nl >= 0 && nl < end; nl = text.indexOf("\n", nl + 1)) line++;
        i = end;
      }
      if (typeof process !== "number") nemesis.push({ at: records, process: String(process), type, f, value });
      pairing.add(process, type, f, value, undefined, where);
      records++;
      // A record ends at a blank, the closing bracket, or (one map per line) the end.
      const after = text.charCodeAt(i);
      if (!(isBlank(after) || after === close || (close === -1 && i === text.length))) return undefined;
      to = blankEnd(text, i);
      line += newlines(text, i, to);
      i = to;
    }
  } catch (e) {
    if (e instanceof InputError || e instanceof EdnSyntaxError) return undefined;
    throw e;
  }
  if (close !== -1) {
    if (i >= text.length) return undefined;
    i = blankEnd(text, i + 1);
  }
  return i === text.length ? { ops: pairing.finish(), records, nemesis } : undefined;
}
