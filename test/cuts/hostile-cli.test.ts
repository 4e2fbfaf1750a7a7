// `dscheck cuts` on hostile event logs, as a demanding CI pipeline would feed it: random
// bytes, truncated lines, invalid UTF-8, deep nesting, huge numbers and 1e400, processes and
// messages named __proto__ / constructor / toString, NUL bytes, CRLF, a BOM, long lines,
// lines that are arrays / strings / null, fields of the wrong type, ShiViz text logs with
// bad clocks, empty files, directories and missing files, --html targets that cannot be
// written. Generated logs go through the readers, the analysis and the HTML page in this
// process (they may throw only InputError / CutSpecError, one line naming the file, and the
// line when the log is at fault); a sample goes through the real CLI: exit 0..3, never a
// stack trace, exit 2 with one line on stderr and no --html file left behind, and every
// --json report matching traces/schemas/cuts-report.schema.json.
import { Ajv } from "ajv";
import fc from "fast-check";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../checker/history/input-error.ts";
import { analyze, type CutsAnalysis } from "../../checker/cuts/analyze.ts";
import { CutSpecError, parseCut } from "../../checker/cuts/cut.ts";
import { computationJson } from "../../cli/commands/cuts.ts";
import { fromCuts } from "../../report/from-cuts.ts";
import { renderHtml } from "../../report/render/html.ts";
import type { Computation } from "../../checker/cuts/computation.ts";
import type { StableProperty } from "../../checker/cuts/stable.ts";
import { readEventLog, RegexError, type EventLogFormat } from "../../traces/cuts/read.ts";
import { dscheck, repoRoot } from "../cli/run-cli.ts";

/** The --html page of an analysis, as `dscheck cuts --html` writes it (report/, through the JSON result). */
const cutsPage = (path: string, format: string, comp: Computation, analysis: CutsAnalysis) =>
  renderHtml(fromCuts(JSON.parse(JSON.stringify({ tool: "dscheck", command: "cuts", file: path, format, ...analysis, computation: computationJson(comp) }))));

const dir = mkdtempSync(join(tmpdir(), "dscheck-cuts-hostile-"));
let serial = 0;
function file(content: string | Buffer, ext = "ndjson", stem = "log"): string {
  const p = join(dir, `${stem}${serial++}.${ext}`);
  writeFileSync(p, content);
  return p;
}

const schema = JSON.parse(readFileSync(join(repoRoot, "traces/schemas/cuts-report.schema.json"), "utf8"));
const validateReport = new Ajv({ strict: false, allErrors: true }).compile(schema);
function checkSchema(report: unknown): void {
  if (!validateReport(report)) throw new Error(`the report does not match cuts-report.schema.json: ${JSON.stringify(validateReport.errors)}\n${JSON.stringify(report).slice(0, 2000)}`);
}

const PROTO_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const CHECKPOINT_REGEX = String.raw`(?<host>\S*) (?<clock>{.*})\n(?<event>checkpoint (?<checkpoint>\S+)|.*)`;

// ---------------------------------------------------------------------------------------
// Causally valid computations (one global execution), with correct vector clocks, zeros
// left out as ShiViz does: the logs a correct system writes, under any process names.

type Step = { p: number; act: number; q: number; pick: number; round: boolean };
interface Ev {
  process: number;
  kind: "internal" | "send" | "receive" | "checkpoint";
  msg?: string;
  peer?: number;
  id?: string;
  round?: number;
  clock: number[];
}
const step = fc.record({ p: fc.nat(2), act: fc.nat(4), q: fc.nat(2), pick: fc.nat(), round: fc.boolean() });

function execute(n: number, steps: Step[]): Ev[] {
  const vc = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const pending: { id: string; from: number; to: number; clock: number[] }[] = [];
  const rounds = new Array<number>(n).fill(0);
  const out: Ev[] = [];
  let msg = 0, ck = 0;
  for (const s of steps) {
    const p = s.p % n;
    const mine = pending.filter((m) => m.to === p);
    vc[p][p]++;
    if (s.act === 0 && mine.length > 0) {
      const m = mine[s.pick % mine.length];
      pending.splice(pending.indexOf(m), 1);
      for (let r = 0; r < n; r++) if (r !== p) vc[p][r] = Math.max(vc[p][r], m.clock[r]);
      out.push({ process: p, kind: "receive", msg: m.id, peer: m.from, clock: vc[p].slice() });
    } else if (s.act === 1 && s.q % n !== p) {
      const id = `m${msg++}`;
      pending.push({ id, from: p, to: s.q % n, clock: vc[p].slice() });
      out.push({ process: p, kind: "send", msg: id, peer: s.q % n, clock: vc[p].slice() });
    } else if (s.act === 2) {
      out.push({ process: p, kind: "checkpoint", id: `c${ck++}`, ...(s.round ? { round: ++rounds[p] } : {}), clock: vc[p].slice() });
    } else {
      out.push({ process: p, kind: "internal", clock: vc[p].slice() });
    }
  }
  return out;
}

