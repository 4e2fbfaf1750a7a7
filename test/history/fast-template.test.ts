/**
 * The template reader for EDN histories (traces/jepsen/edn-template.ts) against the general
 * path it short-cuts (read-any.ts pairJepsenHistory: readJepsenHistory, then pairEvents):
 * whenever the template reader returns a history, it is exactly the general path's (the same
 * operations, records and nemesis events, -0 and classes included); whenever the general
 * path refuses a text (an InputError), the template reader returns nothing, so the error
 * message is always the general path's. Checked on generated histories (records printed
 * alike and not: other key orders, missing and repeated keys, look-alike values, long
 * numbers, strings, comments, pairing errors, odd wrappers) and on every EDN history in the
 * shared corpora.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readTemplatedHistory } from "../../traces/jepsen/edn-template.ts";
import { pairJepsenHistory } from "../../traces/porcupine/read-any.ts";
import { InputError } from "../../checker/history/input-error.ts";
import { corporaDir, filesBelow } from "../support/corpora.ts";

type Outcome = { kind: "history"; value: unknown } | { kind: "error"; message: string };

function general(text: string): Outcome {
  try {
    return { kind: "history", value: pairJepsenHistory(text, "h.edn") };
  } catch (e) {
    if (e instanceof InputError) return { kind: "error", message: e.message };
    throw e;
  }
}

/** Checks one text; returns whether the template reader took it. */
function agree(text: string): boolean {
  const fast = readTemplatedHistory(text, "h.edn");
  const expected = general(text);
  if (fast === undefined) return false;
  if (expected.kind === "error") throw new Error(`the template reader took a text the general path refuses (${expected.message}): ${JSON.stringify(text.slice(0, 300))}`);
  // toStrictEqual tells -0 from 0, arrays from objects and undefined from absent.
  expect(fast, JSON.stringify(text.slice(0, 300))).toStrictEqual(expected.value);
  return true;
}

const KEYS = ["process", "type", "f", "value", "time", "index", "error", "key", "x"] as const;
/** Mostly a plain value, sometimes a look-alike. */
const mostly = (plain: fc.Arbitrary<string>, odd: fc.Arbitrary<string>) => fc.oneof({ arbitrary: plain, weight: 8 }, { arbitrary: odd, weight: 1 });
const VALUES: Record<(typeof KEYS)[number], fc.Arbitrary<string>> = {
  process: mostly(fc.nat(6).map(String), fc.constantFrom("-0", "007", "-3", "1234567890123456", ":nemesis", ":a-b", ":a/b", ":é", '"p"', "nil", "1.5")),
  type: mostly(fc.constantFrom(":invoke", ":ok", ":fail", ":info"), fc.constantFrom(":invoke2", '"ok"', "nil", ":Ok", "ok")),
  f: mostly(fc.constantFrom(":read", ":write", ":cas"), fc.constantFrom(":r?", "5", '"read"', ":a/b", ":x_y", ":A-1", "nil")),
  value: mostly(
    fc.oneof(fc.constantFrom("nil", "0", "3", "-0", "[1 2]", "[0 0]", "[-0 007]", "123456789012345"), fc.integer({ min: -1e6, max: 1e6 }).map(String)),
    fc.constantFrom("[1 nil]", "[1 2 3]", "[1,2]", "[ 1 2]", ":kw", '"s"', "#{1}", "{:a 1}", "2N", "1000000000000000", "12345678901234567", "[[1 2]]", "true", "[1 2)", "(1 2)", '"a\\"b {:t 1}"', "\\a", '"x\\ny"', "#{1 [2]}"),
  ),
  time: mostly(fc.nat().map(String), fc.constantFrom("-1", "99286665244", "1234567890123456", "nil", "1.5")),
  index: mostly(fc.nat(50).map(String), fc.constantFrom("-0", "1234567890123456", ":i")),
  error: mostly(fc.constant("nil"), fc.constantFrom(":timeout", '"x y"', "[:a 1]", "true", '"e: \\"quoted\\" {:t 18, :x [1]}"', "\\newline")),
  key: mostly(fc.constant("1"), fc.constantFrom(":k", '"k"')),
  x: mostly(fc.constant("1"), fc.constantFrom("nil", ":y")),
};
const separator = fc.oneof(fc.constant(", "), fc.constant(", "), fc.constantFrom(" ", ",", "\n  ", ",  "));

