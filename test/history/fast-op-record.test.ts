/**
 * The fast path for plain op records (traces/jepsen/edn-op-record.ts) against the general EDN
 * parser it short-cuts (edn-parse.ts, read at the same offset): whenever the fast path takes
 * a record, the parser reads the same text as an EdnMap ending at the same offset, and every
 * field the readers look at is the map's value for that keyword exactly: same classes
 * (keywords are interned atoms, not strings; vectors arrays; -0 stays -0), compared by
 * identity and canonical text. Records the fast path leaves (-1) are the parser's alone.
 * Checked on generated records (plain ones and hostile look-alikes: long tokens, duplicate
 * keys, sets, maps, tags, comments, escapes, big and signed numbers, symbols, odd forms) and
 * on every record of every EDN file in the shared corpora. Failures print the seed.
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emptyOpRecordFields, readPlainOpRecord, type OpRecordFields } from "../../traces/jepsen/edn-op-record.ts";
import { EdnSyntaxError, parseEdnRecords, parseEdnValue, parseEdnValueAt } from "../../traces/jepsen/edn-parse.ts";
import { splitEdnForms } from "../../traces/jepsen/edn-forms.ts";
import { canonicalText, EdnAtom, EdnMap } from "../../checker/history/edn-value.ts";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import { corporaDir, filesBelow } from "../support/corpora.ts";

const FIELDS = ["type", "f", "process", "value", "index", "time", "key"] as const;

/** The general parser's reading of the value at `at`: the map's fields and where it ends, or undefined when it is no valid map. */
function parserFields(text: string, at: number): { fields: OpRecordFields; end: number } | "not a map" | "syntax error" {
  let read;
  try {
    read = parseEdnValueAt(text, at);
  } catch (e) {
    if (e instanceof EdnSyntaxError) return "syntax error";
    throw e;
  }
  if (!(read.value instanceof EdnMap)) return "not a map";
  const m = read.value;
  const fields = emptyOpRecordFields();
  for (const k of FIELDS) fields[k] = m.get(EdnAtom.keyword(k));
  return { fields, end: read.end };
}

/** Exact sameness of two field values: identity for atoms and primitives (Object.is: -0 is not 0), canonical text for the rest, arrays as arrays. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, k) => same(x, b[k]));
  }
  if (a === null || typeof a !== "object" || b === null || typeof b !== "object") return Object.is(a, b);
  return a.constructor === b.constructor && canonicalText(a) === canonicalText(b);
}

/** Checks the fast path at `at` against the parser; returns whether the fast path took the record. */
function agreeAt(text: string, at: number): boolean {
  const out = emptyOpRecordFields();
  const end = readPlainOpRecord(text, at, out);
  if (end < 0) return false;
  const expected = parserFields(text, at);
  expect(typeof expected === "object", `the parser refuses what the fast path took: ${expected} in ${JSON.stringify(text.slice(at, at + 200))}`).toBe(true);
  const { fields, end: parserEnd } = expected as { fields: OpRecordFields; end: number };
  expect(end, JSON.stringify(text.slice(at, at + 200))).toBe(parserEnd);
  for (const k of FIELDS) {
    if (!same(out[k], fields[k])) throw new Error(`:${k} differs in ${JSON.stringify(text.slice(at, end))}: fast ${canonicalText(out[k])}, parser ${canonicalText(fields[k])}`);
  }
  return true;
}

