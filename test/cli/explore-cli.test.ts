// `dscheck explore` as a user runs it: exit codes, --json against its schema, errors.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dscheck, exploreReport, repoRoot } from "./run-cli.ts";

const json = exploreReport;

describe("dscheck explore", () => {
  it("exit 0 and exact counts for the flagship spec", () => {
    const r = dscheck(["explore", "specs/raft-election.ts"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1,393 distinct, 7,369 generated");
    expect(r.stdout).toContain("OK");
  });

  it("exit 1 with a shortest counterexample, a replay path and a reproduce command; --replay reproduces it", () => {
    const r = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--json"]);
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.status).toBe("violation");
    expect(report.property).toBe("ElectionSafety");
    expect((report.trace as unknown[]).length).toBe(11);
    const path = report.replayPath as string;
    expect(path).toMatch(/^\d+(\/\d+)+$/);
    const again = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--replay", path, "--no-typecheck"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("VIOLATION of ElectionSafety");
    const text = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--no-typecheck"]);
    expect(text.stdout).toContain("BecomeLeader(server 1)");
    expect(text.stdout).toContain(`replay path ${path}`);
  });

  it("exit 3 when a budget runs out, with the figures reached", () => {
    const r = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "rms=7", "--max-states", "2000", "--json", "--no-typecheck"]);
    expect(r.code).toBe(3);
    const report = json(r.stdout);
    expect(report.status).toBe("incomplete");
    expect(report.exhaustive).toBe(false);
    expect(report.distinctStates as number).toBeGreaterThanOrEqual(2000);
  });

  it("exit 2 for an unknown or ill-typed param, listing the valid ones", () => {
    const a = dscheck(["explore", "specs/raft-election.ts", "--param", "nodes=3", "--no-typecheck"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown param "nodes"');
    expect(a.stderr).toContain("servers");
    const b = dscheck(["explore", "specs/raft-election.ts", "--param", "servers=three", "--no-typecheck"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("expected a number");
    const c = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=tripleVote", "--no-typecheck"]);
    expect(c.code).toBe(2);
  });

  it("exit 2 with file:line for a spec with a type error or a syntax error", () => {
    const t = dscheck(["explore", "test/fixtures/specs/type-error.ts"]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/type-error\.ts:8:\d+: error TS\d+/);
    const s = dscheck(["explore", "test/fixtures/specs/syntax-error.ts"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/syntax-error\.ts:6:\d+/);
  });

  it("exit 2 for a missing file, a module without a spec, and a bad option", () => {
    expect(dscheck(["explore", "specs/nope.ts"]).code).toBe(2);
    const n = dscheck(["explore", "test/fixtures/specs/not-a-spec.ts", "--no-typecheck"]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain("does not export a spec");
    expect(dscheck(["explore", "specs/raft-election.ts", "--strategy", "astar"]).code).toBe(2);
    expect(dscheck(["explore"]).code).toBe(2);
  });

  it("loads the README's example spec from a folder outside the project (import from \"dscheck\")", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const dir = mkdtempSync(join(tmpdir(), "dscheck-user-"));
    writeFileSync(join(dir, "counter.ts"), code);
    const r = dscheck(["explore", "counter.ts"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("17 reachable states");
    const bad = dscheck(["explore", "counter.ts", "--param", "n=4"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("VIOLATION of Bounded");
  });

  it("simulation prints its seed and is reproducible", () => {
    const a = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--strategy", "simulate", "--seed", "7", "--json", "--no-typecheck"]);
    const b = dscheck(["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--strategy", "simulate", "--seed", "7", "--json", "--no-typecheck"]);
    const ra = json(a.stdout), rb = json(b.stdout);
    expect(ra.seed).toBe(7);
    expect(ra.status).toBe(rb.status);
    expect(ra.replayPath).toBe(rb.replayPath);
  });
});
