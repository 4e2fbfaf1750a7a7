// Runs written as event logs (checker/cuts/from-run.ts, `explore --event-log`): the written
// lines are valid against the schema and read back with clocks that equal the happens-before
// the reader computes (random runs of specs/checkpointing.ts and of a generated
// declaration with broadcasts, multicasts and repeated receives); the coordinated variant's
// latest checkpoints and rounds are consistent in every written log; end to end, the
// uncoordinated counterexample gives the domino effect in `dscheck cuts --recover`.
import fc from "fast-check";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildComputation, type Computation } from "../../checker/cuts/computation.ts";
import { vectorClocks, verifyClocks } from "../../checker/cuts/clocks.ts";
import { isConsistent } from "../../checker/cuts/cut.ts";
import { runEventLog, RunEventsError } from "../../checker/cuts/from-run.ts";
import { BoundSpec } from "../../checker/explore/model/bound-spec.ts";
import { explore, resolveParams, type Discovery } from "../../checker/index.ts";
import { replayStates, traceSteps } from "../../checker/explore/replay/trace.ts";
import type { TraceStep } from "../../checker/explore/types.ts";
import type { ParamDecls, Spec } from "../../checker/spec/spec.ts";
import type { StepEvent, StepEvents } from "../../checker/spec/step-events.ts";
import { parseLine } from "../../traces/cuts/ndjson.ts";
import checkpointing from "../../specs/checkpointing.ts";
import ewd998, { termination, type EWD998ChanState } from "../../specs/ewd998-chan.ts";
import { stableReport } from "../../checker/cuts/stable.ts";
import { dscheck } from "../cli/run-cli.ts";

/** Reads a written log as `dscheck cuts` does: every line through the schema, then the builder. */
function readBack(text: string): Computation {
  const lines = text.trimEnd().split("\n");
  const parsed = lines.map((l, i) => parseLine("run.ndjson", l, i + 1, i === 0));
  expect(parsed[0].header).toBeDefined();
  return buildComputation("run.ndjson", parsed.slice(1).map((p) => p.event!), parsed[0].header!.processes);
}

/** A run of `spec` from initial state `init` (modulo their number), choosing among the enabled successors by `picks`. */
function randomRun(spec: Spec<unknown, ParamDecls>, params: Record<string, unknown>, picks: readonly number[], init = 0): { trace: TraceStep[]; params: Record<string, unknown>; path: number[]; states: unknown[] } {
  const model = new BoundSpec(spec, params);
  const inits = model.initialStates();
  const path = [init % inits.length];
  let state = inits[path[0]];
  for (const pick of picks) {
    const enabled: number[] = [];
    for (let i = 0; i < model.instanceCount(state); i++) if (model.successorAt(state, i) !== undefined) enabled.push(i);
    if (enabled.length === 0) break;
    path.push(enabled[pick % enabled.length]);
    state = model.successorAt(state, path[path.length - 1]);
  }
  const states = replayStates(model, path);
  return { trace: traceSteps(model, states, path), params: model.params, path, states };
}

const spec = checkpointing as unknown as Spec<unknown, ParamDecls>;