const clockObject = (clock: number[], names: readonly string[]) => {
  const o: Record<string, number> = Object.create(null);
  clock.forEach((k, r) => {
    if (k > 0) o[names[r]] = k; // zeros left out
  });
  return o;
};
/** As an NDJSON event log: `{"process": ..., "kind": ..., "clock": {...}}` per line. */
function ndjsonOf(evs: Ev[], names: readonly string[], clocks: boolean): string {
  return evs
    .map((e) => {
      const o: Record<string, unknown> = { process: names[e.process], kind: e.kind };
      if (e.kind === "send") Object.assign(o, { msg: e.msg, to: names[e.peer!] });
      if (e.kind === "receive") Object.assign(o, { msg: e.msg, from: names[e.peer!] });
      if (e.kind === "checkpoint") Object.assign(o, { id: e.id, ...(e.round !== undefined ? { round: e.round } : {}) });
      if (clocks) o.clock = clockObject(e.clock, names);
      return JSON.stringify(o);
    })
    .join("\n");
}
/** As a GoVector text log (two lines an event; checkpoints as "checkpoint <id>"). */
function govectorOf(evs: Ev[], names: readonly string[]): string {
  return evs.map((e) => `${names[e.process]} ${JSON.stringify(clockObject(e.clock, names))}\n${e.kind === "checkpoint" ? `checkpoint ${e.id}` : `${e.kind} ${e.msg ?? ""}`}`).join("\n");
}

// ---------------------------------------------------------------------------------------
// Hostile logs, as JSON text (JSON.stringify cannot write 1e400 or 2^70).

const hostileScalar = fc.constantFrom("null", "true", "0", "-1", "1.5", "1e400", "-1e400", "9007199254740993", "1180591620717411303424", '""', '"\\u0000"', '"a\\nb"', '"\\u001b[2J"', "[]", "{}", "[1, 2]", '{"a": 1}', `"${"x".repeat(300)}"`);
const nameText = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('"a"', '"b"', '"c"', ...PROTO_NAMES.map((n) => `"${n}"`)) }, hostileScalar);
const idText = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('"m1"', '"m2"', '"c1"', '"c2"', '"__proto__"', '"constructor"', '"initial"', '"end"') }, hostileScalar);
const clockText = fc.oneof(
  fc.nat(5).map(String),
  fc.array(fc.tuple(fc.constantFrom('"a"', '"b"', '"c"', '"__proto__"', '"constructor"', '"zz"'), fc.oneof({ weight: 4, arbitrary: fc.nat(5).map(String) }, hostileScalar)), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
  hostileScalar,
);
const hostileEvent = fc
  .record(
    {
      process: nameText,
      kind: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('"internal"', '"send"', '"receive"', '"checkpoint"') }, fc.constantFrom('"bogus"', '"__proto__"', "5", "null")),
      msg: idText, to: nameText, from: nameText, id: idText,
      round: fc.oneof(fc.nat(3).map(String), hostileScalar),
      clock: clockText,
      label: fc.oneof(fc.constantFrom('"start"', '"\\u0000\\u0007"', '"<script>alert(1)</script>"', `"${"l".repeat(20_000)}"`), hostileScalar),
      time: hostileScalar,
      logged: fc.oneof(fc.constantFrom("true", "false"), hostileScalar),
      state: fc.oneof(fc.constantFrom('"active"', '"passive"', '"idle"'), hostileScalar),
      blocked: fc.oneof(fc.constantFrom('["a"]', '["a", "b"]', '["zz"]', '["__proto__"]', '["a", "a"]'), hostileScalar),
      proces: hostileScalar,
      ["__proto__"]: hostileScalar,
    },
    { requiredKeys: [] },
  )
  .map((o) => `{${Object.entries(o).map(([k, v]) => `"${k}": ${v}`).join(", ")}}`);
