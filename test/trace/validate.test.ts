// The trace validator against the spec itself: traces written from random runs of TwoPhase
// (through its lbinria mapping) are accepted at every level of detail; the same traces with
// one line corrupted are rejected at exactly that line, with a reason; malformed lines are
// input errors naming the file and line (exit 2), never rejections or crashes.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BoundSpec, ndjsonLine, stateToItf, TraceValidator, validateTrace, writeItf, type TraceLine } from "../../checker/index.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { dscheck } from "../cli/run-cli.ts";

type Json = Record<string, unknown>;
const VARS = ["rmState", "tmState", "tmPrepared", "msgs"] as const;

/** A random run of TwoPhase (rms RMs) written as lbinria NDJSON lines: event, args and the logged views (Update ops). */
function randomRun(rms: number, choices: number[], detail: { events: boolean; args: boolean; vars: readonly string[] }): Json[] {
  const model = new BoundSpec(twoPhase as never, { rms });
  const mapping = twoPhase.trace!;
  const names = Array.from({ length: rms }, (_, i) => `rm-${i}`);
  const view = (v: string, s: unknown) => mapping.variables![v](s as never, model.params as never, { names });
  let state = model.initialStates()[0];
  const lines: Json[] = [];
  for (const c of choices) {
    const succ: { state: unknown; action: number; args: readonly unknown[] }[] = [];
    for (let a = 0; a < model.actionCount; a++) {
      const lists = model.instancesOf(a, state);
      model.actionSuccessors(a, state, 0, (i, next) => succ.push({ state: next, action: a, args: lists[i] }));
    }
    if (succ.length === 0) break;
    const pick = succ[c % succ.length];
    const line: Json = {};
    if (detail.events) line.event = model.actionNames[pick.action];
    if (detail.events && detail.args && pick.args.length) line.event_args = [names[pick.args[0] as number]];
    for (const v of detail.vars) line[v] = [{ op: "Update", path: [], args: [writeItf(stateToItf(view(v, pick.state)))] }];
    lines.push(line);
    state = pick.state;
  }
  return lines;
}

const toLines = (json: Json[], names: ReadonlySet<string>): TraceLine[] => json.map((o, i) => ndjsonLine(JSON.parse(JSON.stringify(o)), "gen.ndjson", i + 1, names));
const validator = () => new TraceValidator(twoPhase as never, { params: { rms: 3 } });

describe("trace validation of generated TwoPhase runs", () => {
  const detail = fc.record({
    events: fc.boolean(),
    args: fc.boolean(),
    vars: fc.subarray([...VARS]),
  });
  it("a run of the spec is accepted at any level of detail, and its witness is a run of the same length", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 14 }), detail, (choices, d) => {
        const json = randomRun(3, choices, d);
        const v = validator();
        const r = validateTrace(twoPhase, toLines(json, v.variableNames), { params: { rms: 3 } });
        expect(r.status).toBe("valid");
        expect(r.path!.length).toBe(json.length + 1);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it("one logged value corrupted: rejected at exactly that line, with a mismatch or guard reason", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 2, maxLength: 14 }), fc.nat(), fc.constantFrom(...VARS), (choices, at, variable) => {
        const json = randomRun(3, choices, { events: true, args: true, vars: [variable] });
        const k = at % json.length;
        // A value no state of the spec has for this variable.
        const bogus = variable === "tmState" ? "bogus" : variable === "rmState" ? { "rm-0": "bogus", "rm-1": "working", "rm-2": "working" } : { "#set": ["bogus"] };
        json[k] = { ...json[k], [variable]: [{ op: "Update", path: [], args: [bogus] }] };
        const r = validateTrace(twoPhase, toLines(json, validator().variableNames), { params: { rms: 3 } });
        expect(r.status).toBe("rejected");
        expect(r.rejection!.line).toBe(k + 1);
        expect(r.matched).toBe(k);
        const reasons = r.rejection!.candidates.flatMap((c) => c.reasons);
        expect(reasons.length).toBeGreaterThan(0);
        expect(reasons.some((x) => x.kind === "mismatch" && x.variable === variable)).toBe(true);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("silent steps: with a mapping that lets RMs prepare unlogged, a trace missing those lines still validates", () => {
    const spec = { ...twoPhase, trace: { ...twoPhase.trace!, silent: { actions: ["RMPrepare"], max: 3 } } };
    const names = new TraceValidator(spec as never).variableNames;
    const lines = toLines([{ event: "TMRcvPrepared", event_args: ["rm-0"] }, { event: "TMRcvPrepared", event_args: ["rm-2"] }], names);
    expect(validateTrace(spec, lines, { params: { rms: 3 } }).status).toBe("valid");
    expect(validateTrace(twoPhase, lines, { params: { rms: 3 } }).status).toBe("rejected");
  });

  it("the time limit is checked inside a line with many candidates, not only between lines", () => {
    // Six RMPrepare lines without arguments at rms=12: the sixth line starts from C(12,5) = 792
    // candidates. The clock jumps past the limit in the middle of it (after a count of action
    // calls measured on a first run that stops before the sixth line).
    const lines = toLines(Array.from({ length: 6 }, () => ({ event: "RMPrepare" })), validator().variableNames);
    const counting = (limit: number, clock: { t: number }) => {
      let calls = 0;
      type Update = (...a: unknown[]) => unknown;
      const actions = twoPhase.actions.map((a) => (a.name === "RMPrepare" ? { ...a, update: (...x: unknown[]) => (++calls > limit && (clock.t = 1e9), (a.update as Update)(...x)) } : a));
      return { spec: { ...twoPhase, actions } as typeof twoPhase, calls: () => calls };
    };
    const first = counting(Infinity, { t: 0 });
    // (Without the symmetry reduction, which would keep one candidate per renaming of the RMs.)
    validateTrace(first.spec, lines.slice(0, 5), { params: { rms: 12 }, reduceFrom: Infinity });
    const clock = { t: 0 };
    const r = validateTrace(counting(first.calls() + 50, clock).spec, lines, { params: { rms: 12 }, timeLimitMs: 1000, now: () => clock.t, reduceFrom: Infinity });
    expect(r.status).toBe("incomplete");
    expect(r.incompleteReason).toMatch(/^time limit of 1\.0 s reached while taking line gen\.ndjson:6 \(792 candidate states before it\)$/);
    expect(r.matched).toBe(5);
  });

  it("a composed step: one logged event for TMCommit then RMRcvCommitMsg", () => {
    const spec = { ...twoPhase, trace: { ...twoPhase.trace!, events: { ...twoPhase.trace!.events!, CommitAndTell: { actions: [["TMCommit", "RMRcvCommitMsg"]] } } } };
    const names = new TraceValidator(spec as never).variableNames;
    const prep = [0].flatMap((i) => [{ event: "RMPrepare", event_args: [`rm-${i}`] }, { event: "TMRcvPrepared", event_args: [`rm-${i}`] }]);
    const lines = toLines([...prep, { event: "CommitAndTell", rmState: [{ op: "Update", path: ["rm-0"], args: ["committed"] }] }], names);
    const r = validateTrace(spec, lines, { params: { rms: 1 } });
    expect(r.status).toBe("valid");
    expect(r.path!.length).toBe(5);
  });
});