const blank = fc.constantFrom(" ", ", ", ",", "\n", "\t", " \r\n ", "");
const name = fc.oneof(
  fc.constantFrom("type", "f", "process", "value", "index", "time", "key", "error", "invoke", "ok", "fail", "info", "read", "write", "cas", "nil", "true", "a/b", "x.y", "*+!-_?<>=./", "1", "-", "nemesis"),
  fc.stringMatching(/^[a-zA-Z0-9*+!_?<>=./-]{1,12}$/),
);
const hostileName = fc.constantFrom("", ":", "a#b", "a'b", "é", "a\\b", "k".repeat(70_000), "a:b", "a@b", "a~b", "a^b");
const scalar = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom("0", "-0", "007", "-007", "999999999999999", "-999999999999999", "1000000000000000", "9007199254740993", "+5", "-", "1.5", "1e3", "2N", "3M", "1/2", "12a", "0x10"),
  name.map((n) => `:${n}`),
  hostileName.map((n) => `:${n}`),
  fc.constantFrom("nil", "true", "false", "nill", "tru", "falsey", "sym", "n", "t", "f"),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"a\\"b"', '"x\\ny"', '"\\u0041"', '"{[("', '""', '"unterminated'),
  fc.constantFrom("\\a", "#{1 2}", "#{}", "#tag 1", "#_ 1 2", "{:a 1}", "{}", "[1 [2 [3]]]", "(1 2)", "()", "[]", "[ ]", "[1,2]", "[nil :a 1]", "[1 2", "1]", ";c\n1"),
);
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    scalar,
    fc.array(fc.tuple(tie("v"), blank), { maxLength: 4 }).map((xs) => `[${xs.map(([v, s]) => v + s).join("")}]`),
    fc.array(fc.tuple(tie("v"), blank), { maxLength: 3 }).map((xs) => `(${xs.map(([v, s]) => v + s).join("")})`),
  ),
})).v;
const key = fc.oneof(name.map((n) => `:${n}`), name.map((n) => `:${n}`), hostileName.map((n) => `:${n}`), scalar);
/** Plain records, as the fast path should take them (values it knows, blanks it knows). */
const plainScalar = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom("0", "-0", "007", "999999999999999", "-999999999999999"),
  name.map((n) => `:${n}`),
  fc.constantFrom("nil", "true", "false"),
  fc.stringMatching(/^[a-z {}();,\[\]#:]{0,8}$/).map((s) => `"${s}"`),
);
const plainValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    plainScalar,
    plainScalar,
    fc.array(tie("v"), { maxLength: 4 }).map((xs) => `[${xs.join(" ")}]`),
    fc.array(tie("v"), { maxLength: 3 }).map((xs) => `(${xs.join(", ")})`),
  ),
})).v;
const plainRecord = fc
  .uniqueArray(fc.tuple(name, fc.constantFrom(" ", "  ", "\n", ", "), plainValue), { maxLength: 7, selector: ([k]) => k })
  .chain((pairs) => fc.tuple(fc.constant(pairs), fc.array(fc.constantFrom(", ", " ", ",", "\n "), { minLength: pairs.length, maxLength: pairs.length })))
  .map(([pairs, seps]) => `{${pairs.map(([k, s, v], n) => `:${k}${s}${v}${n < pairs.length - 1 ? seps[n] : ""}`).join("")}}`);
/** A plain record with a hostile snippet put in somewhere: the look-alikes at the edge of what the fast path takes. */
const damaged = fc
  .tuple(plainRecord, fc.nat(), fc.oneof(scalar, fc.constantFrom("#", ";", "\\", "\"", "{", "}", "[", "]", "(", ")", ":", " :f :x", " :process 1", "\f", "\u000b", "é", "N", "M", ".", "'", "#_")))
  .map(([r, at, snippet]) => {
    const k = at % (r.length + 1);
    return r.slice(0, k) + snippet + r.slice(k);
  });
const hostileRecord = fc
  .record({
    pairs: fc.array(fc.tuple(key, fc.constantFrom(" ", ",", "\n", " ; c\n ", "  "), value, blank), { maxLength: 7 }),
    lead: blank,
    odd: fc.option(key, { freq: 8 }),
    close: fc.constantFrom("}", "}", "}", "", "]", ")"),
    after: fc.constantFrom("", " ", "\n", "]", "}", ",", "{", "x", "\"", ";"),
  })
  .map(({ pairs, lead, odd, close, after }) => `{${lead}${pairs.map(([k, s, v, b]) => k + s + v + b).join("")}${odd ?? ""}${close}${after}`);
const record = fc.oneof(plainRecord, damaged, damaged, hostileRecord);