const headerText = fc.oneof(
  fc.constantFrom('{"processes": ["a", "b", "c"]}', '{"processes": ["a", "a"]}', '{"processes": []}', '{"processes": "a"}', '{"processes": ["__proto__", "constructor", "a"]}', '{"processes": [1]}', '{"format": "dscheck-event-log/1", "processes": ["a", "b"]}', '{"processes": ["a"], "extra": 1}'),
);
const junkLine = fc.oneof(
  fc.constantFrom("[1, 2]", '"a string"', "null", "42", "{}", "{", '{"process": "a", "kind": "internal"', '{"a":1}{"b":2}', "{\u0000}", "\u0000\u0001\u0002", '{"process": "a\u0000", "kind": "internal"}'),
  fc.integer({ min: 1000, max: 100_000 }).map((d) => "[".repeat(d) + "]".repeat(d)),
  fc.integer({ min: 1000, max: 50_000 }).map((d) => `{"process": "a", "kind": "internal", "label": ${"[".repeat(d)}${"]".repeat(d)}}`),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const assemble = (lines: string[], eol: string, bom: boolean, badUtf8: number | null): Buffer => {
  const bytes = Buffer.from((bom ? "\uFEFF" : "") + lines.join(eol) + (lines.length ? eol : ""), "utf8");
  if (badUtf8 === null || bytes.length === 0) return bytes;
  const at = badUtf8 % bytes.length;
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xfe]][badUtf8 % 4]), bytes.subarray(at)]);
};
const shape = fc.tuple(fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.option(fc.nat(), { freq: 6 }));

interface LogCase {
  readonly format: EventLogFormat;
  readonly regex?: string;
  readonly bytes: Buffer;
  /** Command-line options: --cut, --recover, --count-cuts, --list-cuts. */
  readonly options: readonly string[];
}
const cutOption: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constant([] as string[]),
  fc.constantFrom("a=1", "a=0", "b=0", "toString=0", "__proto__=0", "a=c1,b=end", "b=initial", "__proto__=1", "constructor=c2,a=0", "a=99", "a=-1", "a==1", ",", "").map((c) => ["--cut", c]),
  fc.constantFrom("a", "a,b", "__proto__", "constructor,a", "zz", " , ").map((r) => ["--recover", r]),
  fc.constant(["--count-cuts"]),
  fc.constant(["--list-cuts", "--max-cuts", "5"]),
  fc.constantFrom(["--cut", "a=1", "--stable", "termination"], ["--cut", "b=0", "--stable", "deadlock"], ["--cut", "__proto__=0", "--stable", "deadlock"]),
);
const names = fc.constantFrom(["a", "b", "c"], ["__proto__", "constructor", "a"], ["toString", "a", "b"]);
const validLog: fc.Arbitrary<LogCase> = fc
  .tuple(fc.array(step, { maxLength: 14 }), names, fc.boolean(), fc.boolean(), shape, cutOption, fc.option(fc.nat(), { freq: 3 }))
  .map(([steps, ns, clocks, header, [eol, bom], options, wrong]) => {
    const evs = execute(3, steps);
    if (wrong !== null && evs.length) evs[wrong % evs.length].clock[wrong % 3]++; // a wrong clock
    const text = ndjsonOf(evs, ns, clocks);
    const lines = [...(header ? [JSON.stringify({ processes: ns })] : []), ...(text ? text.split("\n") : [])];
    return { format: "ndjson", bytes: assemble(lines, eol, bom, null), options };
  });
const hostileNdjson: fc.Arbitrary<LogCase> = fc
  .tuple(fc.option(headerText, { freq: 3 }), fc.array(fc.oneof({ weight: 5, arbitrary: hostileEvent }, junkLine), { maxLength: 7 }), shape, cutOption)
  .map(([header, lines, [eol, bom, bad], options]) => ({ format: "ndjson", bytes: assemble([...(header ? [header] : []), ...lines], eol, bom, bad), options }));
const hostileText: fc.Arbitrary<LogCase> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom("a", "b", "constructor", "__proto__", ""), clockText, fc.constantFrom("send", "checkpoint c1", "checkpoint __proto__", "recv", "")).map(([h, c, l]) => `${h} ${c}\n${l}`) },
        junkLine,
      ),
      { maxLength: 6 },
    ),
    fc.boolean(),
    shape,
    cutOption,
  )
  .map(([lines, checkpoints, [eol, bom, bad], options]) => ({ format: "shiviz", ...(checkpoints ? { regex: CHECKPOINT_REGEX } : {}), bytes: assemble(lines, eol, bom, bad), options }));
