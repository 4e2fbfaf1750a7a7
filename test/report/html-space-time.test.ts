/**
 * Space-time diagrams of spec runs (report/space-time.ts over the `events` that TwoPhase,
 * Raft, Paxos and Chandy-Lamport declare with messageSetEvents): on random runs (fast-check
 * picks the successors), every delivered message is checked against an oracle that knows
 * nothing of the helper's diffing and pairing:
 * - message-set specs: a receive is of the message its action's arguments name, and that
 *   message was sent by the step where it first appears in `msgs` (sets never shrink);
 * - Chandy-Lamport: the channels replayed as FIFO queues of the steps that appended each item,
 *   a Receive taking the head.
 * Messages never received are in flight, one per receiver that did not take them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { always, BoundSpec, defineSpec, explore, rebuildTrace, type ParamDecls, type Spec, type TraceStep } from "../../checker/index.ts";
import type { StepEvents } from "../../checker/spec/step-events.ts";
import { resultSpaceTimes, spaceTimeOf } from "../../report/space-time.ts";
import type { SpaceTime } from "../../report/model.ts";
import chandyLamport, { type CLState } from "../../specs/chandy-lamport.ts";
import paxos, { majorities, type PaxosState } from "../../specs/paxos.ts";
import raft from "../../specs/raft-election.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { dscheck, exploreReport } from "../cli/run-cli.ts";

/* eslint-disable @typescript-eslint/no-explicit-any -- messages of four specs, compared structurally */
type AnySpec = Spec<unknown, ParamDecls>;
const anySpec = (spec: unknown) => spec as AnySpec;

/** A run of `spec`: initial state 0, then at each step the successor `choices[i]` picks among the enabled ones. */
function run(spec: AnySpec, params: Record<string, unknown>, choices: readonly number[]): { trace: readonly TraceStep[]; model: BoundSpec } {
  const model = new BoundSpec(spec, params);
  const path = [0];
  let state = model.initialStates()[0];
  for (const c of choices) {
    const enabled: [number, unknown][] = [];
    model.successors(state, (instance, next) => enabled.push([instance, next]));
    if (enabled.length === 0) break;
    const [instance, next] = enabled[c % enabled.length];
    path.push(instance);
    state = next;
  }
  return { trace: rebuildTrace(model, path).steps, model };
}

/** A delivered message as (send step, receive step, receiving process). */
type Pair = readonly [number, number, string];

function pairsOf(st: SpaceTime): { pairs: Pair[]; inFlight: number } {
  const byId = new Map(st.events.map((e) => [e.id, e]));
  const pairs = st.messages.filter((m) => m.receive !== undefined).map((m): Pair => [byId.get(m.send)!.step!, byId.get(m.receive!)!.step!, byId.get(m.receive!)!.process]);
  return { pairs, inFlight: st.messages.filter((m) => m.receive === undefined).length };
}

const sorted = (ps: readonly Pair[]) => [...ps].map((p) => p.join("|")).sort();

/**
 * The message-set oracle: `received(step)` names the messages a step takes (from its action
 * and arguments, as the spec's own guards read them) and the process taking it; `receivers(m)`
 * who may take m.
 */
function messageSetOracle(trace: readonly TraceStep[], received: (step: TraceStep, before: any) => { process: string; msgs: any[] }, receivers: (m: any) => readonly string[]) {
  const firstStep = (m: any) => trace.findIndex((s) => (s.state as any).msgs.has(m));
  const pairs: Pair[] = [];
  const got = new Map<number, Set<string>>();
  for (let k = 1; k < trace.length; k++) {
    const { process, msgs } = received(trace[k], trace[k - 1].state);
    for (const m of msgs) {
      const s = firstStep(m);
      pairs.push([s, k, process]);
      if (!got.has(s)) got.set(s, new Set());
      got.get(s)!.add(`${JSON.stringify(m)} ${process}`);
    }
  }
  // Every message in the final set, with each receiver that never took it, is one in flight (or one for nobody).
  let inFlight = 0;
  for (const m of (trace.at(-1)!.state as any).msgs) {
    const who = receivers(m);
    const took = got.get(firstStep(m)) ?? new Set();
    inFlight += who.length === 0 ? 1 : who.filter((p) => !took.has(`${JSON.stringify(m)} ${p}`)).length;
  }
  return { pairs, inFlight };
}

