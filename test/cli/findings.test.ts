// Issue 9, one `describe` per numbered finding: each reproduces the finding through the real
// CLI (a child process, as a user runs it) and asserts the exit code and the key output.
// Fixtures: test/fixtures/findings/*.ts. Exit codes: 0 holds, 1 violation, 2 bad input /
// spec error / usage, 3 budget ran out / incomplete.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exploreReport, repoRoot } from "./run-cli.ts";

const fixture = (name: string) => `test/fixtures/findings/${name}.ts`;
const MEMO = fixture("memo-copy");
const CONSTRAINT = fixture("constraint");
const TWO_PHASE = "specs/two-phase-commit.ts";

/** The CLI with a timeout of our own (a hung child is a failure, not a hung test run). */
function run(args: string[], timeoutMs = 60_000): { code: number; signal: string | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dscheck.cjs"), ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    timeout: timeoutMs,
    maxBuffer: 64 * 2 ** 20,
  });
  return { code: r.status ?? -1, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms: Date.now() - t0 };
}

/** stdout as exactly one JSON object on one line (no schema check: error reports need not carry the search figures). */
function oneJsonObject(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  expect(lines, `stdout should be one JSON line, got:\n${stdout}`).toHaveLength(1);
  const value: unknown = JSON.parse(lines[0]);
  expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
  return value as Record<string, unknown>;
}

/** A one-line message on stderr and no stack trace. */
function expectOneLineError(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim(), "a message on stderr").not.toBe("");
  expect(stderr.trim().split("\n"), `one line on stderr, got:\n${stderr}`).toHaveLength(1);
}

type Step = { state: Record<string, unknown> };
const lastState = (trace: unknown) => (trace as Step[])[(trace as Step[]).length - 1].state;

describe("finding 1: memoization is sound (an `update` action that decides on a copy of the state)", () => {
  it("default options (memoize: true, type-checked) and --no-memoize: exit 1, the same property and distinct count", () => {
    const on = run(["explore", MEMO, "--json"]);
    expect(on.stderr).not.toMatch(/does not type-check/);
    expect(on.code).toBe(1);
    const a = exploreReport(on.stdout);
    expect(a.status).toBe("violation");
    expect(a.property).toBe("NeverMarked");
    expect(a.memo, "memoization ran").toBeDefined();
    expect((a.violation as { reproduced: boolean }).reproduced).toBe(true);
    expect(lastState(a.trace)).toMatchObject({ c: 1200, flag: true, z: 1 });

    const off = run(["explore", MEMO, "--json", "--no-memoize", "--no-typecheck"]);
    expect(off.code).toBe(1);
    const b = exploreReport(off.stdout);
    expect(b.status).toBe("violation");
    expect(b.property).toBe("NeverMarked");
    expect(b.memo).toBeUndefined();
    expect(b.distinctStates).toBe(a.distinctStates);
  });
});

describe("finding 2: --workers 2 reports only real violations, and the report says how many workers ran", () => {
  it("--workers 2: exit 1, reproduced, the last state breaks the property (z = 1), workers: 2", () => {
    const r = run(["explore", MEMO, "--workers", "2", "--json", "--no-typecheck"]);
    expect(r.code).toBe(1);
    const report = exploreReport(r.stdout);
    expect(report.status).toBe("violation");
    expect(report.property).toBe("NeverMarked");
    expect(report.workers).toBe(2);
    expect((report.violation as { reproduced: boolean }).reproduced).toBe(true);
    expect(lastState(report.trace).z).toBe(1);
  });

  it("--workers 1: workers: 1", () => {
    const r = run(["explore", MEMO, "--workers", "1", "--json", "--no-typecheck"]);
    expect(r.code).toBe(1);
    const report = exploreReport(r.stdout);
    expect(report.workers).toBe(1);
    expect(lastState(report.trace).z).toBe(1);
  });
});