const validText: fc.Arbitrary<LogCase> = fc
  .tuple(fc.array(step, { minLength: 1, maxLength: 12 }), names, cutOption)
  .map(([steps, ns, options]) => ({ format: "shiviz", regex: CHECKPOINT_REGEX, bytes: Buffer.from(govectorOf(execute(3, steps), ns) + "\n"), options }));

const logCase = fc.oneof({ weight: 3, arbitrary: hostileNdjson }, { weight: 2, arbitrary: validLog }, hostileText, validText);
/** For the CLI sample: more well-formed logs, so that every exit code shows up in a few runs. */
const cliCase = fc.oneof({ weight: 2, arbitrary: hostileNdjson }, { weight: 3, arbitrary: validLog }, hostileText, { weight: 2, arbitrary: validText });

// ---------------------------------------------------------------------------------------

type Outcome = { kind: "analysis"; comp: Computation; analysis: CutsAnalysis; html: string } | { kind: "error"; error: Error };

/** What `dscheck cuts` does with a log and its options, in this process (read, check, analyze, draw). */
async function cutsInProcess(path: string, c: LogCase): Promise<Outcome> {
  try {
    const comp = await readEventLog(path, { format: c.format, ...(c.regex ? { regex: c.regex } : {}) });
    const at = (flag: string) => (c.options.includes(flag) ? c.options[c.options.indexOf(flag) + 1] : undefined);
    const cutText = at("--cut");
    const cut = cutText !== undefined ? parseCut(comp, cutText) : undefined;
    const recoverText = at("--recover");
    let recover: number[] | undefined;
    if (recoverText !== undefined) {
      // As cuts.ts's processList.
      const ns = recoverText.split(",").map((s) => s.trim()).filter((s) => s !== "");
      if (ns.length === 0) throw new CutSpecError("--recover expects a comma-separated list of processes");
      recover = [...new Set(ns)].map((n) => {
        const p = comp.processes.indexOf(n);
        if (p < 0) throw new CutSpecError(`--recover: unknown process "${n}"`);
        return p;
      });
    }
    const lattice = c.options.includes("--count-cuts") || c.options.includes("--list-cuts") ? { maxCuts: Number(at("--max-cuts") ?? 1_000_000), list: c.options.includes("--list-cuts") } : undefined;
    const stable = at("--stable") as StableProperty | undefined;
    const { analysis } = analyze(comp, { ...(cut ? { cut } : {}), ...(recover ? { recover } : {}), ...(lattice ? { lattice } : {}), ...(stable ? { stable } : {}) });
    const html = cutsPage(path, c.format, comp, analysis);
    return { kind: "analysis", comp, analysis, html };
  } catch (e) {
    if (e instanceof InputError || e instanceof CutSpecError || e instanceof RegexError) return { kind: "error", error: e };
    throw e;
  }
}

const exitOf = (o: Outcome) => (o.kind === "error" ? 2 : { ok: 0, violation: 1, incomplete: 3 }[o.analysis.status]);
/** Problems of the whole log, or of the command line, which have no line to name. */
const NO_LINE = /^(--cut|--recover)|: (cannot read: [A-Z]+|the log holds no events|process ".*" is declared twice)$/;

