// The validator remembers what a (line, state) pair led to (checker/trace/step-memo.ts) and
// the steps it replays (the witness). Oracle: the same trace with every line decoded on its
// own (no `said`), which the memory never recognises, so every line goes through the spec; and the
// explorer's own replay of the witness path. On random TwoPhase runs (self-loops make lines
// repeat), fully or partly logged, stamped with a sequence number, some lines corrupted:
// the same candidate states after every line, the same verdict, rejection and path; the
// witness replays to the final candidate; and the memory is used (fewer spec calls).
// (Lines without arguments give several candidates, each remembered on its own.)
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BoundSpec, ndjsonLine, TraceValidator, type TraceLine } from "../../checker/index.ts";
import { replayStates } from "../../checker/explore/replay/trace.ts";
import { canonicalCode, type ValueSet } from "../../checker/values/value.ts";
import { traceLines } from "../../traces/trace-log/read.ts";
import twoPhase from "../../specs/two-phase-commit.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-step-memo-"));
let serial = 0;
const RMS = 3;
const names = ["rm-0", "rm-1", "rm-2"];
const VARS = new Set(["rmState", "tmState", "tmPrepared", "msgs"]);
const model = new BoundSpec(twoPhase as never, { rms: RMS });
const view = (v: string, s: unknown) => twoPhase.trace!.variables![v as "rmState"](s as never, model.params as never, { names });
const key = (s: unknown) => Array.from(canonicalCode(s)).join(",");

/** TwoPhase with every update counted: how many successors the spec computed. */
function countingSpec(): { spec: typeof twoPhase; calls: () => number } {
  let calls = 0;
  const actions = twoPhase.actions.map((a) => ({ ...a, update: (...xs: unknown[]) => (calls++, (a.update as (...ys: unknown[]) => unknown)(...xs)) }));
  return { spec: { ...twoPhase, actions } as unknown as typeof twoPhase, calls: () => calls };
}

/** The lines of a random run as text, logged at a level per line, stamped, some corrupted. */
function randomLines(choices: number[], vars: string[][], corrupt: { at: number; how: number } | null): string[] {
  let state = model.initialStates()[0];
  return choices.map((c, i) => {
    const succ: { state: unknown; action: number; args: readonly unknown[] }[] = [];
    for (let a = 0; a < model.actionCount; a++) {
      const lists = model.instancesOf(a, state);
      model.actionSuccessors(a, state, 0, (k, next) => succ.push({ state: next, action: a, args: lists[k] }));
    }
    const pick = succ[c % succ.length];
    const line: Record<string, unknown> = { event: model.actionNames[pick.action] };
    // Now and then the arguments are not logged: several candidates.
    if (pick.args.length && (i + c) % 5 !== 0) line.event_args = [names[pick.args[0] as number]];
    for (const v of vars[i % vars.length]) {
      const before = view(v, state), after = view(v, pick.state);
      if (v === "rmState") line[v] = Object.keys(after as object).filter((k) => (after as Record<string, unknown>)[k] !== (before as Record<string, unknown>)[k]).map((k) => ({ op: "Update", path: [k], args: [(after as Record<string, unknown>)[k]] }));
      else if (v === "tmState") line[v] = [{ op: "Update", path: [], args: [after] }];
      else line[v] = [...(after as ValueSet)].filter((x) => !(before as ValueSet).has(x as never)).map((x) => ({ op: "AddElement", path: [], args: [x] }));
    }
    const k = corrupt?.at === i ? corrupt.how : null;
    if (k !== null) Object.assign(line, [{ event_args: [names[(k + 1) % RMS]] }, { tmState: [{ op: "Update", path: [], args: ["bogus"] }] }, { event: model.actionNames[k % model.actionCount] }][k % 3]);
    state = pick.state;
    return JSON.stringify({ ...line, seq: i });
  });
}