describe("runs written as event logs", () => {
  it("random runs of Checkpointing: schema-valid lines, clocks equal to the reader's happens-before, every complete coordinated round consistent", () => {
    let messages = 0, rounds = 0, mixed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom("uncoordinated", "coordinated"),
        fc.integer({ min: 2, max: 3 }),
        fc.array(fc.nat(50), { minLength: 8, maxLength: 40, size: "max" }),
        (mode, procs, picks) => {
          const run = randomRun(spec, { mode, procs, sends: 2, checkpoints: 2 }, picks);
          const comp = readBack(runEventLog(spec.events!, run.params as never, run.trace));
          expect(comp.clockKind).toBe(comp.events.flat().length ? "vector" : "none");
          expect(verifyClocks(comp, vectorClocks(comp)).total).toBe(0);
          messages += comp.messages.length;
          if (mode !== "coordinated") return;
          // A round's checkpoints are permanent once every process has taken its own (the Commit
          // step); the latest permanent checkpoints are the latest complete round, and every
          // complete round is a consistent global checkpoint. (A process's latest checkpoint of
          // a round still in progress may not be: p1's marker of round r can reach p0 before
          // p0's checkpoint of round r + 1.)
          const byRound = new Map<number, number[]>();
          for (const cs of comp.checkpoints) for (const c of cs) if (c.round !== undefined) (byRound.get(c.round) ?? byRound.set(c.round, []).get(c.round)!)[c.process] = c.position;
          for (const cut of byRound.values()) {
            if (cut.filter((x) => x !== undefined).length < procs) continue;
            rounds++;
            expect(isConsistent(comp, cut)).toBe(true);
          }
          if (comp.checkpoints.some((cs) => cs[cs.length - 1].round !== comp.checkpoints[0][comp.checkpoints[0].length - 1].round)) mixed++;
        },
      ),
      { numRuns: 150 },
    );
    expect(messages).toBeGreaterThan(300);
    expect(mixed).toBeGreaterThan(0);
    expect(rounds).toBeGreaterThan(20);
  });

  it("a generated declaration with broadcasts, multicasts, repeated and self receives: the reader's clocks match, one log message per receiver", () => {
    // Steps: [actor, kind, key, target]: 0 send to one, 1 multicast to two, 2 broadcast, 3 receive (some key sent to the actor, maybe again), 4 internal.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.tuple(fc.nat(3), fc.nat(4), fc.nat(3), fc.nat(3)), { maxLength: 20 }), (n, choices) => {
        const procs = Array.from({ length: n }, (_, i) => `q${i}`);
        const sentTo: string[][] = procs.map(() => []); // keys addressed to each process, in order
        const steps: StepEvent[][] = [];
        let copies = 0;
        for (const [a, kind, k, t] of choices) {
          const actor = procs[a % n], key = `k${k}`;
          if (kind === 0) {
            steps.push([{ process: actor, kind: "send", msg: key, to: procs[t % n] }]);
            sentTo[t % n].push(key);
            copies++;
          } else if (kind === 1) {
            const to = [...new Set([procs[t % n], procs[(t + 1) % n]])];
            steps.push([{ process: actor, kind: "send", msg: key, to }]);
            for (const x of to) sentTo[procs.indexOf(x)].push(key);
            copies += to.length;
          } else if (kind === 2) {
            steps.push([{ process: actor, kind: "send", msg: key }]);
            procs.forEach((x, i) => x !== actor && sentTo[i].push(key));
            copies += n - 1;
          } else if (kind === 3 && sentTo[a % n].length > 0) {
            steps.push([{ process: actor, kind: "receive", msg: sentTo[a % n][t % sentTo[a % n].length] }]);
          } else {
            steps.push([{ process: actor, kind: kind === 4 ? "crash" : "internal" }]);
          }
        }
        const decl: StepEvents<number, null> = { processes: () => procs, of: ({ after }) => steps[after - 1] };
        const trace: TraceStep[] = [0, ...steps.map((_, i) => i + 1)].map((state, i) => ({ action: i ? "Step" : "init", args: [], label: `step ${i}`, state, changes: [] }));
        const comp = readBack(runEventLog(decl, null, trace));
        expect(verifyClocks(comp, vectorClocks(comp)).total).toBe(0);
        expect(comp.messages.length).toBe(copies);
        // One event per step, except a send: one per receiver (an internal event for none).
        const receivers = (e: StepEvent) => (e.to === undefined ? n - 1 : typeof e.to === "string" ? 1 : e.to.length);
        expect(comp.events.flat().length).toBe(steps.reduce((a, [e]) => a + (e.kind === "send" ? Math.max(1, receivers(e)) : 1), 0));
      }),
      { numRuns: 300 },
    );
  });

  it("a receive no send explains, an unknown process, a reused checkpoint id, a bad activity: RunEventsError naming the step", () => {
    const trace = (k: number): TraceStep[] => Array.from({ length: k + 1 }, (_, i) => ({ action: i ? "A" : "init", args: [], label: `A${i}`, state: i, changes: [] }));
    const log = (evs: StepEvent[][]) => () => runEventLog({ processes: () => ["a", "b"], of: ({ after }) => evs[(after as number) - 1] }, null, trace(evs.length));
    expect(log([[{ process: "a", kind: "receive", msg: "x" }]])).toThrow(/step 1 \(A1\): a receives "x", but no send of it to a came before/);
    expect(log([[{ process: "b", kind: "send", msg: "x", to: "a" }], [{ process: "a", kind: "receive", msg: "x", from: "a" }]])).toThrow(RunEventsError);
    expect(log([[{ process: "c", kind: "internal" }]])).toThrow(/unknown process "c"/);
    expect(log([[{ process: "a", kind: "checkpoint", id: "k" }], [{ process: "b", kind: "checkpoint", id: "k" }]])).toThrow(/step 2 .*"k" is used twice/);
    expect(log([[{ process: "a", kind: "checkpoint", id: "initial" }]])).toThrow(/reserved/);
    // Activity: only "active" or "passive"; a wait names at least one known process.
    expect(log([[{ process: "a", kind: "internal", state: "asleep" as never }]])).toThrow(/step 1 .*state is "active" or "passive", got "asleep"/);
    expect(log([[{ process: "a", kind: "internal", blocked: [] }]])).toThrow(/blocked names the processes waited for/);
    expect(log([[{ process: "a", kind: "internal", blocked: ["z"] }]])).toThrow(/blocked names the processes waited for/);
    const ok = readBack(log([[{ process: "a", kind: "internal", blocked: ["b"] }], [{ process: "b", kind: "internal", state: "passive" }]])());
    expect(ok.events[0][0].blocked).toEqual([1]);
    expect(ok.events[1][0].state).toBe("passive");
  });
});

