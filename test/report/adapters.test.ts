// Each adapter against the JSON result it reads: the Report must carry what the result says
// (verdicts, steps, paths, operations, cycles, messages), checked field by field against the
// source JSON of a real run (test/fixtures/reports/), never against numbers written here.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe, expect, it } from "vitest";
import { reportsFromResult } from "../../report/from-result.ts";
import type { Report } from "../../report/model.ts";
import { assertReportSchema, fixture, fixtures } from "./fixtures.ts";

const VERDICT: Record<string, string> = { ok: "ok", violation: "violation", incomplete: "incomplete", error: "error", unknown: "incomplete", valid: "ok", rejected: "violation", malformed: "error" };
const EXIT: Record<string, number> = { ok: 0, violation: 1, error: 2, incomplete: 3 };
const worstExit = (reports: Report[]) => Math.max(...reports.map((r) => [0, 3, 1, 2].indexOf(EXIT[r.verdict]))) ;

describe("every fixture", () => {
  it.each(fixtures.map((f) => [f.name, f]))("%s: reports fit the report schema, and their worst verdict is the command's exit code", (_n, f) => {
    const reports = reportsFromResult(f.json);
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) assertReportSchema(r);
    // exit codes ranked 0 < 3 < 1 < 2 (cli/exit-codes.ts's combineExitCodes)
    expect([0, 3, 1, 2][worstExit(reports)]).toBe(f.exit);
  });
});

describe("explore", () => {
  for (const name of ["explore-raft-doublevote", "explore-2pc-bug"]) {
    it(`${name}: the counterexample's steps, statuses, highlight and replay command`, () => {
      const j = fixture(name).json as any;
      const [r] = reportsFromResult(j);
      expect(r.checker).toBe("explore");
      expect(r.verdict).toBe(j.status);
      expect(r.subject).toBe(j.spec);
      const f = r.findings.find((x) => x.verdict === "violation")!;
      expect(f.name).toBe(j.violation.property);
      expect(r.headline).toContain(j.violation.property);
      expect(f.steps!.map((s) => s.label)).toEqual(j.trace.map((s: any) => s.label));
      expect(f.steps!.map((s) => s.action)).toEqual(j.trace.map((s: any) => s.action));
      expect(f.steps!.map((s) => s.changes)).toEqual(j.trace.map((s: any) => s.changes));
      expect(f.steps!.map((s) => s.properties)).toEqual(j.violation.trace.map((s: any) => s.properties));
      expect(f.steps!.filter((s) => s.highlight)).toEqual([f.steps![f.steps!.length - 1]]);
      // The last state violates the property, the ones before do not (BFS: the shortest trace).
      expect(f.steps![f.steps!.length - 1].properties![j.violation.property]).toBe(false);
      expect(f.steps!.slice(0, -1).every((s) => s.properties![j.violation.property])).toBe(true);
      expect(f.replay!.path!.join("/")).toBe(j.replayPath);
      expect(f.replay!.command).toContain(`--replay ${j.replayPath}`);
      for (const [k, v] of Object.entries(j.params)) expect(f.replay!.command).toContain(`--param ${k}=${v}`);
      // Examples are findings too, that do not fail.
      expect(r.findings.filter((x) => x.verdict === "ok").map((x) => x.name).sort()).toEqual(Object.keys(j.examples).sort());
    });
  }

  it("a spec with events: the diagram is the one in the JSON, and steps carry their process", () => {
    const j = fixture("explore-raft-doublevote").json as any;
    const f = reportsFromResult(j)[0].findings[0];
    if (!j.violation.spaceTime) return expect(f.spaceTime).toBeUndefined();
    expect(f.spaceTime).toEqual(j.violation.spaceTime);
    for (const e of j.violation.spaceTime.events) if (e.step !== undefined) expect(f.steps![e.step].process).toBeDefined();
  });

  it("blame comes from the JSON's conjuncts", () => {
    const j = fixture("explore-raft-doublevote").json as any;
    const f = reportsFromResult(j)[0].findings[0];
    expect(f.blame).toEqual(j.violation.blame.map((c: any) => ({ name: c.name, holds: c.holds, reads: c.reads })));
  });

  it("ok and incomplete runs: no violation finding, the verdict of the JSON", () => {
    for (const name of ["explore-2pc-ok", "explore-incomplete"]) {
      const j = fixture(name).json as any;
      const [r] = reportsFromResult(j);
      expect(r.verdict).toBe(j.status);
      expect(r.findings.some((f) => f.verdict === "violation")).toBe(false);
      if (j.incompleteReason) expect(r.headline).toContain(j.incompleteReason);
    }
  });

  it("--replay: every step of the path, the one where the property fails highlighted", () => {
    const j = fixture("explore-replay").json as any;
    const [r] = reportsFromResult(j);
    const f = r.findings[0];
    expect(f.steps!.map((s) => s.label)).toEqual(j.trace.map((s: any) => s.label));
    expect(f.steps!.findIndex((s) => s.highlight)).toBe(j.violation.step);
    expect(f.replay!.path!.join("/")).toBe(j.replayPath);
  });
});