const choices = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 28 });

function checkAgainst(spec: AnySpec, params: Record<string, unknown>, oracle: (trace: readonly TraceStep[], p: any) => { pairs: Pair[]; inFlight: number }) {
  fc.assert(
    fc.property(choices, (cs) => {
      const { trace, model } = run(spec, params, cs);
      const st = spaceTimeOf(spec.events as StepEvents<unknown, unknown>, model.params, trace);
      expect(st.processes).toEqual(spec.events!.processes(model.params as never));
      // Events come in step order, every one on a lane.
      const steps = st.events.map((e) => e.step!);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      for (const e of st.events) expect(st.processes).toContain(e.process);
      const actual = pairsOf(st), expected = oracle(trace, model.params);
      expect(sorted(actual.pairs)).toEqual(sorted(expected.pairs));
      expect(actual.inFlight).toBe(expected.inFlight);
    }),
    { numRuns: 60, seed: 15 },
  );
}

describe("space-time diagrams of spec runs, against an oracle", () => {
  it("Raft election: each handler receives the message its arguments name, sent where it first appears", () => {
    for (const bug of ["none", "doubleVote"]) {
      checkAgainst(anySpec(raft), { bug, maxTerm: 2 }, (trace) =>
        messageSetOracle(
          trace,
          (step) => {
            const [i, j, t] = step.args as number[];
            const msgs = step.action === "HandleRVReq" ? [{ type: "RVReq", term: t, src: j, dst: i }]
              : step.action === "HandleRVGrant" || step.action === "HandleRVDeny" ? [{ type: "RVResp", term: t, granted: step.action === "HandleRVGrant", src: j, dst: i }] : [];
            return { process: `s${i}`, msgs };
          },
          (m) => [`s${m.dst}`],
        ),
      );
    }
  });

  it("TwoPhase: Prepared goes to the TM, Commit and Abort to every RM", () => {
    for (const bug of ["none", "commitWithoutVotes"]) {
      checkAgainst(anySpec(twoPhase), { bug, rms: 3 }, (trace, p) =>
        messageSetOracle(
          trace,
          (step) => {
            const rm = step.args[0] as number;
            if (step.action === "TMRcvPrepared") return { process: "TM", msgs: [{ type: "Prepared", rm }] };
            if (step.action === "RMRcvCommitMsg") return { process: `rm${rm}`, msgs: [{ type: "Commit" }] };
            if (step.action === "RMRcvAbortMsg") return { process: `rm${rm}`, msgs: [{ type: "Abort" }] };
            return { process: "", msgs: [] };
          },
          (m) => (m.type === "Prepared" ? ["TM"] : Array.from({ length: p.rms }, (_, i) => `rm${i}`)),
        ),
      );
    }
  });

  it("Paxos: acceptors receive 1a and 2a, a ballot's leader its quorum's 1b; 2b goes to learners the spec leaves out", () => {
    for (const params of [{ acceptors: 3, values: 2, maxBallot: 1 }, { acceptors: 2, values: 2, maxBallot: 2, bug: "anyValue" }]) {
      checkAgainst(anySpec(paxos), params, (trace, p) =>
        messageSetOracle(
          trace,
          (step, before: PaxosState) => {
            const [x, y, z] = step.args as number[];
            if (step.action === "Phase1b") return { process: `a${x + 1}`, msgs: [{ type: "1a", bal: y }] };
            if (step.action === "Phase2b") return { process: `a${x + 1}`, msgs: [{ type: "2a", bal: y, val: z }] };
            if (step.action === "Phase2a") {
              const q = majorities(p.acceptors)[z];
              return { process: `leader${x}`, msgs: [...before.msgs].filter((m) => m.type === "1b" && m.bal === x && q.includes(m.acc)) };
            }
            return { process: `leader${x}`, msgs: [] };
          },
          (m) => (m.type === "1b" ? [`leader${m.bal}`] : m.type === "2b" ? [] : Array.from({ length: p.acceptors }, (_, a) => `a${a + 1}`)),
        ),
      );
    }
  });

  it("Chandy-Lamport (FIFO): a Receive takes the head of its channel, sent by the step that appended it", () => {
    for (const params of [{ procs: 2, money: 2, transfers: 2 }, { procs: 3, money: 1, transfers: 1 }]) checkAgainst(anySpec(chandyLamport), params, (trace, p) => {
      const n = p.procs as number;
      const queues = new Map<number, number[]>();
      const pairs: Pair[] = [];
      for (let k = 1; k < trace.length; k++) {
        const before = trace[k - 1].state as CLState, after = trace[k].state as CLState;
        if (trace[k].action === "Receive") {
          const [i, j] = trace[k].args as number[];
          pairs.push([queues.get(i * n + j)!.shift()!, k, `p${j}`]);
        }
        for (let c = 0; c < n * n; c++) {
          const kept = before.chan[c].length - (trace[k].action === "Receive" && c === (trace[k].args[0] as number) * n + (trace[k].args[1] as number) ? 1 : 0);
          for (let x = kept; x < after.chan[c].length; x++) queues.set(c, [...(queues.get(c) ?? []), k]);
        }
      }
      return { pairs, inFlight: [...queues.values()].reduce((a, q) => a + q.length, 0) };
    });
  });
});