/** A record's pairs changed so that it no longer prints like the others (or is no longer valid). */
const damage = fc.constantFrom("drop", "repeat", "swap", "lead", "comment", "newline", "garbage");
function damaged(pairs: string[], how: string): string {
  if (how === "drop" && pairs.length > 1) return `{${pairs.slice(1).join(", ")}}`;
  if (how === "repeat") return `{${[...pairs, pairs[0]].join(", ")}}`;
  if (how === "swap" && pairs.length > 1) return `{${[pairs[1], pairs[0], ...pairs.slice(2)].join(", ")}}`;
  if (how === "lead") return `{ ${pairs.join(", ")}}`;
  if (how === "comment") return `{${pairs.join(", ")} ; c\n}`;
  if (how === "newline") return `{${pairs.join(",\n  ")}}`;
  return `{${pairs.join(", ")} #_x}`;
}

/**
 * A history text: calls that mostly pair (each process invokes, then completes), every record
 * printed in the file's key order with values drawn from plain ones and look-alikes, and
 * sometimes one record damaged (a key dropped, repeated or swapped, a blank, comment, line
 * break or discarded form inside).
 */
const history = fc
  .record({
    order: fc.shuffledSubarray([...KEYS], { minLength: 1 }),
    withTypeAndF: fc.nat(9).map((n) => n > 0),
    wrapper: mostly(fc.constantFrom("[]", "()", "lines"), fc.constantFrom("[]x", "[", "{}")),
    gap: fc.oneof(fc.constant("\n "), fc.constantFrom("\n ", " ", "\n\n ", "", ",\n ", "\n ; note\n ")),
    separator,
    damage: fc.option(fc.tuple(fc.nat(), damage), { freq: 2 }),
  })
  .chain(({ order, withTypeAndF, wrapper, gap, separator: sep, damage: hurt }) => {
    // Mostly with the keys an op needs (in the order's places when it has them).
    const keys = withTypeAndF ? [...new Set<(typeof KEYS)[number]>([...order, "type", "f", "process"])] : order;
    const event = fc.record({
      values: fc.tuple(...keys.map((k) => VALUES[k])),
      plainProcess: fc.nat(39).map((n) => n > 0),
      plainType: fc.nat(39).map((n) => n > 0),
    });
    const call = fc.tuple(fc.nat(3), fc.constantFrom("read", "write", "cas"), fc.constantFrom("ok", "fail", "info", "open"), event, event);
    return fc.array(call, { minLength: 1, maxLength: 12 }).map((calls) => {
      const records: string[][] = [];
      const render = (p: number, type: string, f: string, e: { values: string[]; plainProcess: boolean; plainType: boolean }) =>
        records.push(keys.map((k, i) => `:${k} ${k === "process" && e.plainProcess ? p : k === "type" && e.plainType ? `:${type}` : k === "f" && e.plainType ? `:${f}` : e.values[i]}`));
      const busy = new Set<number>();
      for (const [p, f, end, invoke, complete] of calls) {
        if (busy.has(p)) continue;
        render(p, "invoke", f, invoke);
        if (end === "open") busy.add(p);
        else render(p, end, f, complete);
      }
      const texts = records.map((pairs, n) => (hurt && hurt[0] % records.length === n ? damaged(pairs, hurt[1]) : `{${pairs.join(sep)}}`));
      const body = texts.join(gap);
      if (wrapper === "lines") return texts.join("\n") + "\n";
      if (wrapper === "[]x") return `[${body}] x`;
      if (wrapper === "[") return `[${body}`;
      if (wrapper === "{}") return `{${body}}`;
      return `${wrapper[0]}${body}${wrapper[1]}`;
    });
  });

