// `dscheck schema`: the JSON Schema of a spec's trace lines, compiled with ajv in strict mode.
// Oracles: lbinria's TwoPhase benchmark traces (written by another project's logger) must
// all validate; lines broken in one place (event name, argument type, operation) must not,
// and the trace validator must not accept them either; for RaftElection (no mapping), lines
// made from random runs of the spec itself (snapshots and event-log lines) validate, and
// the validator accepts the same traces, so the encoding the schema describes is the one
// the validator reads.
import { Ajv, type ValidateFunction } from "ajv";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BoundSpec, ndjsonLine, snapshotLine, stateToItf, TraceValidator, writeItf, type TraceLine, type TraceVerdict } from "../../checker/index.ts";
import raft from "../../specs/raft-election.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { dscheck } from "../cli/run-cli.ts";
import { corporaDir } from "../support/corpora.ts";

function compile(spec: string, format: "ndjson" | "states"): ValidateFunction {
  const r = dscheck(["schema", spec, "--format", format]);
  expect(r.code, r.stderr).toBe(0);
  const schema = JSON.parse(r.stdout);
  expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
  return new Ajv({ strict: true, allErrors: false }).compile(schema);
}

const dir = corporaDir();
const bench = dir && join(dir, "lbinria-TwoPhase", "BenchMarks");

/** The validator's verdict on parsed NDJSON lines (an input error counts as not accepted). */
function verdict(spec: unknown, lines: unknown[], options: { config?: unknown[]; states?: boolean } = {}): TraceVerdict["status"] | "malformed" {
  try {
    const v = new TraceValidator(spec as never, { config: options.config, firstLineIsInitial: options.states, maxCandidates: 200_000 });
    lines.forEach((l, i) => v.push((options.states ? snapshotLine(l, "t", i + 1) : ndjsonLine(l, "t", i + 1, v.variableNames)) as TraceLine));
    return v.finish().status;
  } catch {
    return "malformed";
  }
}

describe.skipIf(!bench)("TwoPhase: lbinria's traces", () => {
  const validate = compile("specs/two-phase-commit.ts", "ndjson");
  const traces = bench ? readdirSync(bench).filter((f) => f.startsWith("trace.ndjson.")) : [];
  const read = (f: string) => readFileSync(join(bench!, f), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));

  it("validate, every line of every trace", () => {
    expect(traces.length).toBeGreaterThanOrEqual(20);
    let lines = 0;
    for (const f of traces) {
      for (const [i, line] of read(f).entries()) {
        lines++;
        if (!validate(line)) throw new Error(`${f}:${i + 1} rejected: ${JSON.stringify(validate.errors)}`);
      }
    }
    expect(lines).toBeGreaterThan(1000);
  });

  const conf = bench ? read("../BenchMarks/conf.4RM.ndjson") : [];
  const trace = bench ? read("trace.ndjson.4RM.VEA") : [];
  const at = (event: string) => trace.findIndex((l) => l.event === event);
  const broken: [string, (l: Record<string, unknown>) => Record<string, unknown>, string][] = [
    ["an event name the spec does not have", (l) => ({ ...l, event: "RMPreparee" }), "RMPrepare"],
    ["an rmState value outside RMState", (l) => ({ ...l, rmState: [{ op: "Update", path: ["rm-0"], args: ["prepard"] }] }), "RMPrepare"],
    ["a number where an RM's state is a string", (l) => ({ ...l, rmState: [{ op: "Update", path: ["rm-0"], args: [1] }] }), "RMPrepare"],
    ["a message whose rm is a number (the log names RMs)", (l) => ({ ...l, msgs: [{ op: "AddElement", path: [], args: [{ type: "Prepared", rm: 0 }] }] }), "RMPrepare"],
    ["an operation that does not exist", (l) => ({ ...l, tmPrepared: [{ op: "AddElemnt", path: [], args: ["rm-0"] }] }), "TMRcvPrepared"],
    ["a set operation on a record", (l) => ({ ...l, rmState: [{ op: "AddElement", path: [], args: ["prepared"] }] }), "RMPrepare"],
    ["a misspelt variable holding operations", (l) => ({ ...l, tmPreparedd: [{ op: "AddElement", path: [], args: ["rm-0"] }] }), "TMRcvPrepared"],
  ];
  it.each(broken)("reject %s, which the validator does not accept either", (_what, change, event) => {
    const i = at(event);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(validate(trace[i])).toBe(true);
    expect(verdict(twoPhase, trace.slice(0, i + 1), { config: conf })).toBe("valid");
    const bad = change(trace[i]);
    expect(validate(bad)).toBe(false);
    expect(verdict(twoPhase, [...trace.slice(0, i), bad], { config: conf })).not.toBe("valid");
  });
});

