// The line memory (traces/trace-log/line-key.ts) finds a line by what it says without
// parsing it. Oracle: JSON.parse, the repeated-key scan and the line decoder. Whenever the
// memory hands back a remembered line for a text, that text must be well-formed and decode
// to the very line remembered (event, arguments, variables, the declared fields), on
// generated lines with stamps anywhere and hostile look-alikes (repeated and escaped names,
// malformed numbers and strings, structured stamps, stray punctuation); and lines that
// differ from a remembered one only in scalar stamps must be found (the point of it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ndjsonLine, type TraceLine } from "../../checker/index.ts";
import { canonicalCode } from "../../checker/values/value.ts";
import { inexactJson } from "../../traces/jepsen/json-syntax.ts";
import { LineMemory } from "../../traces/trace-log/line-key.ts";

const VARS = new Set(["rmState", "tmState"]);
const FIELDS = new Set(["node"]);
const KEPT = ["event", "event_args", ...VARS, ...FIELDS];

/** The oracle's decoding of a text, or undefined when it is not a well-formed line. */
function decoded(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (inexactJson(text, { numbers: false })) return undefined;
  let line: TraceLine;
  try {
    line = ndjsonLine(json, "t", 1, VARS, FIELDS);
  } catch {
    return undefined;
  }
  const code = (v: unknown) => Array.from(canonicalCode(v)).join(",");
  return JSON.stringify([line.event, code(line.eventArgs), [...line.vars].map(([k, x]) => [k, x.kind === "ops" ? x.ops.map((o) => [o.op, code(o.path), code(o.args)]) : code(x.value)]), code({ ...line.raw })]);
}

const space = fc.constantFrom("", "", "", " ", "  ", "\t", "\r");
/** Members that say something (some malformed, some repeated or escaped names). */
const said = fc.constantFrom(
  '"event":"RMPrepare"',
  '"event":"TMCommit"',
  '"event": "RMPrepare"',
  '"event_args":["rm-0"]',
  '"event_args":["rm-1"]',
  '"event_args":["rm-\\"0"]',
  '"rmState":[{"op":"Update","path":["rm-0"],"args":["prepared"]}]',
  '"rmState":[{"op":"Update","path":["rm-1"],"args":["prepared"]}]',
  '"rmState":[{"op":"Update","path":["rm-0"],"args":["prepared"],"args":["aborted"]}]',
  '"tmState":[{"op":"Update","path":[],"args":["done"]}]',
  '"tmState":[{"op":"Update","path":[],"args":["done\\u0022"]}]',
  '"node":"a"',
  '"node":{"id":1}',
  '"ev\\u0065nt":"TMCommit"',
  '"rmState":[1,,2]',
  '"rmState":[{"op":"Update"]',
);
/** Members the mapping does not read: scalars, and look-alikes that are not scalars or not JSON. */
const stamp = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map((n) => `"seq":${n}`) },
  { weight: 4, arbitrary: fc.constantFrom('"ts":"2026-12-01T10:00:00Z"', '"ts":"a\\"b"', '"ts":"\\u00e9"', '"host":null', '"ok":true', '"ok":false', '"x":-0.5e+3', '"x":1E9') },
  fc.constantFrom('"seq":01', '"x":1x5', '"x":2e', '"x":.5', '"seq":1.', '"seq":-', '"seq":+1', '"ts":"unterminated', '"ts":"tab\there"', '"x":tru', '"x":nul', '"x":{"a":1}', '"x":[1]', '"s\\u0065q":1', '"seq":1 2', '"rmState":5'),
);

/** Mostly null (the log's own way), sometimes a value of `arb`. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, arb);

/** Mostly a few usual combinations (so that lines repeat what they say), sometimes anything. */
const keptMembers = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(['"event":"RMPrepare"', '"event_args":["rm-0"]', '"rmState":[{"op":"Update","path":["rm-0"],"args":["prepared"]}]'], ['"event":"TMCommit"', '"tmState":[{"op":"Update","path":[],"args":["done"]}]'], ['"event":"TMCommit"', '"node":"a"']) },
  { weight: 3, arbitrary: fc.array(said, { minLength: 1, maxLength: 3 }) },
);

function assemble(members: string[], spaces: string[]): string {
  let out = "{" + spaces[0];
  members.forEach((m, i) => {
    out += m + spaces[1] + (i < members.length - 1 ? "," + spaces[2] : "");
  });
  return out + "}" + spaces[1];
}