/** Histories that pair: each process invokes, then completes, with plain values in one key order. */
const pairedHistory = fc
  .array(fc.tuple(fc.nat(4), fc.constantFrom("read", "write", "cas"), fc.constantFrom("ok", "fail", "info", "open"), fc.constantFrom("nil", "1", "[1 2]", "-0")), { minLength: 1, maxLength: 30 })
  .map((calls) => {
    const lines: string[] = [];
    const busy = new Set<number>();
    for (const [p, f, end, v] of calls) {
      if (busy.has(p)) continue;
      lines.push(`{:process ${p}, :type :invoke, :f :${f}, :value ${v}}`);
      if (end === "open") busy.add(p);
      else lines.push(`{:process ${p}, :type :${end}, :f :${f}, :value ${v}}`);
      if (lines.length % 5 === 0) lines.push("{:process :nemesis, :type :info, :f :start, :value nil}");
    }
    return `[${lines.join("\n ")}]`;
  });

describe("the template reader of EDN histories gives the general path's history, or leaves the text", () => {
  it("on generated histories and look-alikes", () => {
    let taken = 0;
    let left = 0;
    fc.assert(
      fc.property(history, (text) => {
        if (agree(text)) taken++;
        else left++;
      }),
      { numRuns: 4000 },
    );
    // Not vacuous either way.
    expect(taken).toBeGreaterThan(300);
    expect(left).toBeGreaterThan(300);
  });

  it("on histories that pair (open invocations, nemesis events, -0 values): it takes every one", () => {
    fc.assert(
      fc.property(pairedHistory, (text) => {
        expect(agree(text), text).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("gives the general path's values where a double would round, and leaves a type it does not know", () => {
    for (const text of [
      "[{:process 0, :type :invoke, :f :write, :value 12345678901234567}\n {:process 0, :type :ok, :f :write, :value [1 12345678901234567]}]",
      "[{:process 0, :type :invoke, :f :write, :time 12345678901234567, :value 1}\n {:process 0, :type :ok, :f :write, :time 1, :value 1}]",
      "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :invoke2, :f :write, :value 1}]",
    ]) {
      agree(text);
    }
  });

  it("takes a record the op-record path leaves through the parser (an escaped string, a set), and leaves a backslash outside strings to the splitter", () => {
    const rethink = [
      "({:type :invoke, :f :cas, :value [1 4], :process 101, :time 99286665244}",
      ' {:type :info,\n  :f :cas,\n  :value [1 4],\n  :process 101,\n  :time 105332696664,\n  :error\n  "clojure.lang.ExceptionInfo: \\"lost\\" {:t 18, :x [1]}"}',
      " {:type :invoke, :f :read, :value nil, :process 7, :time 105332696700}",
      " {:type :ok, :f :read, :value #{1 2}, :process 7, :time 105332696701})",
    ].join("\n");
    expect(agree(rethink)).toBe(true);
    const charLiteral = "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1, :error \\a}]";
    expect(readTemplatedHistory(charLiteral, "h.edn")).toBeUndefined();
    expect(general(charLiteral).kind).toBe("history");
  });

  it("leaves texts whose records the op reader refuses or that do not pair, so the error is the general path's", () => {
    const refused = [
      "[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0, :type :invoke, :f :read, :value nil}]",
      "[{:process 0, :type :ok, :f :read, :value nil}]",
      "[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :write, :value nil}]",
      "[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0, :type :okay, :f :read, :value nil}]",
      "[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :read, :value 1234567890123456789}",
    ];
    for (const text of refused) {
      expect(general(text).kind, text).toBe("error");
      expect(readTemplatedHistory(text, "h.edn"), text).toBeUndefined();
    }
  });

  const dir = corporaDir();
  it.skipIf(!dir)("on every EDN history in the shared corpora", () => {
    const files = filesBelow(dir!, [".edn"]);
    let taken = 0;
    for (const file of files) if (agree(readFileSync(file, "utf8"))) taken++;
    // The Knossos cas-register histories alone are 86 the template takes.
    expect(taken).toBeGreaterThan(86);
  });
});