function expectGoodMessage(message: string, path: string): void {
  expect(message, message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  if (NO_LINE.test(message)) return;
  expect(message.startsWith(`${path}:line `), message).toBe(true);
  expect(message.slice(path.length)).toMatch(/^:line \d+: \S/);
}

describe("cuts on generated hostile logs, in process", () => {
  it("readers, analysis and HTML throw nothing but InputError / CutSpecError, one line naming the file and the line", async () => {
    const seen = { ok: 0, violation: 0, incomplete: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(logCase, async (c) => {
        const path = file(c.bytes, c.format === "shiviz" ? "log" : "ndjson");
        const out = await cutsInProcess(path, c);
        if (out.kind === "error") {
          seen.error++;
          expectGoodMessage(out.error.message, path);
          return;
        }
        seen[out.analysis.status]++;
        // Every process appears in every per-process record, whatever its name.
        const names = out.comp.processes;
        if (out.analysis.cut) expect(Object.keys(out.analysis.cut.positions)).toEqual(names);
        if (out.analysis.recovery) {
          expect(Object.keys(out.analysis.recovery.line)).toEqual(names);
          expect(Object.keys(out.analysis.recoveryLine!)).toEqual(names);
          expect(Object.values(out.analysis.recovery.positions).every((k) => Number.isInteger(k))).toBe(true);
          for (const r of out.analysis.recovery.rollbacks) expect(typeof r.to).toBe("string");
        }
        expect(out.html).not.toMatch(/="[^"]*(NaN|undefined|\[object)[^"]*"/); // coordinates and classes
        const report = JSON.parse(JSON.stringify({ tool: "dscheck", command: "cuts", file: path, format: c.format, ...out.analysis }));
        checkSchema(report);
      }),
      { numRuns: 600, seed: 4242 },
    );
    expect(seen.error).toBeGreaterThan(100);
    expect(seen.ok).toBeGreaterThan(50);
    expect(seen.violation).toBeGreaterThan(20);
    expect(Object.keys(Object.prototype)).toEqual([]);
  }, 120_000);

  it("a process named __proto__, constructor, toString ... is a process like any other: the same analysis as under plain names", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.boolean(), fc.boolean(), fc.shuffledSubarray(PROTO_NAMES, { minLength: 3, maxLength: 3 }), async (steps, text, clocks, hostile) => {
        const plain = ["p0", "p1", "p2"];
        const evs = execute(3, steps);
        const run = async (ns: readonly string[]) => {
          // NDJSON declares the processes (one may log nothing but be sent to); text logs name only those that log.
          const c: LogCase = text ? { format: "shiviz", regex: CHECKPOINT_REGEX, bytes: Buffer.from(govectorOf(evs, ns) + "\n"), options: [] } : { format: "ndjson", bytes: Buffer.from(`${JSON.stringify({ processes: ns })}\n${ndjsonOf(evs, ns, clocks)}\n`), options: [] };
          const path = file(c.bytes, text ? "log" : "ndjson", "renamed");
          const comp = await readEventLog(path, { format: c.format, ...(c.regex ? { regex: c.regex } : {}) });
          const withCkpt = comp.processes.map((_, p) => p).filter((p) => comp.checkpoints[p].length > 1);
          const cut = comp.processes.map((_, p) => Math.floor(comp.events[p].length / 2));
          const { analysis } = analyze(comp, { cut, ...(withCkpt.length ? { recover: withCkpt.slice(0, 1) } : {}), lattice: { maxCuts: 200, list: true } });
          cutsPage(path, c.format, comp, analysis);
          return JSON.stringify({ ...analysis, processes: analysis.processes });
        };
        const a = await run(plain);
        let b = await run(hostile);
        hostile.forEach((n, i) => (b = b.split(n).join(plain[i])));
        expect(b).toBe(a);
        // A correct log stays correct under any names: its clocks verify.
        expect(JSON.parse(a).clockErrorCount).toBe(0);
      }),
      { numRuns: 150, seed: 99 },
    );
  }, 120_000);
});