describe("trace validate", () => {
  it("one report per trace, with the trace's verdict; a rejected one: the line, each candidate's reasons, the witness", () => {
    const j = fixture("trace-validate").json as any;
    expect(j.traces.some((t: any) => t.witnessSpaceTime)).toBe(true);
    const reports = reportsFromResult(j);
    expect(reports.map((r) => r.subject)).toEqual(j.traces.map((t: any) => t.file));
    expect(reports.map((r) => r.verdict)).toEqual(j.traces.map((t: any) => VERDICT[t.status]));
    j.traces.forEach((t: any, i: number) => {
      const r = reports[i];
      if (t.status === "malformed") return expect(r.headline).toContain(t.error);
      if (t.status !== "rejected") return expect(r.findings).toEqual([]);
      expect(r.location?.line).toBe(t.rejection.line);
      expect(r.findings).toHaveLength(t.rejection.candidates.length);
      t.rejection.candidates.forEach((c: any, k: number) => {
        const f = r.findings[k];
        for (const reason of c.reasons) expect(f.message).toContain(reason.text);
        expect(f.replay!.path!.join("/")).toBe(c.replayPath);
        const last = f.steps![f.steps!.length - 1];
        expect(last).toMatchObject({ highlight: true, traceLine: t.rejection.line, state: c.state });
        if (c.replayPath === t.replayPath) expect(f.steps!.slice(0, -1).map((s) => s.label)).toEqual(t.witness.map((s: any) => s.label));
        // The space-time diagram of the witness goes with the witness's finding only.
        expect(f.spaceTime).toEqual(c.replayPath === t.replayPath ? t.witnessSpaceTime : undefined);
      });
    });
  });
});

describe("history check", () => {
  it("operations per process with nemesis events, the longest prefix and the operation that could not be placed", () => {
    const j = fixture("history-check-stale").json as any;
    const [r] = reportsFromResult(j);
    expect(r.verdict).toBe(VERDICT[j.status]);
    expect(r.findings).toHaveLength(j.explanations.length);
    const e = j.explanations[0];
    const h = r.findings[0].history!;
    expect(h.operations.filter((o) => o.status !== "nemesis").map((o) => [o.id, o.process, o.callAt, o.returnAt, o.status])).toEqual(
      j.timeline.operations.map((o: any) => [String(o.id), o.process, o.call, o.ret, o.completion]),
    );
    expect(h.operations.filter((o) => o.status === "nemesis").map((o) => [o.process, o.label, o.callAt])).toEqual(j.timeline.nemesis.map((n: any) => [n.process, n.label, n.at]));
    expect(j.timeline.nemesis.length).toBeGreaterThan(0);
    expect([...h.processes].sort()).toEqual([...new Set([...j.timeline.operations.map((o: any) => o.process), ...j.timeline.nemesis.map((n: any) => n.process)])].sort());
    expect(h.linearization).toEqual(e.prefix.map((p: any) => String(p.id)));
    expect(h.partial).toBe(true);
    expect(h.operations.filter((o) => o.highlight).map((o) => o.id)).toEqual([String(e.blocker.id)]);
    // An operation that never returned has no return time; the file's failed read is "fail".
    for (const o of j.timeline.operations) if (o.ret === undefined) expect(h.operations.find((x) => x.id === String(o.id))!.returnAt).toBeUndefined();
  });

  it("an array of files is one report per file", () => {
    const j = fixture("history-check-two").json as any;
    const reports = reportsFromResult(j);
    expect(reports.map((r) => [r.subject, r.verdict])).toEqual(j.map((x: any) => [x.file, VERDICT[x.status]]));
  });
});

