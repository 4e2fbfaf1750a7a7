// The shortcuts that make long traces fast, each against the general computation it stands
// for (fast-check): structural equality of views against comparing canonical encodings;
// decoding a parsed value in place against the copying decoder; the chunked reader with
// its memory of repeated lines against a plain line-by-line reader; and the validator's
// candidate set after every line against a brute-force oracle that expands every successor
// of every candidate and compares views by their encodings, on random TwoPhase traces with
// corrupted lines (the rejected line and the guards named must be the oracle's).
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../checker/history/input-error.ts";
import { BoundSpec, ndjsonLine, setField, TraceValidator, type TraceLine } from "../../checker/index.ts";
import { copiedStateValue, stateValue } from "../../checker/trace/line.ts";
import { applyOp, sameValue, TraceMissingError } from "../../checker/trace/ops.ts";
import { canonicalCode, compareValues, ValueMap, ValueSet, type Value } from "../../checker/values/value.ts";
import { traceLines } from "../../traces/trace-log/read.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { LINE_POOL, traceFileBytes } from "./line-pool.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-fast-paths-"));
let serial = 0;

/** The general equality: canonical encodings compared, false when one does not encode. */
const encodedEqual = (a: unknown, b: unknown) => {
  if (a === b) return true;
  try {
    return compareValues(a as Value, b as Value) === 0;
  } catch {
    return false;
  }
};

/** Values of every kind a view can hold, valid or not, with equal twins built independently. */
const scalar = fc.oneof(
  fc.constantFrom<unknown>(0, -0, 1, 2.5, 2 ** 27, 2 ** 27 - 1, -(2 ** 27), 2 ** 53, NaN, Infinity, -Infinity, "", "a", "rm-0", "__proto__", "#set", true, false, null, undefined),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom("x", "y"),
);
const validScalar = fc.oneof(fc.constantFrom<Value>(0, 1, 2.5, 2 ** 40, "", "a", "__proto__", true, false, null), fc.integer({ min: -3, max: 3 }));
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    scalar,
    scalar,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom("a", "b", "__proto__", "rm-1"), tie("v")), { maxLength: 3 }).map((kv) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of kv) setField(o, k, v);
      return o;
    }),
    fc.array(validScalar, { maxLength: 3 }).map((xs) => ValueSet.from(xs)),
    fc.array(fc.tuple(validScalar, tie("v")), { maxLength: 2 }).map((kv) => ValueMap.from(kv as [Value, Value][])),
    fc.constantFrom<unknown>(() => 1, new Date(0), Object.create(null), [, 1], Symbol.for("s"), 1n),
  ),
})).v;

/** A structurally equal copy, keys in the same or the reverse order, records sometimes without a prototype. */
function twin(v: unknown, reverse: boolean, bare: boolean): unknown {
  if (Array.isArray(v)) return v.length === 2 && !(0 in v) ? [, v[1]] : v.map((x) => twin(x, reverse, bare));
  if (v instanceof ValueSet) return ValueSet.from([...v].reverse());
  if (v instanceof ValueMap) return ValueMap.from([...v].reverse().map(([k, x]) => [k, twin(x, reverse, bare)] as [Value, Value]));
  if (v && typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const out: Record<string, unknown> = bare ? Object.create(null) : {};
    const keys = Object.keys(v);
    for (const k of reverse ? keys.reverse() : keys) setField(out, k, twin((v as Record<string, unknown>)[k], reverse, bare));
    return out;
  }
  return v;
}

describe("sameValue: structural equality agrees with comparing encodings", () => {
  it("on random pairs, equal twins and values that do not encode", () => {
    const pair = fc.oneof(
      fc.tuple(anyValue, anyValue),
      fc.tuple(anyValue, fc.boolean(), fc.boolean()).map(([v, r, b]) => [v, twin(v, r, b)] as const),
    );
    let equal = 0;
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const want = encodedEqual(a, b);
        if (want) equal++;
        expect(sameValue(a, b)).toBe(want);
        expect(sameValue(b, a)).toBe(encodedEqual(b, a));
      }),
      { numRuns: 3000, seed: 1201 },
    );
    expect(equal).toBeGreaterThan(300); // not only unequal pairs
  });
});

