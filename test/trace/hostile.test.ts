// `dscheck trace validate` on hostile traces, as a demanding CI pipeline would feed it:
// random bytes, truncated lines, invalid UTF-8, deep nesting, huge numbers and 1e400,
// __proto__ / constructor keys and event names, NUL bytes, CRLF, a BOM, long lines, lines
// that are arrays / strings / null, update operations with fields of the wrong type, odd
// event_args, ITF documents with bad #bigint / #set / #map / #unserializable shapes, empty
// files, directories and missing files. Many generated inputs go through the reader and the
// validator in this process (they may throw only InputError / TraceInputError /
// ParamError, with a one-line message naming the file and the line or JSON pointer); a
// sample goes through the real CLI, whose exit code must be 0..3, never with a stack
// trace, and whose --json report must match traces/schemas/trace-report.schema.json.
import { Ajv } from "ajv";
import fc from "fast-check";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../checker/history/input-error.ts";
import { ParamError, TraceInputError, TraceValidator, type ParamDecls, type Spec, type TraceVerdict } from "../../checker/index.ts";
import { traceLines, type TraceFormat } from "../../traces/trace-log/read.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import ewd998 from "../../specs/ewd998-chan.ts";
import { dscheck, repoRoot } from "../cli/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-trace-hostile-"));
let serial = 0;
/** A fresh file in the temp directory (names end like the format expects: .itf.json for ITF). */
function file(content: string | Buffer, format: TraceFormat = "ndjson", stem = "t"): string {
  const p = join(dir, `${stem}${serial++}${format === "itf" ? ".itf.json" : ".ndjson"}`);
  writeFileSync(p, content);
  return p;
}

const schema = JSON.parse(readFileSync(join(repoRoot, "traces/schemas/trace-report.schema.json"), "utf8"));
const validateReport = new Ajv({ strict: false, allErrors: true }).compile(schema);
function checkSchema(report: unknown): void {
  if (!validateReport(report)) throw new Error(`the report does not match trace-report.schema.json: ${JSON.stringify(validateReport.errors)}\n${JSON.stringify(report).slice(0, 2000)}`);
}

// ---------------------------------------------------------------------------------------
// Generators: JSON *text* (JSON.stringify cannot write 1e400 or 9007199254740993).