describe("dscheck explore --event-log", () => {
  const dir = mkdtempSync(join(tmpdir(), "dscheck-evlog-"));

  it("the uncoordinated domino counterexample, written and read by dscheck cuts --recover: the domino effect (exit 1)", () => {
    const file = join(dir, "domino.ndjson");
    const ex = dscheck(["explore", "specs/checkpointing.ts", "-i", "NoDomino", "--event-log", file, "--no-typecheck"]);
    expect(ex.code).toBe(1);
    expect(ex.stderr).toMatch(/wrote NoDomino's run \(4 steps\) as an event log/);
    // The counterexample says which failure dominoes; recover that process.
    const failed = /if (p\d) fails/.exec(ex.stdout)![1];
    const r = dscheck(["cuts", file, "--recover", failed, "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ dominoEffect: true, clockKind: "vector", clockErrorCount: 0 });
    expect(report.recovery.dominoProcesses).toHaveLength(1);
  });

  it("the coordinated example: its latest checkpoints form a consistent cut and every round is consistent in the written log", () => {
    const file = join(dir, "coordinated.ndjson");
    const ex = dscheck(["explore", "specs/checkpointing.ts", "-p", "mode=coordinated", "--event-log", file, "--no-typecheck"]);
    expect(ex.code).toBe(0);
    const first = JSON.parse(dscheck(["cuts", file, "--json"]).stdout);
    const latest = first.processes.map((p: { name: string; checkpoints: string[] }) => `${p.name}=${p.checkpoints[p.checkpoints.length - 1]}`).join(",");
    const r = dscheck(["cuts", file, "--cut", latest, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.consistent).toBe(true);
    expect(report.rounds.map((x: { round: number; consistent: boolean }) => [x.round, x.consistent])).toEqual([[1, true], [2, true]]);
  });

  it("--replay writes the replayed path: the same domino run as the search's counterexample", () => {
    const file = join(dir, "replayed.ndjson");
    const ex = dscheck(["explore", "specs/checkpointing.ts", "--replay", "0/4/0/2/5", "--event-log", file, "--no-typecheck"]);
    expect(ex.stderr).toMatch(/wrote the replayed path \(4 steps\) as an event log/);
    const found = explore(spec, { params: { mode: "uncoordinated" }, properties: ["NoDomino"] }).violation as Discovery;
    expect(found.path.join("/")).toBe("0/4/0/2/5");
    expect(readFileSync(file, "utf8")).toBe(runEventLog(spec.events!, resolveParams(spec.params, {}) as never, found.trace));
  });

  it("a spec that declares no events: exit 2, one line, nothing written", () => {
    const file = join(dir, "none.ndjson");
    const r = dscheck(["explore", "specs/alternating-bit.ts", "--event-log", file, "--no-typecheck"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/--event-log: specs\/alternating-bit\.ts declares no events/)]);
    expect(r.stdout).toBe("");
    expect(existsSync(file)).toBe(false);
  });

  it("nothing to write (no violation, no example): says so and writes nothing", () => {
    const file = join(dir, "nothing.ndjson");
    const r = dscheck(["explore", "specs/checkpointing.ts", "-p", "mode=coordinated", "-i", "LatestConsistent", "--event-log", file, "--no-typecheck"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--event-log: no counterexample or example to write/);
    expect(existsSync(file)).toBe(false);
  });
});

// EWD998Chan's runs carry each node's activity (StepEvent.state): `cuts --stable termination`
// can be asked of them. Oracle: the spec's own Termination (every node passive, no payload in
// an inbox) in the run's last state.
describe("runs of EWD998Chan as event logs, with activity", () => {
  const ewd = ewd998 as unknown as Spec<unknown, ParamDecls>;
  const ewdRun = (params: Record<string, unknown>, init: number, picks: readonly number[]) => {
    const run = randomRun(ewd, params, picks, init);
    return { ...run, first: run.states[0] as EWD998ChanState, last: run.states[run.states.length - 1] as EWD998ChanState };
  };

  it("random runs: the log keeps the activity rules; at its end, termination holds exactly when the spec's Termination does (once every node has acted)", () => {
    let held = 0, notYet = 0;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.nat(), fc.array(fc.nat(60), { minLength: 1, maxLength: 40 }), (N, init, picks) => {
        const run = ewdRun({ N, constraint: false }, init, picks);
        const comp = readBack(runEventLog(ewd.events!, run.params as never, run.trace));
        expect(verifyClocks(comp, vectorClocks(comp)).total).toBe(0);
        const end = stableReport(comp, comp.events.map((e) => e.length), "termination");
        // A node passive from the start counts as active until its first event (the log has no initial state).
        const seen = comp.events.every((evs, p) => evs.length > 0 || run.first.active[p]);
        if (seen) {
          expect(end.atEnd).toBe(termination(run.last));
          if (end.atEnd) held++;
        } else {
          expect(end.atEnd).toBe(false);
          notYet++;
        }
      }),
      { numRuns: 300, seed: 998 },
    );
    expect(held).toBeGreaterThan(20);
    expect(notYet).toBeGreaterThan(5);
  });

  it("end to end: explore --replay --event-log, then dscheck cuts --stable termination at the end (exit 0 when the run terminated, 1 when not)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dscheck-ewd-log-"));
    let tried = 0;
    const codes = new Set<number>();
    const params = { N: 3, traceInit: true, constraint: false };
    const model = new BoundSpec(ewd, params);
    /** Picks that take, at each step, the first enabled instance of the named action. */
    const picksFor = (actions: string[]) => {
      let state = model.initialStates()[0];
      return actions.map((name) => {
        const enabled: number[] = [];
        for (let i = 0; i < model.instanceCount(state); i++) if (model.successorAt(state, i) !== undefined) enabled.push(i);
        const k = enabled.findIndex((i) => model.describeInstance(state, i)!.name === name);
        expect(k, name).toBeGreaterThanOrEqual(0);
        state = model.successorAt(state, enabled[k]);
        return k;
      });
    };
    const terminates = picksFor(["SendMsg", "RecvMsg", "Deactivate", "Deactivate", "Deactivate"]);
    const inFlight = picksFor(["SendMsg", "Deactivate", "Deactivate", "Deactivate"]);
    for (const picks of [terminates, inFlight, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4]]) {
      const run = ewdRun(params, 0, picks);
      const file = join(dir, `run${tried++}.ndjson`);
      const ex = dscheck(["explore", "specs/ewd998-chan.ts", "-p", "N=3", "-p", "traceInit=true", "-p", "constraint=false", "--replay", run.path.join("/"), "--event-log", file, "--no-typecheck"]);
      expect(ex.code, ex.stderr).toBe(0);
      const r = dscheck(["cuts", file, "--cut", "node0=end,node1=end,node2=end", "--stable", "termination", "--json"]);
      expect(r.code, r.stderr).toBe(termination(run.last) ? 0 : 1);
      codes.add(r.code);
    }
    expect([...codes].sort()).toEqual([0, 1]);
  });
});
