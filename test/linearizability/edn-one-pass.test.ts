/**
 * The one-pass EDN record reader (parseEdnRecords, what valid histories take) against the
 * form-by-form reader it short-cuts (splitEdnForms + parseEdnValue, which every malformed
 * history still goes through for its error message): on random EDN texts, valid and
 * corrupted, whatever the one pass accepts the splitter accepts too, with the same records
 * (canonical text, so exact: types, bigints, atoms, sets, maps) at the same offsets, and the
 * one pass answers most valid texts itself. Failures print the seed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEdnRecords, parseEdnValue } from "../../traces/jepsen/edn-parse.ts";
import { splitEdnForms } from "../../traces/jepsen/edn-forms.ts";
import { canonicalText } from "../../checker/history/edn-value.ts";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import { readPorcupineKvLog } from "../../traces/porcupine/kv-log.ts";

const space = fc.constantFrom(" ", ", ", "\n", " ; a comment [ { \"\n", "\t", ",\n ");

/** EDN text of a value; discards and tags only inside collections (the form splitter cuts them off at the top). */
const text = fc.letrec<{ atom: string; nested: string; value: string; map: string }>((tie) => ({
  atom: fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }).map(String),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => `${n}`),
    fc.integer({ min: 0, max: 99 }).map((n) => `${n}N`),
    fc.constantFrom("nil", "true", "false", "1.5", "-2e3", "1/3", "2.5M", "\\a", "\\newline", "sym", "a.b/c", "+", "-", "-5", "+5"),
    fc.constantFrom(":type", ":time", ":invoke", ":ok", ":f", ":value", ":process", ":r", ":read", ":a/b", ":tim", ":typ"),
    fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
    fc.constantFrom('"a\\"b"', '"x\\ny"', '"\\u0041"', '"[{("'),
  ),
  nested: fc.oneof({ depthSize: "small" }, tie("value"), tie("value").map((v) => `#_ ${v} ${v}`), tie("value").map((v) => `#tag ${v}`)),
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("atom"),
    tie("atom"),
    fc.array(fc.tuple(tie("nested"), space), { maxLength: 4 }).map((xs) => `[${xs.map(([v, s]) => v + s).join("")}]`),
    fc.array(fc.tuple(tie("nested"), space), { maxLength: 3 }).map((xs) => `(${xs.map(([v, s]) => v + s).join("")})`),
    fc.array(tie("atom"), { maxLength: 3 }).map((xs) => `#{${xs.join(" ")}}`),
    tie("map"),
  ),
  map: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(":type", ":f", ":value", ":process", ":time", ":key"), tie("atom")), tie("nested")), { maxLength: 5 })
    .map((kvs) => `{${kvs.map(([k, v]) => `${k} ${v}`).join(", ")}}`),
}));

/** A history-like text: records at the top level or in one vector, with optional damage. */
const historyText = fc
  .record({
    records: fc.array(fc.tuple(fc.oneof(text.map, text.map, text.value), space), { maxLength: 6 }),
    wrap: fc.constantFrom("", "[", "("),
    lead: space,
    damage: fc.option(fc.tuple(fc.nat(), fc.constantFrom("", "]", "}", ")", "{", "[", '"', "#", ":", "\\", " ", "#_")), { freq: 3 }),
  })
  .map(({ records, wrap, lead, damage }) => {
    const body = records.map(([r, s]) => r + s).join("");
    let t = lead + (wrap === "[" ? `[${body}]` : wrap === "(" ? `(${body})` : body);
    if (damage) {
      const at = damage[0] % (t.length + 1);
      t = t.slice(0, at) + damage[1] + t.slice(at + (damage[1] === "" ? 1 : 0));
    }
    return t;
  });

/** The form-by-form reading: records with offsets, or undefined when any form is not valid EDN. */
function byForm(t: string, unwrapOne: boolean): { values: string[]; offsets: number[] } | undefined {
  try {
    const forms = splitEdnForms(t, unwrapOne);
    return { values: forms.map((f) => canonicalText(parseEdnValue(f.text))), offsets: forms.map((f) => f.offset) };
  } catch {
    return undefined;
  }
}

function onePass(t: string, unwrapOne: boolean): { values: string[]; offsets: number[] } | undefined {
  const values: string[] = [];
  const offsets: number[] = [];
  return parseEdnRecords(t, unwrapOne, (v, at) => {
    values.push(canonicalText(v));
    offsets.push(at);
  })
    ? { values, offsets }
    : undefined;
}

describe("one-pass EDN records agree with the form-by-form reader", () => {
  for (const unwrapOne of [true, false]) {
    it(`same records at the same offsets, or both refuse (unwrapOne ${unwrapOne})`, () => {
      let accepted = 0;
      let onePassAnswered = 0;
      fc.assert(
        fc.property(historyText, (t) => {
          const expected = byForm(t, unwrapOne);
          const got = onePass(t, unwrapOne);
          if (expected) accepted++;
          // The one pass may leave a text to the splitter (undefined: a vector followed by more
          // forms, a record-level `#` form, an atom glued to a string); whatever it returns,
          // the splitter returns too.
          if (got === undefined) return;
          onePassAnswered++;
          expect(got).toEqual(expected);
        }),
        { numRuns: 3000 },
      );
      // The property is not vacuous, and the one pass answers most valid texts itself.
      expect(accepted).toBeGreaterThan(500);
      expect(onePassAnswered).toBeGreaterThan(accepted / 2);
    });
  }

  it("readers keep their error messages: malformed histories go the form-by-form way", () => {
    expect(() => readJepsenHistory('[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0 :type}]', "h.edn")).toThrow(/h\.edn.*line 2.*even number/);
    expect(() => readJepsenHistory('[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0, :type :bogus, :f :read}]', "h.edn")).toThrow(/h\.edn.*line 2 \(:type\)/);
    expect(() => readPorcupineKvLog('{:process 0, :type :invoke, :f :get, :key "a", :value nil}\n{:process 0, :type :ok, :f :get, :key 1, :value "x"}\n', "kv.txt")).toThrow(/kv\.txt.*line 2.*:key must be a string/);
    // A vector-wrapped kv log is still one record, not a list of them.
    expect(() => readPorcupineKvLog('[{:process 0, :type :invoke, :f :get, :key "a", :value nil}]', "kv.txt")).toThrow(/operation map/);
  });

  it("line numbers of records count every newline before them, strings and comments included", () => {
    const ops = readJepsenHistory('; "a\n[{:process 0, :type :invoke, :f :write, :value "x\ny"}\n\n {:process 0, :type :ok, :f :write, :value "x\ny"}]', "h.edn");
    expect(ops.map((o) => o.location)).toEqual(["line 2", "line 5"]);
  });
});