const weirdString = fc.constantFrom('"rm-0"', '"rm-1"', '"rm-2"', '"done"', '"init"', '"working"', '"prepared"', '"__proto__"', '"constructor"', '"toString"', '""', '"\\u0000"', '"\\ud800"', '"a\\nb"', '"\\u001b[2J"', '"#set"');
const scalar = fc.oneof(
  weirdString,
  fc.constantFrom("null", "true", "false", "0", "-0", "1", "2.5", "1e400", "-1e400", "9007199254740993", "123456789012345678901234567890", "1.5e308", "-9007199254740991", "0.1"),
  fc.integer({ min: -5, max: 5 }).map(String),
);
const key = fc.constantFrom('"rmState"', '"tmState"', '"tmPrepared"', '"msgs"', '"__proto__"', '"constructor"', '"toString"', '"event"', '"event_args"', '"clock"', '"#meta"', '"#set"', '"#bigint"', '"x"', '"a\\nb"', '"rm-0"');
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    scalar,
    fc.array(tie("v"), { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`),
    fc.tuple(fc.constantFrom("#set", "#tup", "#bigint", "#map", "#unserializable", "#meta", "#foo"), tie("v")).map(([t, v]) => `{"${t}": ${v}}`),
    fc.array(fc.tuple(tie("v"), tie("v")), { maxLength: 2 }).map((kv) => `{"#map": [${kv.map(([k, v]) => `[${k}, ${v}]`).join(",")}]}`),
    fc.constantFrom('{"#bigint": "12"}', '{"#bigint": "-0"}', '{"#bigint": "99999999999999999999"}', '{"#bigint": "1e3"}', '{"#bigint": 12}', '{"#map": [[1]]}', '{"#map": {"a": 1}}', '{"#set": 5}', '{"#unserializable": {"toString": 1}}', '{"#unserializable": "f"}'),
    fc.array(fc.tuple(key, tie("v")), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
  ),
})).v;
const opName = fc.oneof(
  fc.constantFrom('"Init"', '"Update"', '"Replace"', '"AddElement"', '"AddElements"', '"RemoveElement"', '"Clear"', '"ClearBag"', '"AddElementToBag"', '"RemoveElementFromBag"', '"AppendElement"', '"ResetKey"', '"SetKey"', '"UpdateRec"', '"InitRec"', '"InitWithValue"', '"Add"', '"Sub"', '"Unchanged"', '"Frobnicate"', '"__proto__"', '"toString"'),
  value,
);
const list = (x: fc.Arbitrary<string>) => fc.array(x, { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`);
/** An update operation, its fields of any type or left out. */
const updateOp = fc
  .record({ op: opName, path: fc.oneof(list(value), value), args: fc.oneof(list(value), list(value), value), map: value }, { requiredKeys: [] })
  .map((o) => `{${Object.entries(o).map(([k, v]) => `"${k}": ${v}`).join(", ")}}`);
const action = fc.constantFrom('"TMCommit"', '"TMAbort"', '"TMRcvPrepared"', '"RMPrepare"', '"RMChooseToAbort"', '"RMRcvCommitMsg"', '"RMRcvAbortMsg"', '"__proto__"', '"constructor"', '"toString"', '"hasOwnProperty"', '"Launch"');
/** A TwoPhase event-log line (lbinria's shape), any field hostile. */
const eventLine = fc
  .record(
    {
      event: fc.oneof({ weight: 4, arbitrary: action }, value),
      event_args: fc.oneof({ weight: 3, arbitrary: list(fc.oneof(weirdString, value)) }, value),
      vars: fc.array(fc.tuple(key, fc.oneof({ weight: 3, arbitrary: list(updateOp) }, value)), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  .map(({ event, event_args, vars }) => {
    const fields = [...(event !== undefined ? [`"event": ${event}`] : []), ...(event_args !== undefined ? [`"event_args": ${event_args}`] : []), ...(vars ?? []).map(([k, v]) => `${k}: ${v}`)];
    return `{${fields.join(", ")}}`;
  });
/** A snapshot line (states format, or one ITF state): variables with whole values. */
const snapshotLine = fc.array(fc.tuple(key, value), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`);
/** Lines that are no trace line at all. */
const junkLine = fc.oneof(
  fc.constantFrom("[1, 2]", '"a string"', "null", "42", "true", "{}", "{", "}", "[", '{"event": ', '{"event": "RMPrepare", "event_args": ["rm-0"]', '{"a":1}{"b":2}', "{\u0000}", '{"event": "RMP\u0000repare"}', "\u0000\u0001\u0002", "\uFEFF{}"),
  fc.integer({ min: 600, max: 20_000 }).map((d) => "[".repeat(d) + "]".repeat(d)),
  fc.integer({ min: 600, max: 3_000 }).map((d) => `{"tmState": [{"op": "Update", "path": [], "args": [${"[".repeat(d)}${"]".repeat(d)}]}]}`),
  fc.integer({ min: 100_000, max: 300_000 }).map((n) => `{"event": "RMPrepare", "event_args": ["rm-0"], "pad": "${"x".repeat(n)}"}`),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);
/** A truncated line: a prefix of a well-formed one. */
const truncated = fc.tuple(eventLine, fc.nat()).map(([l, k]) => l.slice(0, k % Math.max(1, l.length)));

const GOOD_EVENTS = ['{"event": "RMPrepare", "event_args": ["rm-0"]}', '{"event": "TMRcvPrepared", "event_args": ["rm-0"]}', '{"event": "RMChooseToAbort", "event_args": ["rm-1"]}', '{"event": "TMAbort"}'];

interface Case {
  readonly spec: "two-phase" | "ewd998";
  readonly format: TraceFormat;
  readonly bytes: Buffer;
}

/** Joins lines as a file: LF or CRLF, a BOM or not, the last newline or not, invalid UTF-8 spliced in or not. */
const assemble = (lines: string[], eol: string, bom: boolean, finalEol: boolean, badUtf8: number | null): Buffer => {
  const text = (bom ? "\uFEFF" : "") + lines.join(eol) + (finalEol && lines.length ? eol : "");
  const bytes = Buffer.from(text, "utf8");
  if (badUtf8 === null || bytes.length === 0) return bytes;
  const at = badUtf8 % bytes.length;
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]][badUtf8 % 4]), bytes.subarray(at)]);
};
const fileShape = fc.tuple(fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.boolean(), fc.option(fc.nat(), { freq: 5 }));

const twoPhaseNdjson: fc.Arbitrary<Case> = fc
  .tuple(fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...GOOD_EVENTS) }, { weight: 6, arbitrary: eventLine }, junkLine, truncated), { maxLength: 6 }), fileShape)
  .map(([lines, [eol, bom, fin, bad]]) => ({ spec: "two-phase", format: "ndjson", bytes: assemble(lines, eol, bom, fin, bad) }));
const twoPhaseStates: fc.Arbitrary<Case> = fc
  .tuple(fc.array(fc.oneof({ weight: 4, arbitrary: snapshotLine }, junkLine), { maxLength: 5 }), fileShape)
  .map(([lines, [eol, bom, fin, bad]]) => ({ spec: "two-phase", format: "states", bytes: assemble(lines, eol, bom, fin, bad) }));
const INIT_STATE = '{"rmState": ["working", "working", "working"], "tmState": "init", "tmPrepared": {"#set": []}, "msgs": {"#set": []}}';
const twoPhaseItf: fc.Arbitrary<Case> = fc
  .tuple(
    fc.oneof(
      fc.array(fc.oneof(fc.constant(INIT_STATE), snapshotLine, value), { maxLength: 4 }).map((states) => `{"#meta": {"format": "ITF"}, "vars": ["rmState"], "states": [${states.join(", ")}]}`),
      value.map((v) => `{"states": ${v}}`),
      value,
      fc.constantFrom("", "{", '{"states": [', `{"states": [${INIT_STATE}]`, '{"states":\n[x]}', "[]", '"states"', "\u0000"),
    ),
    fc.boolean(),
    fc.option(fc.nat(), { freq: 6 }),
  )
  .map(([doc, bom, bad]) => ({ spec: "two-phase", format: "itf", bytes: assemble([doc], "\n", bom, true, bad) }));
/** EWD998ChanTrace's shape: a {"N": n} header, then lines in any order whose pkt.vc orders them. */
const vc = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(fc.constantFrom('"0"', '"1"', '"2"', '"__proto__"'), fc.oneof(fc.nat(4).map(String), scalar)), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`) },
  value,
);
const ewdLine = fc
  .record({ event: fc.oneof(fc.constantFrom('"d"', '"<"', '">"', '"x"'), value), node: fc.oneof(fc.nat(3).map(String), value), vc, snd: fc.oneof(fc.nat(3).map(String), value), rcv: fc.oneof(fc.nat(3).map(String), value), type: fc.oneof(fc.constantFrom('"tok"', '"pl"', '"trm"'), value), q: value, color: fc.oneof(fc.constantFrom('"white"', '"black"'), value) })
  .map((l) => `{"event": ${l.event}, "node": ${l.node}, "pkt": {"vc": ${l.vc}, "snd": ${l.snd}, "rcv": ${l.rcv}, "msg": {"type": ${l.type}, "q": ${l.q}, "color": ${l.color}}}}`);
const ewdNdjson: fc.Arbitrary<Case> = fc
  .tuple(fc.constantFrom('{"N": 3}', '{"N": 3}', '{"N": 1e400}', '{"N": "x"}', '{"N": 100}', '{"N": 0}', "[]"), fc.array(fc.oneof({ weight: 5, arbitrary: ewdLine }, junkLine), { maxLength: 5 }), fileShape)
  .map(([header, lines, [eol, bom, fin, bad]]) => ({ spec: "ewd998", format: "ndjson", bytes: assemble([header, ...lines], eol, bom, fin, bad) }));

/** Well-formed lines with odd contents (names the configuration lacks, values no state has): rejections more than errors. */
const oddButWellFormed = fc.oneof(
  fc.constantFrom(...GOOD_EVENTS),
  fc.tuple(action, weirdString).map(([a, x]) => `{"event": ${a}, "event_args": [${x}]}`),
  fc.tuple(fc.constantFrom('"tmState"', '"rmState"', '"tmPrepared"'), fc.constantFrom('"Update"', '"AddElement"', '"SetKey"', '"Unchanged"'), list(weirdString), list(weirdString)).map(([v, op, path, args]) => `{${v}: [{"op": ${op}, "path": ${path}, "args": ${args}}]}`),
);
const twoPhaseOdd: fc.Arbitrary<Case> = fc
  .tuple(fc.array(oddButWellFormed, { minLength: 1, maxLength: 6 }), fileShape)
  .map(([lines, [eol, bom, fin]]) => ({ spec: "two-phase", format: "ndjson", bytes: assemble(lines, eol, bom, fin, null) }));

const hostileCase = fc.oneof({ weight: 4, arbitrary: twoPhaseNdjson }, { weight: 2, arbitrary: twoPhaseOdd }, twoPhaseStates, twoPhaseItf, ewdNdjson);

// ---------------------------------------------------------------------------------------

const specs: Record<Case["spec"], { module: Spec<unknown, ParamDecls>; file: string }> = {
  "two-phase": { module: twoPhase as unknown as Spec<unknown, ParamDecls>, file: "specs/two-phase-commit.ts" },
  ewd998: { module: ewd998 as unknown as Spec<unknown, ParamDecls>, file: "specs/ewd998-chan.ts" },
};

type Outcome = { kind: "verdict"; verdict: TraceVerdict } | { kind: "malformed"; error: Error };

/** What trace validate does with a file, in this process (the CLI's validateOne, without its report). */
async function validateInProcess(spec: Case["spec"], path: string, format: TraceFormat): Promise<Outcome> {
  try {
    const v = new TraceValidator(specs[spec].module, { name: path, firstLineIsInitial: format !== "ndjson", specVariables: format === "itf", maxCandidates: 20_000 });
    for await (const line of traceLines(path, format, v.variableNames)) {
      v.push(line);
      if (v.done) break;
    }
    return { kind: "verdict", verdict: v.finish() };
  } catch (e) {
    if (e instanceof InputError || e instanceof TraceInputError || e instanceof ParamError) return { kind: "malformed", error: e };
    throw e;
  }
}

/** Whole-document problems, which have no line or pointer to name. */
const WHOLE_FILE = /: (cannot read: [A-Z]+|not valid UTF-8|not JSON: .*|an ITF file over 512 MB.*)$/;
/** A trace with no lines (refused by the validator itself, in every format). */
const EMPTY = /^: the trace has no lines: nothing to check$/;

/** A malformed-input message: one printable line, naming the file, and the line or the JSON pointer. */
function expectGoodMessage(message: string, path: string, format: TraceFormat): void {
  expect(message, message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  if (/^param /.test(message)) return; // a --config / header parameter out of range (the CLI prefixes the trace's name)
  expect(message.startsWith(path), message).toBe(true);
  const rest = message.slice(path.length);
  if (WHOLE_FILE.test(rest) && (format === "itf" || /cannot read/.test(rest))) return;
  if (EMPTY.test(rest)) return;
  // (A key repeated outside the states, e.g. "vars" twice, is named at the document: "#: ".)
  if (format === "itf") expect(rest, message).toMatch(/^#(\/states(\/\d+)?)?: /);
  else expect(rest, message).toMatch(/^:(line )?\d+: /);
}

describe("trace validate on generated hostile traces, in process", () => {
  it("the reader and the validator throw nothing but InputError / TraceInputError / ParamError, each one line naming the file and where", async () => {
    const seen = { valid: 0, rejected: 0, incomplete: 0, error: 0, malformed: 0 };
    await fc.assert(
      fc.asyncProperty(hostileCase, async (c) => {
        const path = file(c.bytes, c.format);
        const out = await validateInProcess(c.spec, path, c.format);
        if (out.kind === "malformed") {
          seen.malformed++;
          expectGoodMessage(out.error.message, path, c.format);
          return;
        }
        seen[out.verdict.status]++;
        expect(out.verdict.matched).toBeLessThanOrEqual(out.verdict.lines);
        if (out.verdict.status === "valid") expect(out.verdict.path!.length).toBeGreaterThanOrEqual(1);
        if (out.verdict.status === "rejected") expect(out.verdict.rejection!.line).toBeGreaterThanOrEqual(1);
        if (out.verdict.status === "error") expect(out.verdict.error!.message).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 500, seed: 20240611 },
    );
    // The generators reach every outcome, not only the readers' errors.
    expect(seen.malformed).toBeGreaterThan(100);
    expect(seen.valid + seen.rejected).toBeGreaterThan(15);
    // Reading built no prototype from data.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  }, 120_000);
});

describe("trace validate: hostile inputs that crashed or misled (each was a bug)", () => {
  const twoPhaseCase = async (content: string | Buffer, format: TraceFormat = "ndjson") => {
    const path = file(content, format);
    return { path, out: await validateInProcess("two-phase", path, format) };
  };
  const malformed = async (content: string | Buffer, format: TraceFormat, where: RegExp, spec: Case["spec"] = "two-phase") => {
    const path = file(content, format);
    const out = await validateInProcess(spec, path, format);
    expect(out.kind, JSON.stringify(out)).toBe("malformed");
    const message = (out as { error: Error }).error.message;
    expectGoodMessage(message, path, format);
    expect(message.slice(path.length)).toMatch(where);
  };

  it("an event named like an Object.prototype member is an unknown event (was: TypeError, internal error)", async () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      await malformed(`{"event": "RMPrepare", "event_args": ["rm-0"]}\n{"event": "${name}"}\n`, "ndjson", new RegExp(`^:2: unknown event "${name}"`));
    }
  });

  it("#unserializable holding an object whose toString is no function is malformed (was: TypeError, internal error)", async () => {
    await malformed(`{"states": [{"tmState": {"#unserializable": {"toString": 1}}}]}`, "itf", /^#\/states\/0: \/states\/0\/tmState\/#unserializable: #unserializable holds a string$/);
    await malformed(`{"tmState": [{"op": "Update", "path": [], "args": [{"#unserializable": {"toString": 1, "valueOf": 1}}]}]}\n`, "ndjson", /^:line 1: \/tmState\/0\/args\/0\/#unserializable: /);
  });

  it("a causal-order clock that is null or not an object is malformed (was: TypeError, internal error)", async () => {
    await malformed('{"N": 3}\n{"event": "d", "node": 0, "pkt": {"vc": null}}\n', "ndjson", /^:2: the vector clock is null, not an object of counts$/, "ewd998");
    await malformed('{"N": 3}\n{"event": "d", "node": 0, "pkt": {"vc": "abc"}}\n', "ndjson", /^:2: the vector clock is "abc"/, "ewd998");
    await malformed('{"N": 3}\n{"event": "d", "node": 0, "pkt": {"vc": {"0": 1e400}}}\n', "ndjson", /^:2: a vector clock entry is null, not a count$/, "ewd998");
  });

  it("a missing ITF file or a directory read as ITF is one line, cannot read (was: ENOENT / EISDIR stack trace)", async () => {
    const missing = join(dir, "nope.itf.json");
    const a = await validateInProcess("two-phase", missing, "itf");
    expect(a.kind === "malformed" && a.error.message).toBe(`${missing}: cannot read: ENOENT`);
    const sub = join(dir, `dir${serial++}.itf.json`);
    mkdirSync(sub);
    const b = await validateInProcess("two-phase", sub, "itf");
    expect(b.kind === "malformed" && b.error.message).toBe(`${sub}: cannot read: EISDIR`);
    const c = await validateInProcess("two-phase", sub, "ndjson");
    expect(c.kind === "malformed" && c.error.message).toBe(`${sub}: cannot read: EISDIR`);
  });

  it("messages quoting hostile text stay one printable line (was: an ITF parse error spanning lines, raw CR and ESC)", async () => {
    await malformed('{"states":\n[x]}\n', "itf", /^: not JSON: .*\\n\[x\]/);
    await malformed(`{"states": []\n\u001b[31mRED\n`, "itf", /^: not JSON: /);
    await malformed('{"event": "RMPrepare"}\r\nnot json\r\n', "ndjson", /^:line 2: not JSON: (?!.*\\r)/);
    await malformed('{"a\\nb\\u001b[2J": 1}\n', "states", /^:1: the line logs "a\\nb\\u001b\[2J", which is not a variable/);
  });

  it("the other hostile shapes: each malformed at its line or pointer", async () => {
    const cases: [string | Buffer, TraceFormat, RegExp][] = [
      ["[1, 2]\n", "ndjson", /^:line 1: \/: a trace line is a JSON object$/],
      ['"a string"\n', "ndjson", /^:line 1: \/: a trace line is a JSON object$/],
      ["null\n", "states", /^:line 1: a state is a JSON object of variables$/],
      ['{"event": "RMPrepare", "event_args": [1e400]}\n', "ndjson", /^:line 1: \/event_args\/0: not a finite number$/],
      ['{"event": "RMPrepare", "event_args": [9007199254740993]}\n', "ndjson", /^:line 1: \/event_args\/0: .*beyond 2\^53/],
      ['{"event": "RMPrepare", "event_args": "rm-0"}\n', "ndjson", /^:line 1: \/event_args: event_args is a list$/],
      ['{"event": 5}\n', "ndjson", /^:line 1: \/event: the event name is a string$/],
      ['{"tmState": {"op": "Update"}}\n', "ndjson", /^:line 1: \/tmState: a logged variable holds a list/],
      ['{"tmState": [{"op": 5}]}\n', "ndjson", /^:line 1: \/tmState\/0: op is a string$/],
      ['{"tmState": [{"op": "Update", "path": "x", "args": ["done"]}]}\n', "ndjson", /^:line 1: \/tmState\/0: path is a list$/],
      ['{"tmState": [{"op": "Update", "path": [], "args": "done"}]}\n', "ndjson", /^:line 1: \/tmState\/0: args is a list$/],
      ['{"tmState": [{"op": "Update", "path": [], "args": []}]}\n', "ndjson", /^:1: Update on tmState: Update needs 1 argument/],
      ['{"tmPrepared": [{"op": "AddElements", "path": [], "args": ["abc"]}]}\n', "ndjson", /^:1: AddElements on tmPrepared: /],
      ['{"rmState": [{"op": "Update", "path": ["rm-0"], "args": [1], "map": 1}]}\n', "ndjson", /^:1: an update of rmState has a "map"/],
      ['{"event": "RMPrepare", "event_args": ["rm-0"]}\n{"event": "RMP\u0000repare"}\n', "ndjson", /^:line 2: not JSON: /],
      [Buffer.concat([Buffer.from('{"event": "RMPrepare"}\n{"event": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]), "ndjson", /^:line 2: not valid UTF-8$/],
      [`{"tmState": [{"op": "Update", "path": [], "args": [${"[".repeat(5000)}${"]".repeat(5000)}]}]}\n`, "ndjson", /^:line 1: \/tmState\/0\/args\/0(\/0)+: values nested deeper than 500$/],
      [`${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, "ndjson", /^:line 1: /],
      // Was: InvalidValueError from the encoder, an internal error (exit 2 with a stack trace).
      [`{"event": "RMPrepare", "event_args": [{"#set": [${"[".repeat(300)}${"]".repeat(300)}]}]}\n`, "ndjson", /^:line 1: \/event_args\/0: a value nested deeper than 200 levels/],
      ['{"states": [{"tmState": {"#bigint": 12}}]}', "itf", /^#\/states\/0: \/states\/0\/tmState\/#bigint: #bigint holds a string of digits$/],
      ['{"states": [{"tmState": {"#set": 5}}]}', "itf", /^#\/states\/0: \/states\/0\/tmState\/#set: #set holds a list$/],
      ['{"states": [{"tmState": {"#map": [[1]]}}]}', "itf", /^#\/states\/0: .*#map holds a list of \[key, value\] pairs$/],
      ['{"states": [{"tmState": {"#map": {"a": 1}}}]}', "itf", /^#\/states\/0: .*#map holds a list of \[key, value\] pairs$/],
      ['{"states": [{"tmState": {"#bigint": "99999999999999999999"}}]}', "itf", /^#\/states\/0: .*beyond 2\^53/],
      ['{"states": {}}', "itf", /^#\/states: an ITF trace is an object with a list of states$/],
      ["[]", "itf", /^#\/states: /],
      ['{"states": [null]}', "itf", /^#\/states\/0: a state is a JSON object of variables$/],
      ['{"states": [{"__proto__": {"x": 1}}]}', "itf", /^#\/states\/0: the line logs "__proto__", which is not a variable/],
      [Buffer.from([0x7b, 0xff, 0x7d]), "itf", /^: not valid UTF-8$/],
    ];
    for (const [content, format, where] of cases) await malformed(content, format, where);
  });

  it("CRLF line ends, a BOM and a last line without its newline are read as written", async () => {
    const { out } = await twoPhaseCase(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"event": "RMPrepare", "event_args": ["rm-0"]}\r\n{"event": "TMRcvPrepared", "event_args": ["rm-0"]}')]));
    expect(out.kind === "verdict" && out.verdict.status).toBe("valid");
    expect(out.kind === "verdict" && out.verdict.lines).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------
// The real CLI on a sample of the same inputs.

const args = (spec: Case["spec"], format: TraceFormat) => ["trace", "validate", specs[spec].file, ...(format === "states" ? ["--format", "states"] : []), "--no-typecheck", "--time-limit", "20"];
// A trace with no lines is malformed in process too (the validator refuses it), so no special case.
const exitOf = (o: Outcome) => (o.kind === "malformed" ? 2 : { valid: 0, rejected: 1, incomplete: 3, error: 2 }[o.verdict.status]);

/** Stderr lines other than GitHub Actions workflow commands (::error ...), which CI runs add. */
const otherStderr = (stderr: string) => stderr.split("\n").filter((l) => l !== "" && !l.startsWith("::"));

function expectNoCrash(r: { code: number; stdout: string; stderr: string }, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBeGreaterThanOrEqual(0);
  expect(r.code, `${what}: ${r.stderr}`).toBeLessThanOrEqual(3);
  expect(r.stderr + r.stdout, what).not.toMatch(/\n\s+at |internal error/);
}

describe("dscheck trace validate on a sample of hostile traces", () => {
  const sample = fc.sample(hostileCase, { numRuns: 36, seed: 611 });

  it("one trace per run: exit 0-3 as in process, no stack trace; a malformed trace is exit 2 and one line naming the file and where", async () => {
    let malformedRuns = 0;
    for (const c of sample.slice(0, 18)) {
      const path = file(c.bytes, c.format, "cli");
      const expected = await validateInProcess(c.spec, path, c.format);
      const r = dscheck([...args(c.spec, c.format), path]);
      expectNoCrash(r, path);
      expect(r.code, `${path}: ${r.stdout}`).toBe(exitOf(expected));
      if (r.code === 2) {
        expect(otherStderr(r.stderr)).toEqual([]);
        const lines = r.stdout.trimEnd().split("\n");
        expect(lines, r.stdout).toHaveLength(1);
        if (expected.kind === "malformed") {
          malformedRuns++;
          expect(lines[0].startsWith(`${path}: MALFORMED: `), lines[0]).toBe(true);
          expectGoodMessage(lines[0].slice(`${path}: MALFORMED: `.length), path, c.format);
        } else expect(lines[0]).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: SPEC ERROR \\(`));
      }
    }
    expect(malformedRuns).toBeGreaterThan(3);
  }, 120_000);

  it("many traces per run with --json: one report that matches its schema, an entry per trace as in process", async () => {
    const rest = sample.slice(18);
    for (const spec of ["two-phase", "ewd998"] as const) {
      for (const format of ["ndjson", "states", "itf"] as const) {
        const group = rest.filter((c) => c.spec === spec && c.format === format);
        if (group.length === 0) continue;
        const paths = group.map((c) => file(c.bytes, c.format, "json"));
        const expected = await Promise.all(paths.map((p) => validateInProcess(spec, p, format)));
        const r = dscheck([...args(spec, format), ...paths, "--json"]);
        expectNoCrash(r, paths.join(" "));
        const report = JSON.parse(r.stdout);
        checkSchema(report);
        expect(report.traces.map((t: { file: string }) => t.file)).toEqual(paths);
        report.traces.forEach((t: { status: string; error?: unknown }, i: number) => {
          const e = expected[i];
          expect(t.status, paths[i]).toBe(e.kind === "malformed" ? "malformed" : e.verdict.status);
          if (t.status === "malformed") expectGoodMessage(t.error as string, paths[i], format);
        });
        const worst = Math.max(...expected.map((e) => [0, 3, 1, 2].indexOf(exitOf(e))));
        expect(r.code).toBe([0, 3, 1, 2][worst]);
        expect(report.status).toBe({ 0: "valid", 1: "rejected", 2: "error", 3: "incomplete" }[r.code]);
      }
    }
  }, 120_000);

  it("an empty file, a directory and a missing file: exit 0-2, one line each, no stack trace", () => {
    const empty = file("", "ndjson", "empty");
    const emptyItf = file("", "itf", "empty");
    const sub = join(dir, `sub${serial++}`);
    mkdirSync(sub);
    const missing = join(dir, "missing.itf.json");
    const r = dscheck(["trace", "validate", "specs/two-phase-commit.ts", empty, emptyItf, sub, missing, "--no-typecheck"]);
    expectNoCrash(r, "empty/dir/missing");
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5); // four traces and the summary
    expect(lines[1]).toBe(`${emptyItf}: MALFORMED: ${emptyItf}: not JSON: Unexpected end of JSON input`);
    expect(lines[2]).toBe(`${sub}: MALFORMED: ${sub}: cannot read: EISDIR`);
    expect(lines[3]).toBe(`${missing}: MALFORMED: ${missing}: cannot read: ENOENT`);
    // An empty trace checks nothing: most likely a logger that wrote nothing, so it is refused
    // (exit 2) rather than passed as the empty behaviour (the rule is TraceValidator.finish's).
    expect(lines[0]).toBe(`${empty}: MALFORMED: ${empty}: the trace has no lines: nothing to check`);
  });
});

// ---------------------------------------------------------------------------------------
// traces/schemas/trace-report.schema.json against real reports.

describe("trace validate --json matches traces/schemas/trace-report.schema.json", () => {
  const ok = file('{"event": "RMPrepare", "event_args": ["rm-0"]}\n{"event": "TMRcvPrepared", "event_args": ["rm-0"]}\n', "ndjson", "ok");
  const guard = file('{"event": "RMRcvCommitMsg", "event_args": ["rm-0"]}\n', "ndjson", "guard");
  const mismatch = file('{"tmState": [{"op": "Update", "path": [], "args": ["bogus"]}]}\n', "ndjson", "mismatch");
  const unconfigured = file('{"event": "RMPrepare", "event_args": ["rm-9"]}\n', "ndjson", "unconfigured");
  const missingPath = file('{"rmState": [{"op": "Update", "path": ["rm-7"], "args": ["prepared"]}]}\n', "ndjson", "missing-path");
  const bad = file('{"event": "Launch"}\n', "ndjson", "bad");
  const itfState = (tm: string) => `{"rmState": ["working", "working", "working"], "tmState": "${tm}", "tmPrepared": {"#set": []}, "msgs": {"#set": []}}`;
  const itfRejected = file(`{"states": [${itfState("init")}, ${itfState("bogus")}]}`, "itf", "rejected");
  const json = (argv: string[]) => {
    const r = dscheck([...argv, "--json", "--no-typecheck"]);
    expectNoCrash(r, argv.join(" "));
    const report = JSON.parse(r.stdout);
    checkSchema(report);
    return { code: r.code, report };
  };

  it("valid, rejected (guard, mismatch, mapping, missing path, ITF), malformed: one report, every entry per the schema", () => {
    const { code, report } = json(["trace", "validate", "specs/two-phase-commit.ts", ok, guard, mismatch, unconfigured, missingPath, itfRejected, bad]);
    expect(code).toBe(2);
    expect(report).toMatchObject({ tool: "dscheck", command: "trace validate", spec: "specs/two-phase-commit.ts", specName: "TwoPhase", status: "error" });
    expect(report.traces.map((t: { status: string }) => t.status)).toEqual(["valid", "rejected", "rejected", "rejected", "rejected", "rejected", "malformed"]);
    const kinds = report.traces.flatMap((t: { rejection?: { candidates: { reasons: { kind: string }[] }[] } }) => t.rejection?.candidates.flatMap((c) => c.reasons.map((r) => r.kind)) ?? []);
    for (const k of ["guard", "mismatch", "mapping", "no-instance"]) expect(kinds).toContain(k);
    expect(report.traces[5].rejection).toMatchObject({ line: 2, where: `${itfRejected}#/states/1` });
    expect(report.traces[5].format).toBe("itf");
    expect(report.traces[0].replayPath).toMatch(/^\d+(\/\d+)*$/);
  });

  it("each status on its own: valid (exit 0), rejected (1), incomplete (3), a spec error (2)", () => {
    expect(json(["trace", "validate", "specs/two-phase-commit.ts", ok])).toMatchObject({ code: 0, report: { status: "valid" } });
    expect(json(["trace", "validate", "specs/two-phase-commit.ts", guard])).toMatchObject({ code: 1, report: { status: "rejected" } });
    const partial = file(Array.from({ length: 6 }, () => '{"event": "RMPrepare"}').join("\n") + "\n", "ndjson", "partial");
    const inc = json(["trace", "validate", "specs/two-phase-commit.ts", partial, "--param", "rms=8", "--max-candidates", "10"]);
    expect(inc).toMatchObject({ code: 3, report: { status: "incomplete", traces: [{ status: "incomplete", params: { rms: 8 } }] } });
    expect(inc.report.traces[0].incompleteReason).toMatch(/more than 10 candidate states/);
    const badHeader = file('{"N": "x"}\n{"event": "d", "node": 0, "pkt": {"vc": {"0": 1}}}\n', "ndjson", "bad-header");
    const err = json(["trace", "validate", "specs/ewd998-chan.ts", badHeader]);
    expect(err).toMatchObject({ code: 2, report: { status: "error", traces: [{ status: "error", error: { kind: "bad-spec" } }] } });
  });

  it("usage errors: a missing spec, a bad --param, a --config that cannot be read, a bad option", () => {
    const cases: string[][] = [
      ["trace", "validate", "specs/no-such-spec.ts", ok],
      ["trace", "validate", "specs/two-phase-commit.ts", ok, "--param", "rms=abc"],
      ["trace", "validate", "specs/two-phase-commit.ts", ok, "--config", join(dir, "no-such-config.ndjson")],
      ["trace", "validate", "specs/two-phase-commit.ts", ok, "--max-candidates", "0"],
    ];
    for (const argv of cases) {
      const { code, report } = json(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(report).toMatchObject({ tool: "dscheck", status: "error", error: { kind: "usage" } });
      expect(report.error.message).not.toMatch(/\n/);
    }
  });

  it("the schema is not vacuous: reports bent out of shape are refused", () => {
    const { report } = json(["trace", "validate", "specs/two-phase-commit.ts", ok, guard, bad]);
    const bent = (f: (r: any) => void) => {
      const r = structuredClone(report);
      f(r);
      return validateReport(r);
    };
    expect(validateReport(report)).toBe(true);
    expect(bent((r) => delete r.traces)).toBe(false);
    expect(bent((r) => (r.status = "ok"))).toBe(false);
    expect(bent((r) => (r.traces[0].status = "weird"))).toBe(false);
    expect(bent((r) => delete r.traces[0].replayPath)).toBe(false);
    expect(bent((r) => (r.traces[0].replayPath = "0/x"))).toBe(false);
    expect(bent((r) => (r.traces[0].lines = -1))).toBe(false);
    expect(bent((r) => delete r.traces[1].rejection)).toBe(false);
    expect(bent((r) => delete r.traces[1].rejection.candidates[0].reasons[0].guards)).toBe(false);
    expect(bent((r) => (r.traces[1].extra = 1))).toBe(false);
    expect(bent((r) => (r.traces[2].error = { kind: "usage" }))).toBe(false);
    expect(bent((r) => (r.traces[2].status = "valid"))).toBe(false);
  });
});