describe("the line memory finds lines by what they say, never a wrong one", () => {
  it("a text found is well-formed and decodes to the line remembered (random lines, stamps anywhere, hostile look-alikes)", () => {
    let found = 0, refused = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keptMembers, fc.array(stamp, { maxLength: 3 }), rarely(fc.array(space, { minLength: 3, maxLength: 3 })), rarely(fc.nat())), { minLength: 1, maxLength: 25 }),
        fc.array(space, { minLength: 3, maxLength: 3 }),
        fc.nat(),
        fc.boolean(),
        (specs, logSpaces, logSeed, declared) => {
          const memory = new LineMemory<number>(declared ? KEPT : undefined, 64, 1024);
          const texts: string[] = [];
          // A logger writes its lines one way (its spacing, its stamps' places); some lines differ.
          for (const [kept, stamps, ownSpaces, ownSeed] of specs) {
            const spaces = ownSpaces ?? logSpaces, seed = ownSeed ?? logSeed;
            // Stamps before, between and after the kept members, as the seed says.
            const members: string[] = [...kept];
            stamps.forEach((s, i) => members.splice(((seed >> (2 * i)) & 3) === 0 ? 0 : ((seed >> (2 * i)) & 3) === 1 ? members.length : (seed >> (2 * i)) % (members.length + 1), 0, s));
            const text = assemble(members, spaces);
            const hit = memory.get(text);
            const want = decoded(text);
            if (hit !== undefined) {
              found++;
              expect(want, text).toBeDefined();
              expect(want, `${text} found as ${texts[hit]}`).toBe(decoded(texts[hit]));
            } else if (want !== undefined) {
              memory.set(text, texts.length);
            } else refused++;
            texts.push(text);
          }
        },
      ),
      { numRuns: 5000, seed: 20261202 },
    );
    expect(found).toBeGreaterThan(1500);
    expect(refused).toBeGreaterThan(2000);
  });

  it("a line that differs from a remembered one only in scalar stamps is found, wherever they are", () => {
    const base = ['"msgs_ignored":0', '"rmState":[{"op":"Update","path":["rm-0"],"args":["prepared"]}]', '"event":"RMPrepare"', '"event_args":["rm-0"]'];
    const memory = new LineMemory<string>(KEPT);
    const first = `{${base.slice(1).join(",")}}`;
    expect(memory.set(first, "first")).toBe(true);
    const variants = [
      `{${base.slice(1).join(",")},"seq":12}`,
      `{"seq":13, ${base.slice(1).join(",")}}`,
      `{"ts":"2026-12-01T10:00:00.123Z","seq":14,${base.slice(1).join(",")} , "host":"n1" }`,
      `{${base[1]},"seq":15,${base[2]},${base[3]}}`,
      `{${base.slice(1).join(",")},"note":"say \\"hi\\"","seq":16}`,
      `{${base.slice(1).join(",")},"seq":1e3,"ok":true,"x":null}`,
    ];
    for (const v of variants) {
      expect(decoded(v), v).toBeDefined();
      // The third of these has a stamp between kept members: two runs, found by the full scan.
      expect(memory.get(v), v).toBe(variants.indexOf(v) === 3 ? undefined : "first");
    }
    // Stored in its own shape, the split line is found too.
    memory.set(variants[3], "split");
    expect(memory.get(`{${base[1]},"seq":99,${base[2]},${base[3]}}`)).toBe("split");
    // Not found: a different argument, a repeated stamp, a repeated kept member, a structured stamp.
    for (const v of [
      `{${base[1]},${base[2]},"event_args":["rm-1"],"seq":1}`,
      `{${base.slice(1).join(",")},"seq":1,"seq":2}`,
      `{${base.slice(1).join(",")},"event":"RMPrepare"}`,
      `{${base.slice(1).join(",")},"meta":{"seq":1}}`,
      `{${base.slice(1).join(",")},"seq":1`,
      `{${base.slice(1).join(",")},"seq":1}}`,
    ])
      expect(memory.get(v), v).toBeUndefined();
  });

  it("without declared fields a line is remembered by its whole text only", () => {
    const memory = new LineMemory<number>(undefined);
    memory.set('{"event":"A","seq":1}', 1);
    expect(memory.get('{"event":"A","seq":1}')).toBe(1);
    expect(memory.get('{"event":"A","seq":2}')).toBeUndefined();
  });

  it("is bounded: past its size and length limits it remembers nothing more", () => {
    const memory = new LineMemory<number>(KEPT, 2, 40);
    expect(memory.set('{"event":"A"}', 1)).toBe(true);
    expect(memory.set(`{"event":"${"B".repeat(50)}"}`, 2)).toBe(false);
    expect(memory.set('{"event":"C"}', 3)).toBe(true);
    expect(memory.set('{"event":"D"}', 4)).toBe(false);
    expect(memory.get('{"event":"D"}')).toBeUndefined();
    expect(memory.get('{"seq":5,"event":"C"}')).toBe(3);
  });
});