/** Validates `lines`, with the candidate states after each line. */
function validate(spec: typeof twoPhase, lines: readonly TraceLine[]) {
  const v = new TraceValidator(spec as never, { params: { rms: RMS } });
  const after: string[][] = [];
  for (const l of lines) {
    v.push(l);
    if (v.done) break;
    after.push(v.candidateStates.map(key).sort());
  }
  const verdict = v.finish();
  const final = v.candidateStates.map(key).sort();
  return { verdict: JSON.parse(JSON.stringify(verdict, (_k, x) => (typeof x === "object" && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) !== Object.prototype ? key(x) : x))), after, final };
}

describe("remembered steps change nothing but time", () => {
  it("random runs: same candidates after every line, same verdict; the witness replays; fewer spec calls", async () => {
    let remembered = 0, valid = 0, rejected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(40), { minLength: 20, maxLength: 80 }),
        fc.array(fc.subarray(["rmState", "tmState", "tmPrepared", "msgs"]), { minLength: 1, maxLength: 2 }),
        fc.option(fc.record({ at: fc.nat(79), how: fc.nat(20) }), { freq: 3 }),
        async (choices, vars, corrupt) => {
          const texts = randomLines(choices, vars, corrupt);
          const file = join(dir, `t${serial++}.ndjson`);
          writeFileSync(file, texts.join("\n") + "\n");
          // As read: lines saying the same share their decoded parts, so the memory can use them.
          const shared: TraceLine[] = [];
          for await (const l of traceLines(file, "ndjson", VARS, new Set())) shared.push(l);
          // Each decoded on its own: the memory never recognises a line.
          const fresh = texts.map((t, i) => ndjsonLine(JSON.parse(t), file, i + 1, VARS, new Set()));
          const a = countingSpec(), b = countingSpec();
          const got = validate(a.spec, shared), want = validate(b.spec, fresh);
          expect(got).toEqual(want);
          // TwoPhase is deterministic: a witness that does not replay is the memory's fault.
          expect(want.verdict.status).not.toBe("error");
          if (a.calls() < b.calls()) remembered++;
          expect(a.calls()).toBeLessThanOrEqual(b.calls());
          if (want.verdict.status === "valid") {
            valid++;
            const states = replayStates(model, want.verdict.path);
            expect(want.final).toContain(key(states[states.length - 1]));
          } else if (want.verdict.status === "rejected") rejected++;
        },
      ),
      { numRuns: 250, seed: 20261203 },
    );
    expect(remembered).toBeGreaterThan(60);
    expect(valid).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(30);
  }, 120_000);

  it("a line repeated a thousand times from the same state is taken through the spec once", () => {
    const { spec, calls } = countingSpec();
    const prepare = '{"event":"RMPrepare","event_args":["rm-0"],"rmState":[{"op":"Update","path":["rm-0"],"args":["prepared"]}]}';
    const abort = '{"event":"TMAbort","tmState":[{"op":"Update","path":[],"args":["done"]}]}';
    const receipt = '{"event":"RMRcvAbortMsg","event_args":["rm-1"],"rmState":[{"op":"Update","path":["rm-1"],"args":["aborted"]}]}';
    const line = (text: string, i: number) => ndjsonLine(JSON.parse(text), "t", i + 1, VARS);
    // One `said` for every copy, as a reader gives the lines it remembers.
    const shared = { ...line(receipt, 2), said: {} };
    const v = new TraceValidator(spec as never, { params: { rms: RMS } });
    v.push(line(prepare, 0));
    v.push(line(abort, 1));
    const before = calls();
    for (let i = 0; i < 1000; i++) v.push({ ...shared, where: `t:${i + 3}` });
    // Once at its first sighting, once at the second (remembered from then on); the replay of the witness once more.
    expect(calls() - before).toBeLessThanOrEqual(3);
    const r = v.finish();
    expect(r.status).toBe("valid");
    expect(r.path!.length).toBe(1003);
  });
});