describe("cuts: hostile inputs that crashed or misled (each was a bug)", () => {
  const ev = (o: object) => JSON.stringify(o);

  it("a process named constructor whose clock entries are left out (zeros) verifies (was: a false clock error, exit 1)", async () => {
    const p = file(`${ev({ process: "a", kind: "internal", clock: { a: 1 } })}\n${ev({ process: "constructor", kind: "internal", clock: { constructor: 1 } })}\n`);
    const out = await cutsInProcess(p, { format: "ndjson", bytes: Buffer.alloc(0), options: [] });
    expect(out.kind === "analysis" && out.analysis.status).toBe("ok");
    expect(out.kind === "analysis" && out.analysis.clockErrors).toEqual([]);
  });

  it("a ShiViz host named constructor sends a message like any host (was: the message missed, a false clock error)", async () => {
    const p = file('constructor {"constructor":1}\nsend\na {"a":1, "constructor":1}\nrecv\n', "log");
    const out = await cutsInProcess(p, { format: "shiviz", bytes: Buffer.alloc(0), options: [] });
    expect(out.kind === "analysis" && [out.analysis.status, out.analysis.messages]).toEqual(["ok", 1]);
  });

  it("a process named __proto__ has its entry in the cut, the recovery line and the HTML page (was: entries lost, rollback to {}, --html crashed)", async () => {
    const p = file([ev({ process: "a", kind: "checkpoint", id: "c0", round: 1 }), ev({ process: "a", kind: "send", msg: "m0", to: "__proto__" }), ev({ process: "__proto__", kind: "receive", msg: "m0", from: "a" })].join("\n") + "\n");
    const out = await cutsInProcess(p, { format: "ndjson", bytes: Buffer.alloc(0), options: ["--cut", "a=1", "--recover", "a"] });
    if (out.kind !== "analysis") throw out.error;
    // (JSON text: an object literal's __proto__ would set the prototype, not a key.)
    expect(JSON.stringify(out.analysis.recoveryLine)).toBe('{"a":"c0","__proto__":"initial"}');
    expect(JSON.stringify(out.analysis.recovery!.rolledBackEvents)).toBe('{"a":1,"__proto__":1}');
    expect(JSON.stringify(out.analysis.cut!.positions)).toBe('{"a":{"events":1,"at":"c0"},"__proto__":{"events":1,"at":"end"}}');
    expect(out.analysis.recovery!.rollbacks).toMatchObject([{ process: "__proto__", from: "end", to: "initial" }]);
    const out2 = join(dir, `proto${serial++}.html`);
    const r = dscheck(["cuts", p, "--cut", "a=1", "--recover", "a", "--html", out2]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("recovery line a=c0 __proto__=initial");
    // The page (report/render/html.ts): __proto__'s lane and event, and its place on the recovery line.
    const page = readFileSync(out2, "utf8");
    expect(page).toContain('data-event="__proto__:1"');
    expect(page).toContain("__proto__=initial");
  });

  it("invalid UTF-8 is an error at its line, in NDJSON and in text logs (was: read as U+FFFD, two names made one)", async () => {
    const bad = Buffer.concat([Buffer.from(`${ev({ process: "a", kind: "internal" })}\n{"process": "a`), Buffer.from([0xff]), Buffer.from('", "kind": "internal"}\n')]);
    const p = file(bad);
    const out = await cutsInProcess(p, { format: "ndjson", bytes: bad, options: [] });
    expect(out.kind === "error" && out.error.message).toBe(`${p}:line 2: not valid UTF-8`);
    const t = file(Buffer.concat([Buffer.from('a {"a":1}\nstart\na {"a":2}\n'), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]), "log");
    const out2 = await cutsInProcess(t, { format: "shiviz", bytes: Buffer.alloc(0), options: [] });
    expect(out2.kind === "error" && out2.error.message).toMatch(new RegExp(`^${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:line 4: not valid UTF-8`));
  });

  it("a line without a kind says so (was: \"must have required property 'msg'\")", async () => {
    for (const [line, want] of [['{"process": "a"}', "must have required property 'kind'"], ['{"foo": 1}', "must have required property 'process'"]] as const) {
      const p = file(`${line}\n`);
      const out = await cutsInProcess(p, { format: "ndjson", bytes: Buffer.alloc(0), options: [] });
      expect(out.kind === "error" && out.error.message).toBe(`${p}:line 1: ${want}`);
    }
  });

  it("an --html target that cannot be written is exit 2, one line, and no report printed (was: the report, then a stack trace)", () => {
    const log = join(repoRoot, "test/fixtures/cuts/domino.ndjson");
    const sub = join(dir, `html-dir${serial++}`);
    mkdirSync(sub);
    for (const target of [join(dir, "no-such-dir", "d.html"), sub]) {
      const r = dscheck(["cuts", log, "--recover", "P3", "--html", target]);
      expectNoCrash(r, target);
      expect(r.code).toBe(2);
      expect(otherStderr(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(`cannot write ${target}`);
      expect(r.stdout).toBe("");
      const j = dscheck(["cuts", log, "--html", target, "--json"]);
      expect(j.code).toBe(2);
      const report = JSON.parse(j.stdout);
      checkSchema(report);
      expect(report).toMatchObject({ status: "error", error: expect.stringContaining("cannot write") });
    }
  });
});

// ---------------------------------------------------------------------------------------
// The real CLI on a sample of the same logs.

const otherStderr = (stderr: string) => stderr.split("\n").filter((l) => l !== "" && !l.startsWith("::"));
function expectNoCrash(r: { code: number; stdout: string; stderr: string }, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBeGreaterThanOrEqual(0);
  expect(r.code, `${what}: ${r.stderr}`).toBeLessThanOrEqual(3);
  expect(r.stderr + r.stdout, what).not.toMatch(/\n\s+at |internal error/);
}

describe("dscheck cuts on a sample of hostile logs", () => {
  it("exit 0-3 as in process, no stack trace; exit 2 is one line naming the file (and line), no --html left behind; --json matches its schema", async () => {
    const sample = fc.sample(cliCase, { numRuns: 16, seed: 5150 });
    const codes = new Set<number>();
    for (const [i, c] of sample.entries()) {
      const path = file(c.bytes, c.format === "shiviz" ? "log" : "ndjson", "cli");
      const expected = await cutsInProcess(path, c);
      const html = join(dir, `cli${serial++}.html`);
      const json = i % 2 === 1;
      const r = dscheck(["cuts", path, "--format", c.format, ...(c.regex ? ["--regex", c.regex] : []), ...c.options, "--html", html, ...(json ? ["--json"] : [])]);
      expectNoCrash(r, `${path} ${c.options.join(" ")}`);
      expect(r.code, `${path} ${c.options.join(" ")}: ${r.stderr}`).toBe(exitOf(expected));
      codes.add(r.code);
      if (r.code === 2) {
        const lines = otherStderr(r.stderr);
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0].startsWith("error: "), lines[0]).toBe(true);
        expectGoodMessage(lines[0].slice("error: ".length), path);
        expect(existsSync(html), "no --html page on exit 2").toBe(false);
        if (json) {
          const report = JSON.parse(r.stdout);
          checkSchema(report);
          // (stderr is UTF-8: a lone surrogate a parser's message cut out of a pair is U+FFFD there.)
          expect({ ...report, error: report.error.toWellFormed() }).toEqual({ tool: "dscheck", command: "cuts", file: path, status: "error", error: lines[0].slice("error: ".length) });
        } else expect(r.stdout).toBe("");
      } else {
        expect(existsSync(html)).toBe(true);
        if (json) checkSchema(JSON.parse(r.stdout));
      }
    }
    for (const code of [0, 1, 2]) expect(codes, `some run exits ${code}`).toContain(code);
  }, 120_000);

  it("an empty file, a directory, a missing file, binary junk: exit 2, one line naming the file", () => {
    const sub = join(dir, `dir${serial++}`);
    mkdirSync(sub);
    const cases: [string, string[], RegExp][] = [
      [file(""), [], /: the log holds no events$/],
      [file("\n\r\n  \n"), [], /: the log holds no events$/],
      [sub, [], /: cannot read: EISDIR$/],
      [sub, ["--format", "shiviz"], /: cannot read: EISDIR$/],
      [join(dir, "missing.ndjson"), [], /: cannot read: ENOENT$/],
      [file(Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256)), "bin"), [], /:line \d+: /],
    ];
    for (const [path, extra, want] of cases) {
      const html = join(dir, `junk${serial++}.html`);
      const r = dscheck(["cuts", path, ...extra, "--html", html]);
      expectNoCrash(r, path);
      expect(r.code, path).toBe(2);
      const lines = otherStderr(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0].startsWith(`error: ${path}`), lines[0]).toBe(true);
      expect(lines[0]).toMatch(want);
      expect(existsSync(html)).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------
// traces/schemas/cuts-report.schema.json against real reports, one per mode.

describe("cuts --json matches traces/schemas/cuts-report.schema.json", () => {
  const fx = (name: string) => join("test/fixtures/cuts", name);
  const json = (args: string[]) => {
    const r = dscheck(["cuts", ...args, "--json"]);
    expectNoCrash(r, args.join(" "));
    const report = JSON.parse(r.stdout);
    checkSchema(report);
    return { code: r.code, report };
  };

  it("every mode: plain, --cut, --recover (domino), --count-cuts, --list-cuts, the budget, clocks, rounds, text logs", () => {
    const modes: [string[], number, Record<string, unknown>][] = [
      [[fx("seed-domino.ndjson")], 0, { status: "ok", format: "ndjson", clockKind: "none" }],
      [[fx("seed-domino.ndjson"), "--cut", "P2=end,P3=C31"], 1, { consistent: false, cut: { consistent: false } }],
      [[fx("seed-domino.ndjson"), "--cut", "P1=3,P2=C22,P3=C31"], 0, { consistent: true, orphans: [], cut: { inFlight: [] } }],
      [[fx("seed-domino.ndjson"), "--recover", "P3"], 0, { dominoEffect: false, recovery: { failed: ["P3"] } }],
      [[fx("domino.ndjson"), "--recover", "P3", "--cut", "P1=C11"], 1, { dominoEffect: true, uselessCheckpoints: ["C21"] }],
      [[fx("domino.ndjson"), "--count-cuts"], 0, { lattice: { complete: true } }],
      [[fx("govector.log"), "--list-cuts"], 0, { format: "shiviz", lattice: { count: 10, complete: true } }],
      [[fx("govector.log"), "--count-cuts", "--max-cuts", "3"], 3, { status: "incomplete", lattice: { complete: false } }],
      [[fx("govector.log"), "--regex", CHECKPOINT_REGEX], 0, { clockKind: "vector", uselessCheckpoints: ["b1"] }],
      [[fx("clocks-bad.ndjson")], 1, { clockErrors: [{ kind: "vector" }] }],
      [[fx("lamport-bad.ndjson")], 1, { clockKind: "lamport", clockErrors: [{ kind: "lamport" }, { kind: "lamport" }] }],
      [[fx("rounds.ndjson")], 0, { rounds: [{ round: 1, complete: true, consistent: true }, { round: 2 }, { round: 3, complete: false }] }],
      [[fx("rounds-bad.ndjson")], 1, { status: "violation" }],
      [[fx("logging-gap.ndjson"), "--recover", "P2"], 0, { recovery: { replayedEvents: { P2: 0 }, orphanedLogEntries: [{ msg: "m1" }] } }],
      [[fx("logging.ndjson"), "--recover", "P2"], 0, { recoveryLine: { P2: "C21+3" } }],
      [[fx("termination.ndjson"), "--cut", "p1=end", "--stable", "termination"], 0, { stable: { holds: true, guaranteedAtEnd: true } }],
      [[fx("deadlock.ndjson"), "--cut", "p4=0", "--stable", "deadlock"], 1, { stable: { holds: true, cycle: ["p1", "p2", "p3", "p1"] } }],
      [[fx("termination.ndjson"), "--cut", "p1=0", "--stable", "termination"], 1, { stable: { consistentCut: false } }],
    ];
    for (const [args, code, shape] of modes) {
      const r = json(args);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.report, args.join(" ")).toMatchObject({ tool: "dscheck", file: args[0], ...shape });
    }
  });

  it("errors: a malformed log, a bad --cut, an unknown --recover process, a bad --regex, a bad option", () => {
    const bad = file('{"process": "a", "kind": "send", "msg": "m", "to": "b"}\n{"process": "b", "kind": "receive",\n');
    const errors: string[][] = [[bad], [fx("domino.ndjson"), "--cut", "P9=1"], [fx("domino.ndjson"), "--recover", "P7"], [fx("govector.log"), "--regex", "(?<host>"]];
    for (const args of errors) {
      const r = json(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.report).toMatchObject({ tool: "dscheck", file: args[0], status: "error" });
      expect(typeof r.report.error).toBe("string");
    }
    for (const args of [[fx("domino.ndjson"), "--max-cuts", "0"], [fx("domino.ndjson"), "--bogus"]]) {
      const r = json(args);
      expect(r.code).toBe(2);
      expect(r.report).toMatchObject({ tool: "dscheck", status: "error", error: { kind: "usage" } });
    }
  });

  it("the schema is not vacuous: reports bent out of shape are refused", () => {
    const { report } = json([fx("domino.ndjson"), "--recover", "P3", "--cut", "P1=0", "--list-cuts"]);
    const bent = (f: (r: any) => void) => {
      const r = structuredClone(report);
      f(r);
      return validateReport(r);
    };
    expect(validateReport(report)).toBe(true);
    expect(bent((r) => delete r.processes)).toBe(false);
    expect(bent((r) => (r.status = "error"))).toBe(false);
    expect(bent((r) => (r.format = "csv"))).toBe(false);
    expect(bent((r) => delete r.cut)).toBe(false); // consistent and orphans come with it
    expect(bent((r) => (r.recovery.rollbacks[0].to = {}))).toBe(false);
    expect(bent((r) => (r.recoveryLine.P1 = 3))).toBe(false);
    expect(bent((r) => (r.orphans[0].sendIndex = 0))).toBe(false);
    expect(bent((r) => delete r.orphans[0].receiveLine)).toBe(false);
    expect(bent((r) => (r.lattice.cuts[0] = ["x"]))).toBe(false);
    expect(bent((r) => (r.useless[0].zCycle = []))).toBe(false);
    expect(bent((r) => (r.extra = 1))).toBe(false);
    expect(bent((r) => (r.clockErrors = [{ kind: "vector", event: { process: "a", index: 1, line: 1 }, recorded: 3, message: "m" }]))).toBe(false);
  });
});
