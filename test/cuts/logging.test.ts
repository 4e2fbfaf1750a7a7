// Recovery with message logging: against brute force on generated logs with logged receives
// (the recovery line is the maximum over every consistent candidate cut in which each
// process stands at a checkpoint followed by a replayable prefix, or, not failed, at its
// end), and end to end on two fixtures (everything logged: no rollback; a gap in the log:
// rollback, and a logged receive whose send is undone reported as an orphaned log entry).
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Computation } from "../../checker/cuts/computation.ts";
import { recoveryLine } from "../../checker/cuts/rollback.ts";
import { analyze } from "../../checker/cuts/analyze.ts";
import { dscheck } from "../cli/run-cli.ts";
import { allCuts, arbComputation, closedCut, closure } from "./brute-force.ts";

/**
 * The positions p may restart at, by the definition: k such that some checkpoint position
 * c <= k has k === c, or event k-1 is a logged receive and every receive in events c..k-1 is
 * logged. Read from the events' kinds alone.
 */
function candidates(comp: Computation, p: number): number[] {
  const evs = comp.events[p];
  const cps = [0, ...evs.flatMap((e, i) => (e.kind === "checkpoint" ? [i + 1] : []))];
  const out: number[] = [];
  for (let k = 0; k <= evs.length; k++) {
    const ok = cps.some((c) => c === k || (c < k && evs[k - 1].kind === "receive" && evs[k - 1].logged === true && evs.slice(c, k).every((e) => e.kind !== "receive" || e.logged === true)));
    if (ok) out.push(k);
  }
  return out;
}

describe("recovery with logged receives, against brute force", () => {
  it("the recovery line is the maximum consistent candidate cut; replay counts and orphaned log entries by definition", () => {
    let replays = 0, orphanedEntries = 0;
    fc.assert(
      fc.property(arbComputation({ logging: true, minSteps: 4, maxSteps: 12 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (comp, failMask) => {
        const failed = comp.processes.map((_, p) => p).filter((p) => failMask[p]);
        const c = closure(comp);
        const choices = comp.events.map((evs, p) => (failed.includes(p) ? candidates(comp, p) : [...new Set([...candidates(comp, p), evs.length])]));
        const consistent = allCuts(choices).filter((cut) => closedCut(comp, c, cut));
        const max = comp.processes.map((_, p) => Math.max(...consistent.map((cut) => cut[p])));
        expect(consistent.some((cut) => cut.every((k, p) => k === max[p]))).toBe(true); // closed under max
        const r = recoveryLine(comp, failed);
        expect(r.cut).toEqual(max);
        // A failed process starts as far as replay from its latest checkpoint reaches.
        for (const p of failed) expect(r.start[p]).toBe(Math.max(...candidates(comp, p)));
        const latestCheckpoint = (p: number, k: number) => Math.max(0, ...comp.events[p].slice(0, k).flatMap((e, i) => (e.kind === "checkpoint" ? [i + 1] : [])));
        r.cut.forEach((k, p) => {
          const kept = !failed.includes(p) && k === comp.events[p].length;
          expect(r.replayed[p]).toBe(kept ? 0 : k - latestCheckpoint(p, k));
          replays += r.replayed[p];
        });
        if (failed.length === 0) return;
        const rec = analyze(comp, { recover: failed }).analysis.recovery!;
        const expected = comp.messages.filter((m) => m.recvIndex >= max[m.to] && m.sendIndex >= max[m.from] && comp.events[m.to][m.recvIndex].logged).map((m) => m.id);
        expect(rec.orphanedLogEntries.map((m) => m.msg).sort()).toEqual(expected.sort());
        orphanedEntries += expected.length;
        for (const [name, n] of Object.entries(rec.replayedEvents)) expect(n).toBe(r.replayed[comp.processes.indexOf(name)]);
      }),
      { numRuns: 400 },
    );
    // The generator reaches both features (else the checks above would be vacuous).
    expect(replays).toBeGreaterThan(40);
    expect(orphanedEntries).toBeGreaterThan(4);
  });
});

describe("dscheck cuts --recover with message logging", () => {
  const json = (file: string, ...args: string[]) => {
    const r = dscheck(["cuts", `test/fixtures/cuts/${file}`, ...args, "--json"]);
    return { code: r.code, report: JSON.parse(r.stdout) };
  };

  it("every receive logged: the failed process replays past its checkpoint and nobody rolls back", () => {
    const { code, report } = json("logging.ndjson", "--recover", "P2");
    expect(code).toBe(0);
    expect(report.recoveryLine).toEqual({ P1: "end", P2: "C21+3" });
    expect(report.recovery.replayedEvents).toEqual({ P1: 0, P2: 3 });
    expect(report.rolledBackEvents).toEqual({ P1: 0, P2: 1 });
    expect(report.recovery.rollbacks).toEqual([]);
    expect(report.recovery.orphanedLogEntries).toEqual([]);
    // The same log with nothing logged: P2 restarts at C21, and the send of m2 it loses pushes P1 back.
    const plain = join(mkdtempSync(join(tmpdir(), "dscheck-log-")), "plain.ndjson");
    writeFileSync(plain, readFileSync("test/fixtures/cuts/logging.ndjson", "utf8").replace(/, "logged": true/g, ""));
    const r = dscheck(["cuts", plain, "--recover", "P2", "--json"]);
    expect(JSON.parse(r.stdout).recoveryLine).toEqual({ P1: "C11", P2: "C21" });
  });

  it("a gap in the log: replay stops before the unlogged receive, the lost send orphans P1's receive, and P2's logged m1 is orphaned", () => {
    const { code, report } = json("logging-gap.ndjson", "--recover", "P2");
    expect(code).toBe(0);
    expect(report.recoveryLine).toEqual({ P1: "C11", P2: "C21" });
    expect(report.recovery.replayedEvents).toEqual({ P1: 0, P2: 0 });
    const p2 = report.recovery.rollbacks.find((r: { process: string }) => r.process === "P2");
    expect(p2).toMatchObject({ from: "C21+1", to: "C21" });
    expect(p2.chain.map((m: { msg: string }) => m.msg)).toEqual(["m2", "m1"]);
    expect(report.recovery.orphanedLogEntries.map((m: { msg: string }) => m.msg)).toEqual(["m1"]);
    const text = dscheck(["cuts", "test/fixtures/cuts/logging-gap.ndjson", "--recover", "P2"]);
    expect(text.stdout).toMatch(/orphaned log entry m1 .*discarded, not replayed/);
  });

  it("\"logged\" on anything but a receive is bad input (exit 2, the line)", () => {
    const r = dscheck(["cuts", "test/fixtures/cuts/logging-bad.ndjson"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/logging-bad\.ndjson:line 3: "logged" marks receives only/);
  });
});