describe("finding 3: the constraint holds in simulation and in replay", () => {
  for (const strategy of [["--strategy", "bfs"], ["--strategy", "dfs"], ["--strategy", "simulate", "--seed", "1", "--runs", "50"]]) {
    it(`${strategy.join(" ")}: exit 0`, () => {
      const r = run(["explore", CONSTRAINT, ...strategy, "--json", "--no-typecheck"]);
      expect(r.code).toBe(0);
      expect(exploreReport(r.stdout).status).toBe("ok");
    });
  }

  it("--replay 0/0/0/0/0 (through c = 3, outside the constraint, and beyond): exit 2, naming the step that leaves the constraint", () => {
    const r = run(["explore", CONSTRAINT, "--replay", "0/0/0/0/0", "--no-typecheck"]);
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/constraint/i);
    // Step 3 (c: 2 -> 3) leaves the constraint; step 4 is the one that goes beyond it.
    expect(out.split("\n").some((l) => /constraint/i.test(l) && /\bstep\s+[34]\b/i.test(l)), out).toBe(true);
    expect(out).not.toMatch(/VIOLATION/);
    const j = run(["explore", CONSTRAINT, "--replay", "0/0/0/0/0", "--json", "--no-typecheck"]);
    expect(j.code).toBe(2);
    expect(oneJsonObject(j.stdout).status).toBe("error");
  });

  it("--replay 0/0/0/0 (ending at c = 3, the out-of-constraint state itself): exit 0", () => {
    const r = run(["explore", CONSTRAINT, "--replay", "0/0/0/0", "--no-typecheck"]);
    expect(r.code).toBe(0);
  });
});

describe("finding 4: a `sometimes` property not found in a partial search is incomplete, not a violation", () => {
  for (const runs of ["1", "0"]) {
    it(`TwoPhase --strategy simulate --runs ${runs} --seed 1: exit 3, "CanCommit" not found in a partial search`, () => {
      const args = ["explore", TWO_PHASE, "--strategy", "simulate", "--runs", runs, "--seed", "1", "--no-typecheck"];
      const r = run(args);
      expect(r.code).toBe(3);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(/CanCommit/);
      expect(out).toMatch(/partial/i);
      expect(out).not.toMatch(/VIOLATION/);
      const j = run([...args, "--json"]);
      expect(j.code).toBe(3);
      const report = exploreReport(j.stdout);
      expect(report.status).toBe("incomplete");
      expect(report.exhaustive).toBe(false);
    });
  }
});

describe("finding 5: constraint counting follows TLC", () => {
  it("c <= 2 with Inc enabled while c < 10: 3 distinct, 4 generated, bounded.byConstraint 1 (BFS and DFS)", () => {
    for (const strategy of ["bfs", "dfs"]) {
      const r = run(["explore", CONSTRAINT, "--strategy", strategy, "--json", "--no-typecheck"]);
      expect(r.code).toBe(0);
      const report = exploreReport(r.stdout);
      expect(report.status).toBe("ok");
      expect(report.distinctStates, strategy).toBe(3);
      expect(report.generatedStates, strategy).toBe(4);
      expect((report.bounded as { byConstraint: number }).byConstraint, strategy).toBe(1);
    }
  });

  it("an out-of-constraint successor is checked: exit 1 with that state (c = 3) as the trace's last state", () => {
    const r = run(["explore", fixture("constraint-violation"), "--json"]);
    expect(r.code).toBe(1);
    const report = exploreReport(r.stdout);
    expect(report.status).toBe("violation");
    expect(report.property).toBe("StaysSmall");
    expect((report.trace as unknown[]).length).toBe(4);
    expect(lastState(report.trace)).toEqual({ c: 3 });
    expect(report.replayPath).toBe("0/0/0/0");
    expect(report.distinctStates).toBeLessThanOrEqual(3);
  });
});