describe("the plain op record fast path reads what the EDN parser reads", () => {
  it("on generated records and look-alikes: same fields (exact classes) and the same end, or it leaves the record", () => {
    let taken = 0;
    let left = 0;
    fc.assert(
      fc.property(record, (text) => {
        if (agreeAt(text, 0)) taken++;
        else left++;
      }),
      { numRuns: 5000 },
    );
    // Not vacuous either way: it takes many records and leaves many.
    expect(taken).toBeGreaterThan(500);
    expect(left).toBeGreaterThan(500);
  });

  it("on typical records it takes them", () => {
    const typical = [
      "{:process 4, :type :invoke, :f :cas, :value [1 2]}",
      "{:type :ok, :f :read, :value nil, :process 0, :time 123456789012345, :index 7}",
      '{:type :fail, :f :write, :value 3, :process 12, :time 5, :error "timed out"}',
      "{:process :nemesis, :type :info, :f :start, :value nil}",
      "{:process 0, :type :invoke, :f :txn, :value [[:r 1 nil] [:w 2 3]]}",
      "{:process -0, :type :ok, :f :read, :value -0}",
      "{}",
    ];
    for (const t of typical) expect(agreeAt(t, 0), t).toBe(true);
  });

  it("leaves what it must: long tokens, duplicate keys, odd forms, escapes, comments, tags, sets, maps, big or signed numbers", () => {
    const leave = [
      `{:process 0, :type :${"k".repeat(70_000)}, :f :read}`,
      "{:process 0, :process 1}",
      "{:error 1, :error 2}",
      "{:process 0, :type}",
      '{:value "a\\"b"}',
      "{:value 1 ; comment\n}",
      "{:value #{1 2}}",
      "{:value {:a 1}}",
      "{:value #tag 1}",
      "{:value #_ 1 2}",
      "{:value 1000000000000000}",
      "{:value +5}",
      "{:value 2N}",
      "{:value 1.5}",
      "{:value sym}",
      "{:value \\a}",
      '{:value "x"y}',
      "{:value :a:b}",
      "{:value [1 2)}",
      '{"type" :ok}',
      "{:value 1",
    ];
    for (const t of leave) expect(readPlainOpRecord(t, 0, emptyOpRecordFields()), t).toBe(-1);
  });

  const dir = corporaDir();
  it.skipIf(!dir)("on every record of every EDN history in the shared corpora", () => {
    const files = filesBelow(dir!, [".edn", ".txt"]);
    let records = 0;
    let taken = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const unwrapOne of [true, false]) {
        // The fast path is asked at every record the one pass meets, then the parser reads it anyway.
        parseEdnRecords(
          text,
          unwrapOne,
          () => {},
          (at) => {
            records++;
            if (agreeAt(text, at)) taken++;
            return -1;
          },
        );
      }
    }
    expect(records).toBeGreaterThan(100_000);
    expect(taken).toBeGreaterThan(records * 0.9);
  });

  it.skipIf(!dir)("Knossos histories read (fast path and all) to the records the parser reads form by form", () => {
    const k = join(dir!, "knossos/data/cas-register");
    let ops = 0;
    for (const sub of ["good", "bad"]) {
      for (const f of readdirSync(join(k, sub))) {
        const text = readFileSync(join(k, sub, f), "utf8");
        const read = readJepsenHistory(text, f);
        const forms = splitEdnForms(text, true);
        expect(read.length, f).toBe(forms.length);
        forms.forEach((form, n) => {
          const m = parseEdnValue(form.text) as EdnMap;
          const op = read[n];
          const process = m.kw("process");
          expect([op.type, op.f, op.process, op.location], `${f} line ${form.line}`).toEqual([
            (m.kw("type") as EdnAtom).name,
            (m.kw("f") as EdnAtom).name,
            process instanceof EdnAtom ? process.name : process,
            `line ${form.line}`,
          ]);
          expect(same(op.value, m.kw("value") ?? null), `${f} line ${form.line}`).toBe(true);
          ops++;
        });
      }
    }
    expect(ops).toBeGreaterThan(30_000);
  });
});