/** A seeded random run of RaftElection (its default parameters): the states and the steps between them. */
function randomRun(seed: number, steps: number): { states: unknown[]; moves: { action: string; args: readonly unknown[] }[] } {
  const model = new BoundSpec(raft as never, {});
  let x = seed >>> 0;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  let s = model.initialStates()[0];
  const states = [s], moves: { action: string; args: readonly unknown[] }[] = [];
  for (let k = 0; k < steps; k++) {
    const succ: { state: unknown; instance: number }[] = [];
    model.successors(s, (instance: number, t: unknown) => void succ.push({ instance, state: t }));
    if (succ.length === 0) break;
    const pick = succ[Math.floor(next() * succ.length)];
    const d = model.describeInstance(s, pick.instance)!;
    moves.push({ action: d.name, args: d.args });
    states.push((s = pick.state));
  }
  return { states, moves };
}

const snapshot = (s: unknown) => Object.fromEntries(Object.entries(s as Record<string, unknown>).map(([k, v]) => [k, writeItf(stateToItf(v))]));

describe("RaftElection (no mapping): random runs", () => {
  const states = compile("specs/raft-election.ts", "states");
  const events = compile("specs/raft-election.ts", "ndjson");
  const runs = [1, 2, 3, 4, 5].map((seed) => randomRun(seed, 25));

  it("written as state snapshots, every line validates, and the validator accepts the trace", () => {
    for (const run of runs) {
      const lines = run.states.map(snapshot);
      for (const l of lines) if (!states(l)) throw new Error(`${JSON.stringify(l)}: ${JSON.stringify(states.errors)}`);
      expect(verdict(raft, lines, { states: true })).toBe("valid");
    }
    expect(runs.some((r) => r.moves.length >= 10)).toBe(true);
  });

  it("written as an event log (event, its arguments, each variable replaced), every line validates and the trace is valid", () => {
    for (const run of runs) {
      const lines = run.moves.map((m, i) => ({
        event: m.action,
        event_args: m.args,
        ...Object.fromEntries(Object.entries(snapshot(run.states[i + 1])).map(([k, v]) => [k, [{ op: "Update", path: [], args: [v] }]])),
      }));
      for (const l of lines) if (!events(l)) throw new Error(`${JSON.stringify(l)}: ${JSON.stringify(events.errors)}`);
      expect(verdict(raft, lines)).toBe("valid");
    }
  });

  it("rejects a snapshot with a value of the wrong type, an unknown variable, and event arguments of the wrong type", () => {
    const first = snapshot(runs[0].states[0]) as Record<string, unknown>;
    expect(states(first)).toBe(true);
    expect(states({ ...first, currentTerm: ["0", "0", "0"] })).toBe(false);
    expect(states({ ...first, msgs: [] })).toBe(false); // a set is {"#set": [...]}, not a list
    expect(states({ ...first, term: 1 })).toBe(false);
    const move = runs[0].moves[0];
    expect(events({ event: move.action, event_args: move.args })).toBe(true);
    expect(events({ event: move.action, event_args: move.args.map(String) })).toBe(false);
    expect(events({ event: "Timeout", event_args: [0, 1, 2, 3] })).toBe(false);
    expect(events({ currentTerm: [{ op: "AppendElement", path: [], args: ["x"] }] })).toBe(false);
    expect(events({ currentTerm: [{ op: "AppendElement", path: [], args: [1] }] })).toBe(true);
  });
});

const ewdTrace = dir && join(dir, "tlaplus-examples", "specifications", "ewd998", "EWD998ChanTrace.ndjson");
describe.skipIf(!ewdTrace)("EWD998Chan: a mapping with a header line and eventOf", () => {
  it("the header line validates against definitions/header, every other line against the line schema", () => {
    const r = dscheck(["schema", "specs/ewd998-chan.ts"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.description).toContain("The first 1 line(s) of a trace are header lines");
    const ajv = new Ajv({ strict: true });
    ajv.addSchema(schema, "ewd");
    const line = ajv.getSchema("ewd")!, header = ajv.getSchema("ewd#/definitions/header")!;
    const lines = readFileSync(ewdTrace!, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
    expect(header(lines[0])).toBe(true);
    expect(lines.slice(1).filter((l) => !line(l))).toEqual([]);
    // No variables are logged: a key holding operations is a misspelt variable.
    expect(line({ ...lines[1], active: [{ op: "Update", path: [], args: [[true]] }] })).toBe(false);
  });
});

describe("dscheck schema, bad input", () => {
  it("exit 2 for a spec that does not exist or does not load", () => {
    const missing = dscheck(["schema", "no/such/spec.ts"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("dscheck schema: no/such/spec.ts: no such file\n");
    expect(missing.stdout).toBe("");
    const broken = dscheck(["schema", "test/fixtures/lint/unparsable.ts"]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe("");
    expect(dscheck(["schema", "specs/raft-election.ts", "--format", "itf"]).code).toBe(2);
  });
});