// ---------------------------------------------------------------------------------------

/** JSON text of hostile values: big integers, 1e400, __proto__ keys, ITF tags, deep nesting. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom('"rm-0"', '"__proto__"', '"\\ud800"', '""', "0", "-0", "1.5", "1e400", "9007199254740993", "-9007199254740991", "123456789012345678901234567890", "true", "null"),
    fc.array(tie("v"), { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`),
    fc.array(fc.tuple(fc.constantFrom('"a"', '"__proto__"', '"#set"', '"#bigint"', '"#map"', '"constructor"', '"a"'), tie("v")), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
    fc.constantFrom('{"#bigint": "12"}', '{"#set": [1, 1, 2]}', '{"#tup": [1]}', '{"#map": [[1, 2]]}', '{"#bigint": 1}'),
    fc.integer({ min: 495, max: 505 }).map((d) => "[".repeat(d) + "1" + "]".repeat(d)),
  ),
})).v;

/** A value written out exactly: key order, own `__proto__` keys, set and map elements, number signs. */
function exact(v: unknown): string {
  if (v instanceof ValueSet) return `#set(${[...v].map(exact).join(",")})`;
  if (v instanceof ValueMap) return `#map(${[...v].map(([k, x]) => `${exact(k)}=>${exact(x)}`).join(",")})`;
  if (Array.isArray(v)) return `[${v.map(exact).join(",")}]`;
  if (v && typeof v === "object") {
    const proto = Object.getPrototypeOf(v) === Object.prototype ? "" : "bare";
    return `${proto}{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${exact((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return Object.is(v, -0) ? "-0" : JSON.stringify(v);
}

describe("stateValue: a parsed value checked in place decodes as the copying decoder does", () => {
  it("same value, same key order, same errors", () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const json = JSON.parse(text);
        const run = (f: typeof stateValue) => {
          try {
            return { value: exact(f(json, "f", "line 1", "/x")) };
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            return { error: (e as Error).message };
          }
        };
        expect(run(stateValue)).toEqual(run(copiedStateValue));
      }),
      { numRuns: 2000, seed: 611 },
    );
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

const VARS = new Set(["rmState", "tmState", "tmPrepared", "msgs"]);

/** The plain reader: the whole file, one line at a time, each decoded strictly on its own. */
function referenceLines(file: string): { lines: TraceLine[]; error?: string } {
  const bytes = readFileSync(file);
  const lines: TraceLine[] = [];
  let from = 0, lineNo = 0;
  while (from < bytes.length) {
    let at = bytes.indexOf(10, from);
    if (at < 0) at = bytes.length;
    lineNo++;
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(from, at));
    } catch {
      return { lines, error: new InputError(file, `line ${lineNo}`, "not valid UTF-8").message };
    }
    from = at + 1;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") continue;
    try {
      lines.push(ndjsonLine(JSON.parse(text), file, lineNo, VARS));
    } catch (e) {
      return { lines, error: e instanceof SyntaxError ? new InputError(file, `line ${lineNo}`, `not JSON: ${e.message}`).message : (e as Error).message };
    }
  }
  return { lines };
}

async function streamedLines(file: string): Promise<{ lines: TraceLine[]; error?: string }> {
  const lines: TraceLine[] = [];
  try {
    for await (const l of traceLines(file, "ndjson", VARS)) lines.push(l);
  } catch (e) {
    return { lines, error: (e as Error).message };
  }
  return { lines };
}

const lineText = (l: TraceLine) => JSON.stringify({ e: l.event, a: l.eventArgs.map(exact), v: [...l.vars].map(([k, x]) => [k, x.kind === "ops" ? x.ops.map((o) => [o.op, o.path.map(exact), o.args.map(exact), o.map]) : exact(x.value)]), r: exact({ ...l.raw }), w: l.where });

const POOL = LINE_POOL;

describe("the chunked reader, which remembers repeated lines, reads as a plain line-by-line reader", () => {
  it("same lines, numbers and errors on random files (repeats, CRLF, a BOM, blank and bad lines, invalid UTF-8)", async () => {
    await fc.assert(
      fc.asyncProperty(traceFileBytes(POOL, 30), async (bytes) => {
        const file = join(dir, `r${serial++}.ndjson`);
        writeFileSync(file, bytes);
        const [got, want] = [await streamedLines(file), referenceLines(file)];
        expect(got.error).toBe(want.error);
        expect(got.lines.map(lineText)).toEqual(want.lines.map(lineText));
      }),
      { numRuns: 300, seed: 99 },
    );
  });

  it("lines that straddle 1 MB chunks, one longer than two chunks, multi-byte characters at the cuts, a bad byte far in", async () => {
    const lines: string[] = [];
    for (let i = 0, size = 0; size < 3.2 * 2 ** 20; i++) {
      lines.push(JSON.stringify({ event: "RMPrepare", event_args: ["rm-0"], pad: "☃".repeat(i === 900 ? 800_000 : (i * 7919) % 300), n: i % 5 }));
      size += Buffer.byteLength(lines[i]) + 1;
    }
    const text = Buffer.from(lines.join("\n") + "\n");
    for (const variant of [text, Buffer.concat([text.subarray(0, 2_500_001), Buffer.from([0xff]), text.subarray(2_500_001)])]) {
      const file = join(dir, `big${serial++}.ndjson`);
      writeFileSync(file, variant);
      const [got, want] = [await streamedLines(file), referenceLines(file)];
      expect(got.error).toBe(want.error);
      expect(got.lines.length).toBe(want.lines.length);
      expect(got.lines.map(lineText)).toEqual(want.lines.map(lineText));
    }
  }, 60_000);
});

// ---------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const RMS = 3;
const model = new BoundSpec(twoPhase as never, { rms: RMS });
const mapping = twoPhase.trace!;
const names = ["rm-0", "rm-1", "rm-2"];
const context = { names };
const view = (v: string, s: unknown) => mapping.variables![v](s as never, model.params as never, context);

/** A random run of TwoPhase logged at a random level of detail per line, some lines then corrupted. */
function randomTrace(choices: number[], detail: { event: boolean; args: boolean; vars: string[] }[], corrupt: (number | null)[]): Json[] {
  let state = model.initialStates()[0];
  const out: Json[] = [];
  choices.forEach((c, i) => {
    const succ: { state: unknown; action: number; args: readonly unknown[] }[] = [];
    for (let a = 0; a < model.actionCount; a++) {
      const lists = model.instancesOf(a, state);
      model.actionSuccessors(a, state, 0, (k, next) => succ.push({ state: next, action: a, args: lists[k] }));
    }
    const pick = succ[c % succ.length];
    const d = detail[i % detail.length];
    const line: Json = {};
    for (const v of d.vars) {
      const before = view(v, state), after = view(v, pick.state);
      // As lbinria's logs write them: an Update per changed RM, an AddElement per new element.
      if (v === "rmState") line[v] = Object.keys(after as object).filter((k) => (after as Json)[k] !== (before as Json)[k]).map((k) => ({ op: "Update", path: [k], args: [(after as Json)[k]] }));
      else if (v === "tmState") line[v] = [{ op: "Update", path: [], args: [after] }];
      else line[v] = [...(after as ValueSet)].filter((x) => !(before as ValueSet).has(x as Value)).map((x) => ({ op: "AddElement", path: [], args: [x] }));
    }
    if (d.event) line.event = model.actionNames[pick.action];
    if (d.event && d.args && pick.args.length) line.event_args = [names[pick.args[0] as number]];
    const k = corrupt[i % corrupt.length];
    if (k !== null) {
      // A wrong RM, a wrong value, an event that did not happen, a path the state lacks.
      const bad: Json[] = [{ event_args: [names[(k + 1) % RMS]] }, { tmState: [{ op: "Update", path: [], args: ["bogus"] }] }, { event: model.actionNames[k % model.actionCount] }, { rmState: [{ op: "Update", path: ["rm-9"], args: ["working"] }] }];
      Object.assign(line, bad[k % bad.length]);
    }
    out.push(line);
    state = pick.state;
  });
  return out;
}

const key = (s: unknown) => Array.from(canonicalCode(s)).join(",");

/** The oracle: every successor of every candidate, logged variables compared by their encodings. */
function oracleStep(states: unknown[], line: TraceLine): unknown[] {
  const next = new Map<string, unknown>();
  for (const s of states) {
    for (let a = 0; a < model.actionCount; a++) {
      if (line.event !== undefined && model.actionNames[a] !== line.event) continue;
      const wanted = line.event !== undefined && line.eventArgs.length ? [names.indexOf(line.eventArgs[0] as string)] : undefined;
      if (wanted && wanted[0] < 0) continue;
      const lists = model.instancesOf(a, s);
      model.actionSuccessors(a, s, 0, (k, t) => {
        if (wanted && lists[k][0] !== wanted[0]) return;
        for (const [v, logged] of line.vars) {
          let cur = view(v, s);
          try {
            for (const op of logged.kind === "ops" ? logged.ops : []) cur = applyOp(cur, view(v, model.initialStates()[0]), op, op.args);
          } catch (e) {
            if (e instanceof TraceMissingError) return;
            throw e;
          }
          if (!encodedEqual(cur, view(v, t))) return;
        }
        next.set(key(t), t);
      });
    }
  }
  return [...next.values()];
}

describe("the validator's candidate set after every line is the brute-force oracle's", () => {
  const detail = fc.array(fc.record({ event: fc.boolean(), args: fc.boolean(), vars: fc.subarray(["rmState", "tmState", "tmPrepared", "msgs"]) }), { minLength: 1, maxLength: 4 });
  it("on random TwoPhase traces, fully or partly logged, with corrupted lines: same sets, same rejected line, the guards that failed", () => {
    let rejected = 0, several = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 1, maxLength: 12 }), detail, fc.array(fc.option(fc.nat(20), { freq: 4 }), { minLength: 1, maxLength: 5 }), (choices, d, corrupt) => {
        const json = randomTrace(choices, d, corrupt);
        const lines = json.map((o, i) => ndjsonLine(JSON.parse(JSON.stringify(o)), "gen.ndjson", i + 1, VARS));
        // The candidates as they are (symmetry.test.ts has the reduction by renaming RMs).
        const v = new TraceValidator(twoPhase as never, { params: { rms: RMS }, reduceFrom: Infinity });
        let states: unknown[] = [...model.initialStates()];
        for (let i = 0; i < lines.length; i++) {
          v.push(lines[i]);
          states = oracleStep(states, lines[i]);
          if (states.length > 1) several++;
          if (states.length === 0) {
            rejected++;
            const r = v.finish();
            expect(r.status).toBe("rejected");
            expect(r.rejection!.line).toBe(i + 1);
            expect(r.rejection!.where).toBe(`gen.ndjson:${i + 1}`);
            // Every guard reason names exactly the guards that fail for that instance.
            for (const c of r.rejection!.candidates) {
              for (const reason of c.reasons) {
                if (reason.kind !== "guard") continue;
                const a = model.actionIndex(reason.action);
                expect(reason.guards).toEqual(model.failingGuards(a, c.state, reason.args));
              }
            }
            return;
          }
          expect(v.done).toBe(false);
          expect(v.candidateStates.map(key).sort()).toEqual(states.map(key).sort());
        }
        const r = v.finish();
        expect(r.status).toBe("valid");
        expect(r.finalCandidates).toBe(states.length);
      }),
      { numRuns: 400, seed: 20261201 },
    );
    expect(rejected).toBeGreaterThan(50);
    expect(several).toBeGreaterThan(50);
  });

  it("an empty trace is refused by the library as by the CLI: malformed input, not the empty behaviour", () => {
    const v = new TraceValidator(twoPhase as never, { params: { rms: RMS }, name: "empty.ndjson" });
    expect(() => v.finish()).toThrow("empty.ndjson: the trace has no lines: nothing to check");
    // Header lines (EWD998ChanTrace's {"N": 5}) are not lines checked either.
    const withHeader = new TraceValidator({ ...twoPhase, trace: { ...twoPhase.trace!, header: 1 } } as never, { params: { rms: RMS } });
    withHeader.push({ eventArgs: [], vars: new Map(), raw: {}, where: "h:1" });
    expect(() => withHeader.finish()).toThrow("the trace: the trace has no lines: nothing to check");
  });
});