describe("dscheck trace validate: malformed traces are exit 2 with the file and line", () => {
  const dir = mkdtempSync(join(tmpdir(), "dscheck-trace-"));
  const cases: [string, string | Buffer, RegExp][] = [
    ["bad JSON", '{"event": "RMPrepare", "event_args": ["rm-0"]}\n{"event": \n', /line 2: not JSON/],
    ["an unknown event", '{"event": "Launch"}\n', /:1: unknown event "Launch"/],
    ["an op on the wrong shape", '{"event": "RMPrepare", "event_args": ["rm-0"], "tmState": [{"op": "AddElement", "path": [], "args": [1]}]}\n', /:1: AddElement on tmState/],
    ["a variable the mapping does not have", '{"rmStat": [{"op": "Update", "path": ["rm-0"], "args": ["prepared"]}]}\n', /line 1: \/rmStat: .*no such variable/],
    ["an integer beyond 2^53", '{"event": "RMPrepare", "event_args": [9007199254740993]}\n', /line 1: .*beyond 2\^53/],
    ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x65, 0xff, 0x22, 0x3a, 0x31, 0x7d, 0x0a]), /line 1: not valid UTF-8/],
    ["an unknown operation", '{"tmState": [{"op": "Frobnicate", "path": [], "args": []}]}\n', /unknown operation "Frobnicate"/],
  ];
  it.each(cases)("%s", (_what, content, message) => {
    const file = join(dir, `t${Math.random().toString(36).slice(2)}.ndjson`);
    writeFileSync(file, content);
    const r = dscheck(["trace", "validate", "specs/two-phase-commit.ts", file, "--no-typecheck"]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("several traces: a summary line each, the worst exit code; --json has one entry per trace", () => {
    const ok = join(dir, "ok.ndjson"), bad = join(dir, "bad.ndjson");
    writeFileSync(ok, '{"event": "RMPrepare", "event_args": ["rm-0"]}\n');
    writeFileSync(bad, '{"event": "RMRcvCommitMsg", "event_args": ["rm-0"]}\n');
    const r = dscheck(["trace", "validate", "specs/two-phase-commit.ts", ok, bad, "--no-typecheck"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ok\.ndjson: VALID/);
    expect(r.stdout).toMatch(/bad\.ndjson: REJECTED at line 1/);
    expect(r.stdout).toMatch(/RMRcvCommitMsg\(0\): guard commitSent false/);
    const j = JSON.parse(dscheck(["trace", "validate", "specs/two-phase-commit.ts", ok, bad, "--json", "--no-typecheck"]).stdout);
    expect(j.traces.map((t: { status: string }) => t.status)).toEqual(["valid", "rejected"]);
  });

  it("a budget that runs out is exit 3, never valid", () => {
    const file = join(dir, "partial.ndjson");
    writeFileSync(file, Array.from({ length: 6 }, () => '{"event": "RMPrepare"}').join("\n") + "\n");
    const r = dscheck(["trace", "validate", "specs/two-phase-commit.ts", file, "--param", "rms=8", "--max-candidates", "10", "--no-typecheck"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/INCOMPLETE: more than 10 candidate states/);
  });
});