describe("finding 6: --workers 2 keeps the bound report", () => {
  it("JSON has `bounded` (and the one-worker counts), the text says \"within the bounds\"", () => {
    const r = run(["explore", CONSTRAINT, "--workers", "2", "--json", "--no-typecheck"]);
    expect(r.code).toBe(0);
    const report = exploreReport(r.stdout);
    expect(report.workers).toBe(2);
    expect(report.bounded).toBeDefined();
    expect((report.bounded as { byConstraint: number }).byConstraint).toBe(1);
    expect(report.distinctStates).toBe(3);
    expect(report.generatedStates).toBe(4);
    const text = run(["explore", CONSTRAINT, "--workers", "2", "--no-typecheck"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/within the bounds/);
  });
});

describe("finding 7: budgets are exact and stop spec code that does not return", () => {
  const budget = (n: string) => run(["explore", TWO_PHASE, "--param", "rms=3", "--max-states", n, "--json", "--no-typecheck"]);

  it("--max-states 100 (of 288): exit 3, at most 100 distinct states", () => {
    const r = budget("100");
    expect(r.code).toBe(3);
    const report = exploreReport(r.stdout);
    expect(report.status).toBe("incomplete");
    expect(report.distinctStates as number).toBeLessThanOrEqual(100);
    expect(report.distinctStates as number).toBeGreaterThan(0);
  });

  it("--max-states 288 (the exact total): exit 0, complete", () => {
    const r = budget("288");
    expect(r.code).toBe(0);
    const report = exploreReport(r.stdout);
    expect(report.status).toBe("ok");
    expect(report.exhaustive).toBe(true);
    expect(report.distinctStates).toBe(288);
    expect(report.generatedStates).toBe(1146);
  });

  it("--max-states 287: exit 3", () => {
    const r = budget("287");
    expect(r.code).toBe(3);
    const report = exploreReport(r.stdout);
    expect(report.status).toBe("incomplete");
    expect(report.distinctStates as number).toBeLessThanOrEqual(287);
  });

  it("--max-states 0: exit 3 with 0 distinct states", () => {
    const r = budget("0");
    expect(r.code).toBe(3);
    const report = exploreReport(r.stdout);
    expect(report.status).toBe("incomplete");
    expect(report.distinctStates).toBe(0);
  });

  it("an action with an endless loop, --time-limit 2: exit 3 within 15 s, naming the time limit", { timeout: 30_000 }, () => {
    const r = run(["explore", fixture("endless-loop"), "--time-limit", "2", "--no-typecheck"], 25_000);
    expect(r.signal, "stopped by the CLI, not by the test's kill").toBeNull();
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.stdout + r.stderr).toMatch(/time limit/i);
  });

  it("an action that allocates without bound, --max-memory 200: exit 3 (not 134), naming the memory budget", { timeout: 120_000 }, () => {
    const r = run(["explore", fixture("runaway-alloc"), "--max-memory", "200", "--json", "--no-typecheck"], 100_000);
    // A V8 out-of-memory abort is SIGABRT (exit 134 from a shell).
    expect(r.signal).toBeNull();
    expect(r.code).not.toBe(134);
    expect(r.code).toBe(3);
    const report = oneJsonObject(r.stdout);
    expect(report.status).toBe("incomplete");
    // Every text report has a "memory" line; the reason is what must name the memory budget.
    expect(String(report.incompleteReason ?? "") + "\n" + r.stderr).toMatch(/memory/i);
  });
});

describe("finding 8: bad input and spec errors exit 2, never 1 and never with a stack trace", () => {
  const badOptions: string[][] = [
    ["--time-limit", "abc"],
    ["--max-depth", "-1"],
    ["--seed", "1.5"],
    ["--workers", "-1"],
    ["--runs", "abc"],
    ["--workers", "1000"],
    ["--param", "__proto__=1"],
  ];
  for (const bad of badOptions) {
    it(`${bad.join(" ")}: exit 2, one line on stderr; with --json one JSON object, status "error"`, () => {
      // 20 s: --workers 1000 used to start 1000 workers and run out of memory.
      const r = run(["explore", TWO_PHASE, ...bad, "--no-typecheck"], 20_000);
      expect(r.code).toBe(2);
      expectOneLineError(r.stderr);
      const j = run(["explore", TWO_PHASE, ...bad, "--no-typecheck", "--json"], 20_000);
      expect(j.code).toBe(2);
      expect(j.stderr).not.toMatch(/\n\s+at /);
      expect(oneJsonObject(j.stdout).status).toBe("error");
    });
  }

  const specErrors: [string, string][] = [
    ["init-undefined", "an initial state with an undefined field"],
    ["init-function", "an initial state with a function field"],
    ["format-action-throws", "a throwing formatAction (needed to print a real counterexample)"],
    ["format-state-throws", "a throwing formatState (needed to print a real counterexample)"],
  ];
  for (const [name, what] of specErrors) {
    it(`${what}: exit 2, status "error" with error.kind`, () => {
      const j = run(["explore", fixture(name), "--json", "--no-typecheck"]);
      expect(j.code).toBe(2);
      expect(j.stderr).not.toMatch(/\n\s+at /);
      const report = oneJsonObject(j.stdout);
      expect(report.status).toBe("error");
      expect(typeof (report.error as { kind?: unknown } | undefined)?.kind).toBe("string");
      const t = run(["explore", fixture(name), "--no-typecheck"]);
      expect(t.code).toBe(2);
      expect(t.stderr).not.toMatch(/\n\s+at /);
      expect(t.stdout).not.toMatch(/\n\s+at /);
    });
  }
});