describe("history isolation", () => {
  it("each anomaly a finding; a cycle as a graph with the cycle's transactions and edge kinds", () => {
    const j = fixture("history-isolation-write-skew").json as any;
    const [r] = reportsFromResult(j);
    expect(r.verdict).toBe(VERDICT[j.status]);
    expect(r.findings.map((f) => f.name)).toEqual(j.anomalies.map((a: any) => a.type));
    j.anomalies.forEach((a: any, i: number) => {
      const g = r.findings[i].graph;
      if (!a.cycle) return expect(g).toBeUndefined();
      expect(g!.edges.map((e) => [e.from, e.to, e.label])).toEqual(a.cycle.map((s: any) => [`T${s.from}`, `T${s.to}`, s.kind]));
      expect(g!.nodes.map((n) => n.id).sort()).toEqual([...new Set(a.cycle.flatMap((s: any) => [`T${s.from}`, `T${s.to}`]))].sort());
    });
  });
});

describe("bivalence", () => {
  it("the lasso: initial state, prefix and loop steps, each state's valence, loopsTo the loop's first state", () => {
    const j = fixture("bivalence-paxos-dueling").json as any;
    const [r] = reportsFromResult(j);
    expect(r.verdict).toBe(j.status);
    const f = r.findings.find((x) => x.name === "bivalent lasso")!;
    expect(j.lasso).toBeDefined();
    expect(f.steps!.slice(1).map((s) => s.label)).toEqual([...j.lasso.prefix.steps, ...j.lasso.loopSteps]);
    expect(f.steps!.map((s) => s.valence)).toEqual(j.lasso.valences.map((v: any) => (v.kind === "univalent" ? `${v.values[0]}-valent` : v.kind)));
    expect(f.loopsTo).toBe(j.lasso.prefix.steps.length);
    expect(f.replay!.path).toEqual(j.lasso.replayPath);
    // A fair cycle of bivalent configurations: every state on it is bivalent.
    expect(f.steps!.slice(f.loopsTo!).every((s) => s.valence === "bivalent")).toBe(true);
  });

  it("no lasso: the non-deciding run and blocking, as findings that do not fail", () => {
    const j = fixture("bivalence-flp").json as any;
    const [r] = reportsFromResult(j);
    expect(r.verdict).toBe(j.status);
    for (const f of r.findings) expect(f.verdict).toBe("ok");
    if (j.nonDeciding) expect(r.findings.some((f) => f.name === "non-deciding run")).toBe(true);
    if (j.blocking?.first) expect(r.findings.find((f) => f.name === "blocking")!.replay!.path).toEqual(j.blocking.first.path);
  });
});

describe("cuts", () => {
  for (const name of ["cuts-orphan", "cuts-domino", "cuts-in-flight"]) {
    it(`${name}: every event and message, orphans and in-flight messages marked, the cut, a linear extension of happened-before`, () => {
      const j = fixture(name).json as any;
      const [r] = reportsFromResult(j);
      expect(r.verdict).toBe(j.status);
      expect(r.findings.map((f) => f.message).filter((m) => j.findings.includes(m))).toEqual(j.findings);
      const st = r.findings[0].spaceTime!;
      expect(st.processes).toEqual(j.processes.map((p: any) => p.name));
      expect(st.events).toHaveLength(j.events);
      expect(st.messages).toHaveLength(j.messages);
      const pos = new Map(st.events.map((e, i) => [e.id, i]));
      // Process order, and every receive after its send.
      for (const p of st.processes) {
        const idx = st.events.filter((e) => e.process === p).map((e) => Number(e.id.split(":").pop()));
        expect(idx).toEqual(idx.map((_, i) => i + 1));
      }
      for (const m of st.messages) if (m.receive) expect(pos.get(m.send)!).toBeLessThan(pos.get(m.receive)!);
      const orphans = new Set((j.cut?.orphans ?? []).map((m: any) => m.msg));
      const inFlight = new Set((j.cut?.inFlight ?? []).flatMap((c: any) => c.messages));
      for (const m of st.messages) {
        if (orphans.has(m.label)) expect(m.status).toBe("orphan");
        else if (inFlight.has(m.label)) expect(m.status).toBe("in-flight");
      }
      if (j.cut) expect(st.cut).toEqual(Object.fromEntries(Object.entries(j.cut.positions).map(([p, x]: [string, any]) => [p, x.events])));
      expect(st.events.filter((e) => e.useless).map((e) => e.label).sort()).toEqual([...j.uselessCheckpoints].sort());
    });
  }
});
