// `dscheck explore --memoize / --no-memoize` as a user runs it: the memo figures in the
// text report and in --json (against its schema), and the same exact counts either way.
import { describe, expect, it } from "vitest";
import { dscheck, exploreReport } from "./run-cli.ts";

const json = exploreReport;

type Memo = { hits: number; misses: number; directActions: string[] };

describe("dscheck explore and memoization", () => {
  it("TwoPhase rms=3 (memoize: true in the spec): a memo object in --json, none with --no-memoize, 288/1,146 both ways", () => {
    const on = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=3", "--json"]);
    expect(on.code).toBe(0);
    const a = json(on.stdout);
    expect(a.status).toBe("ok");
    expect(a.distinctStates).toBe(288);
    expect(a.generatedStates).toBe(1146);
    const memo = a.memo as Memo;
    expect(memo).toBeDefined();
    expect(memo.hits).toBeGreaterThan(0);
    expect(memo.misses).toBeGreaterThan(0);
    // One lookup per action (7) per state: every state is expanded.
    expect(memo.hits + memo.misses).toBe(288 * 7);
    expect(memo.directActions).toEqual([]);

    const off = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=3", "--json", "--no-memoize", "--no-typecheck"]);
    expect(off.code).toBe(0);
    const b = json(off.stdout);
    expect(b.status).toBe("ok");
    expect(b.distinctStates).toBe(288);
    expect(b.generatedStates).toBe(1146);
    expect(b).not.toHaveProperty("memo");

    // --memoize on a spec that already opts in changes nothing.
    const explicit = json(dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=3", "--json", "--memoize", "--no-typecheck"]).stdout);
    expect(explicit.memo).toEqual(memo);
  });

  it("the text report has a memo line with memoization on and none with it off", () => {
    const on = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=3", "--no-typecheck"]);
    expect(on.code).toBe(0);
    expect(on.stdout).toContain("288 distinct, 1,146 generated");
    // "memo ..." (not the "memory ..." line, which every report has).
    const memoLines = on.stdout.split("\n").filter((l) => /^memo\b/.test(l));
    expect(memoLines).toHaveLength(1);
    expect(memoLines[0]).toMatch(/\d[\d,]* hits, \d[\d,]* misses/);

    const off = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=3", "--no-memoize", "--no-typecheck"]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain("288 distinct, 1,146 generated");
    expect(off.stdout.split("\n").some((l) => /^memo\b/.test(l))).toBe(false);
  });

  it("--memoize on a spec with no update actions (Raft election): the exact counts, a note, no memo figures", () => {
    const r = dscheck(["explore", "specs/raft-election.ts", "--memoize", "--json", "--no-typecheck"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/memoize applies to actions written as update/);
    const report = json(r.stdout);
    expect(report.distinctStates).toBe(1393);
    expect(report.generatedStates).toBe(7369);
    expect(report).not.toHaveProperty("memo");
  });

  it("the seeded TwoPhase bug: the same counterexample (replay path) with and without memoization, exit 1", () => {
    const args = ["explore", "specs/two-phase-commit.ts", "--param", "bug=commitWithoutVotes", "--param", "rms=4", "--json", "--no-typecheck"];
    const on = dscheck(args);
    const off = dscheck([...args, "--no-memoize"]);
    expect(on.code).toBe(1);
    expect(off.code).toBe(1);
    const a = json(on.stdout), b = json(off.stdout);
    expect(a.property).toBe("TCConsistent");
    expect(a.replayPath).toBe(b.replayPath);
    expect(a.distinctStates).toBe(b.distinctStates);
    expect(a.generatedStates).toBe(b.generatedStates);
  });

  it("--workers 2 memoizes too (a table per worker): exact counts, memo figures, the same counterexample length", () => {
    const r = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=5", "--workers", "2", "--json", "--no-typecheck"]);
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.distinctStates).toBe(8832);
    expect(report.generatedStates).toBe(58146);
    const memo = report.memo as Memo;
    expect(memo.hits).toBeGreaterThan(0);
    // Every state is expanded once, by its owner: one lookup per action.
    expect(memo.hits + memo.misses).toBe(8832 * 7);
    const off = json(dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=5", "--workers", "2", "--json", "--no-typecheck", "--no-memoize"]).stdout);
    expect(off.memo).toBeUndefined();
    expect(off.generatedStates).toBe(58146);
    const bug = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=4", "--param", "bug=commitWithoutVotes", "--workers", "2", "--json", "--no-typecheck"]);
    const one = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=4", "--param", "bug=commitWithoutVotes", "--json", "--no-typecheck", "--no-memoize"]);
    expect(bug.code).toBe(1);
    expect((json(bug.stdout).replayPath as string).split("/").length).toBe((json(one.stdout).replayPath as string).split("/").length);
    const dfs = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=3", "--strategy", "dfs", "--memoize", "--no-typecheck"]);
    expect(dfs.stderr).toMatch(/--memoize applies to BFS/);
  });

  it("a spec that decides on a copy of the state: the plain verdict and counts with memo, on one worker and on two", () => {
    const off = json(dscheck(["explore", "test/fixtures/memo-breach.ts", "--json", "--no-typecheck", "--no-memoize"]).stdout);
    expect(off.status).toBe("ok");
    expect(off.distinctStates).toBe(4);
    for (const extra of [[], ["--workers", "2"]]) {
      const r = dscheck(["explore", "test/fixtures/memo-breach.ts", "--json", "--no-typecheck", ...extra]);
      expect(r.code).toBe(0);
      const report = json(r.stdout);
      expect(report.workers).toBe(extra.length ? 2 : 1);
      expect(report.memo).toBeDefined();
      expect(report.distinctStates).toBe(off.distinctStates);
      expect(report.generatedStates).toBe(off.generatedStates);
    }
  });

  it("memoize: true with a view: the run says it evaluates every action, with the right counts", () => {
    const r = dscheck(["explore", "test/fixtures/memo-view.ts", "--json", "--no-typecheck"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not used with a view/);
    const report = json(r.stdout);
    expect(report.distinctStates).toBe(4);
    expect(report.memo).toBeUndefined();
  });
});
