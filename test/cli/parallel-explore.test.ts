// `--workers N` must give exactly the one-worker search's counts and equally short
// counterexamples (the reference counts are TLC's and SPIN's, as in exact-counts.test.ts).
import { describe, expect, it } from "vitest";
import { dscheck } from "./run-cli.ts";

function run(args: string[]): { code: number; report: Record<string, unknown> } {
  const r = dscheck(["explore", ...args, "--workers", "2", "--json", "--no-typecheck"]);
  return { code: r.code, report: JSON.parse(r.stdout) };
}

describe("explore --workers 2", () => {
  it.each([
    [["specs/two-phase-commit.ts", "--param", "rms=5"], 8832, 58146],
    [["specs/raft-election.ts", "--param", "servers=2", "--param", "maxTerm=2"], 513, 1685],
    [["specs/raft-election.ts"], 1393, 7369],
  ])("%j: exact counts", (args, distinct, generated) => {
    const { code, report } = run(args);
    expect(code).toBe(0);
    // The report says how many workers ran (a run that fell back to one would fail here).
    expect(report.workers).toBe(2);
    expect(report.distinctStates).toBe(distinct);
    expect(report.generatedStates).toBe(generated);
  });

  it("finds a shortest counterexample (10 steps for bug=doubleVote) that replays", () => {
    const { code, report } = run(["specs/raft-election.ts", "--param", "bug=doubleVote"]);
    expect(code).toBe(1);
    expect(report.property).toBe("ElectionSafety");
    expect((report.trace as unknown[]).length - 1).toBe(10);
    const replay = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--replay", report.replayPath as string, "--no-typecheck"]);
    expect(replay.code).toBe(1);
  });

  it("stops with exit 3 on a state budget, never past it (the budget is shared by the workers)", () => {
    const { code, report } = run(["specs/two-phase-commit.ts", "--param", "rms=6", "--max-states", "1000"]);
    expect(code).toBe(3);
    expect(report.status).toBe("incomplete");
    expect(report.distinctStates as number).toBeLessThanOrEqual(1000);
    expect(report.workers).toBe(2);
    const exact = run(["specs/two-phase-commit.ts", "--param", "rms=3", "--max-states", "288"]);
    expect(exact.code).toBe(0);
  });

  it("a depth bound works on workers too, with the one-worker counts", () => {
    const one = JSON.parse(dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=4", "--max-depth", "5", "--invariant", "TCConsistent", "--json", "--no-typecheck"]).stdout);
    const { code, report } = run(["specs/two-phase-commit.ts", "--param", "rms=4", "--max-depth", "5", "--invariant", "TCConsistent"]);
    expect(code).toBe(0);
    expect(report.distinctStates).toBe(one.distinctStates);
    expect(report.generatedStates).toBe(one.generatedStates);
    expect(report.bounded).toEqual(one.bounded);
  });

  it("reports a spec fault as an error", () => {
    const { code, report } = run(["test/fixtures/specs/throws.ts"]);
    expect(code).toBe(2);
    expect((report.error as { kind: string }).kind).toBe("action-threw");
  });
});