describe("an events declaration that throws", () => {
  it("gives no diagram and one warning, and leaves the verdict alone", () => {
    const spec = defineSpec({
      name: "Throws",
      params: {},
      init: () => [0],
      actions: [{ name: "Inc", next: (s: number) => (s < 3 ? s + 1 : null) }],
      properties: { Small: always((s: number) => s < 2) },
      deadlockIsError: false,
      events: { processes: () => ["p"], of: () => { throw new Error("no events here"); } },
    });
    const r = explore(spec as AnySpec, {});
    expect(r.status).toBe("violation");
    const st = resultSpaceTimes(spec as AnySpec, r);
    expect(st.violation).toBeUndefined();
    expect(st.warnings).toEqual(["the spec's events declaration threw (no events here); no space-time diagram"]);
  });
});

describe("the JSON results carry the diagram", () => {
  it("Raft doubleVote: the counterexample's spaceTime, valid against the schema, its violating step's events highlighted", () => {
    const r = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--json", "--no-typecheck"]);
    expect(r.code).toBe(1);
    const report = exploreReport(r.stdout) as any;
    const st = report.violation.spaceTime;
    expect(st.processes).toEqual(["s0", "s1", "s2"]);
    const last = report.violation.trace.length - 1;
    expect(st.events.filter((e: any) => e.highlight).map((e: any) => e.step)).toEqual([last]);
    expect(report.examples.LeaderElected.spaceTime.processes).toEqual(["s0", "s1", "s2"]);
  });

  it("trace validate --json: a rejected trace's witness as a diagram (Prepared from rm0 to the TM)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dscheck-space-time-"));
    const log = join(dir, "rejected.ndjson");
    writeFileSync(log, ['{"event": "RMPrepare", "event_args": ["rm-0"]}', '{"event": "TMRcvPrepared", "event_args": ["rm-0"]}', '{"event": "RMRcvCommitMsg", "event_args": ["rm-0"]}', ""].join("\n"));
    const r = dscheck(["trace", "validate", "specs/two-phase-commit.ts", log, "--json", "--no-typecheck"]);
    expect(r.code).toBe(1);
    const t = JSON.parse(r.stdout).traces[0];
    expect(t.witness.map((s: any) => s.action)).toEqual(["init", "RMPrepare", "TMRcvPrepared"]);
    const st = t.witnessSpaceTime;
    expect(st.processes).toEqual(["TM", "rm0", "rm1", "rm2"]);
    expect(st.events.map((e: any) => [e.step, e.process, e.kind])).toEqual([[1, "rm0", "send"], [2, "TM", "receive"]]);
    expect(st.messages).toEqual([{ label: "Prepared rm0", send: st.events[0].id, receive: st.events[1].id, status: "delivered" }]);
  });

  it("a spec without events has no spaceTime", () => {
    const r = dscheck(["explore", "specs/alternating-bit.ts", "--json", "--no-typecheck"]);
    const report = exploreReport(r.stdout) as any;
    expect(report.violation?.spaceTime).toBeUndefined();
    for (const d of Object.values(report.examples ?? {})) expect((d as any).spaceTime).toBeUndefined();
  });
});