describe("finding 9: vacuity is reported", () => {
  it("an action whose block body forgets `return`: exit 0, warns that it was never enabled; coverage and warnings in JSON", () => {
    const text = run(["explore", fixture("forgot-return")]);
    expect(text.code).toBe(0);
    expect(text.stdout + text.stderr).toMatch(/never enabled/i);
    expect((text.stdout + "\n" + text.stderr).split("\n").some((l) => /never enabled/i.test(l) && l.includes("Forgot"))).toBe(true);

    const j = run(["explore", fixture("forgot-return"), "--json", "--no-typecheck"]);
    expect(j.code).toBe(0);
    const report = exploreReport(j.stdout);
    expect(report.status).toBe("ok");
    const coverage = report.coverage as { action: string; enabled: number; newStates: number }[];
    expect(Array.isArray(coverage)).toBe(true);
    expect(coverage.find((c) => c.action === "Forgot")).toMatchObject({ action: "Forgot", enabled: 0, newStates: 0 });
    // Grow is enabled at c = 0 and c = 1, and makes c = 1 and c = 2.
    expect(coverage.find((c) => c.action === "Grow")).toMatchObject({ action: "Grow", enabled: 2, newStates: 2 });
    const warnings = report.warnings as unknown[];
    expect(Array.isArray(warnings)).toBe(true);
    expect(warnings.some((w) => JSON.stringify(w).includes("Forgot"))).toBe(true);
    expect(warnings.some((w) => JSON.stringify(w).includes("Grow"))).toBe(false);
  });

  it("init returning []: exit 2 (a spec error)", () => {
    const t = run(["explore", fixture("init-empty")]);
    expect(t.code).toBe(2);
    const j = run(["explore", fixture("init-empty"), "--json", "--no-typecheck"]);
    expect(j.code).toBe(2);
    expect(oneJsonObject(j.stdout).status).toBe("error");
  });

  it("--replay 0/99 on TwoPhase: exit 2, names step 1, does not say nondeterministic", () => {
    const r = run(["explore", TWO_PHASE, "--replay", "0/99", "--no-typecheck"]);
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/\bstep 1\b/i);
    expect(out).not.toMatch(/non-?deterministic/i);
    const j = run(["explore", TWO_PHASE, "--replay", "0/99", "--json", "--no-typecheck"]);
    expect(j.code).toBe(2);
    expect(j.stdout).not.toMatch(/non-?deterministic/i);
    expect(oneJsonObject(j.stdout).status).toBe("error");
  });
});

describe("stdout write failure", () => {
  for (const extra of ["", " --json"]) {
    it(`explore TwoPhase${extra} > /dev/full: exit 2`, () => {
      const cmd = `"${process.execPath}" bin/dscheck.cjs explore ${TWO_PHASE} --no-typecheck${extra} > /dev/full`;
      const r = spawnSync("bash", ["-c", cmd], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" }, timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});


// A record with an own "__proto__" key (what JSON.parse builds) is ordinary state data: the
// right answer is to keep it exactly, not to reject it. It used to crash because decoding
// assigned the key, which set the prototype instead of a field (checker/values/decode.ts now
// defines it). Exit 0, and the field is in the report as it was.
describe("finding 8: a record field named __proto__ is kept exactly", () => {
  for (const name of ["proto-field", "proto-field-record"]) {
    it(`${name}: exit 0, the field is reported as data`, () => {
      const j = run(["explore", fixture(name), "--json", "--no-typecheck"]);
      expect(j.code).toBe(0);
      const report = exploreReport(j.stdout);
      expect(report.status).toBe("ok");
      expect(report.distinctStates).toBe(1);
      expect(j.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
