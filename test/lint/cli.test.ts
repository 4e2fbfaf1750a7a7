// `dscheck lint` and the lint `explore` runs first, through the real CLI: exit codes, the
// JSON report, the cache (a second run answers from it, an edit to an imported module
// invalidates it), and explore refusing an impure spec unless --no-lint.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { dscheck, repoRoot } from "../cli/run-cli.ts";

const validReport = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(join(repoRoot, "traces/schemas/lint-report.schema.json"), "utf8")));
/** A --json report, checked against its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function report(stdout: string): any {
  const r = JSON.parse(stdout);
  if (!validReport(r)) throw new Error(`not a lint report: ${JSON.stringify(validReport.errors)}`);
  return r;
}

const fixture = (f: string) => join("test", "fixtures", "lint", f);
const work = mkdtempSync(join(tmpdir(), "dscheck-lint-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("dscheck lint", () => {
  it("exit 0 and says so for a clean spec", () => {
    const r = dscheck(["lint", "specs/two-phase-commit.ts", "specs/two-phase-commit-crash.ts"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("no findings in 2 files (2 specs)\n");
  });

  it("exit 1 with one file:line:col line per finding", () => {
    const r = dscheck(["lint", fixture("clock.ts")]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.slice(0, -1)).toEqual([
      "test/fixtures/lint/clock.ts:11:31  clock  Date.now() reads the clock: a spec must not depend on time",
      "test/fixtures/lint/clock.ts:13:55  clock  new Date() reads the clock: a spec must not depend on time",
      "test/fixtures/lint/clock.ts:14:57  clock  performance.now() reads the clock: a spec must not depend on time",
      "test/fixtures/lint/clock.ts:15:52  clock  Date() reads the clock: a spec must not depend on time",
    ]);
    expect(lines.at(-1)).toBe("4 findings in 1 file (1 spec)");
  });

  it("--json: one object, findings per spec", () => {
    const r = dscheck(["lint", fixture("io.ts"), "specs/paxos.ts", "--json"]);
    expect(r.code).toBe(1);
    const out = report(r.stdout);
    expect(out).toMatchObject({ tool: "dscheck", command: "lint", status: "violation" });
    expect(out.specs.map((s: { spec: string; findings: unknown[] }) => [s.spec, s.findings.length])).toEqual([[fixture("io.ts"), 5], ["specs/paxos.ts", 0]]);
    expect(out.specs[0].findings[0]).toEqual({ file: fixture("io.ts"), line: 13, column: 28, rule: "io", message: expect.stringContaining("readFileSync") });
  });

  it("exit 2 for a missing file or one that does not parse, naming it", () => {
    const missing = dscheck(["lint", "no/such/spec.ts"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("dscheck lint: no/such/spec.ts: no such file\n");
    const broken = dscheck(["lint", fixture("unparsable.ts"), "--json"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^dscheck lint: test\/fixtures\/lint\/unparsable\.ts:2:65: /);
    expect(report(broken.stdout)).toMatchObject({ status: "error", error: { kind: "bad-input" } });
    const usage = dscheck(["lint", "--json"]);
    expect(usage.code).toBe(2);
    expect(report(usage.stdout)).toMatchObject({ status: "error", error: { kind: "usage" } });
  });

  it("--shard i/N: the shards are disjoint and together lint every spec once", () => {
    const specs = ["specs/paxos.ts", "specs/raft-election.ts", "specs/two-phase-commit.ts", fixture("clock.ts")];
    const shards = [1, 2, 3].map((i) => dscheck(["lint", ...specs, "--shard", `${i}/3`, "--json"]));
    const linted = shards.flatMap((r) => report(r.stdout).specs.map((s: { spec: string }) => s.spec));
    expect([...linted].sort()).toEqual([...specs].sort());
    expect(shards.map((r) => r.code).sort()).toEqual([0, 0, 1]);
  });

  it("answers from its cache until a linted file changes (an imported module included)", () => {
    // A project of its own: the cache goes to its node_modules/.cache/dscheck.
    const dir = join(work, "cache");
    mkdirSync(join(dir, "node_modules"), { recursive: true });
    mkdirSync(join(dir, "helpers"));
    cpSync(join(repoRoot, fixture("state-mutation.ts")), join(dir, "spec.ts"));
    cpSync(join(repoRoot, fixture("helpers/bump.ts")), join(dir, "helpers", "bump.ts"));
    const run = () => {
      const r = dscheck(["lint", "spec.ts", "--json"], { cwd: dir });
      const [spec] = report(r.stdout).specs;
      return { code: r.code, cached: spec.cached as boolean, inHelper: spec.findings.filter((f: { file: string }) => f.file === "helpers/bump.ts").length };
    };
    expect(run()).toEqual({ code: 1, cached: false, inHelper: 1 });
    expect(run()).toEqual({ code: 1, cached: true, inHelper: 1 });
    // The helper stops mutating its argument: the cached answer no longer holds.
    writeFileSync(join(dir, "helpers", "bump.ts"), "export function bump(t: { count: number }): number {\n  return t.count + 1;\n}\n");
    expect(run()).toEqual({ code: 1, cached: false, inHelper: 0 });
    expect(readFileSync(join(dir, "helpers", "bump.ts"), "utf8")).toContain("t.count + 1");
    // A corrupt cache entry is a miss, not an error.
    const cacheDir = join(dir, "node_modules", ".cache", "dscheck", "lint");
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), "{not json");
    expect(run()).toEqual({ code: 1, cached: false, inHelper: 0 });
  });
});

describe("explore lints the spec first", () => {
  it("findings stop the run with exit 2, naming --no-lint", () => {
    const r = dscheck(["explore", fixture("module-state.ts")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("spec lint: 6 findings");
    expect(r.stderr).toContain("test/fixtures/lint/module-state.ts:21:57  module-state");
    expect(r.stderr).toContain("--no-lint");
    const json = dscheck(["explore", fixture("module-state.ts"), "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "error" });
  });

  it("--no-lint runs it anyway; a clean spec runs as before", () => {
    const r = dscheck(["explore", fixture("module-state.ts"), "--no-lint"]);
    expect(r.stderr).not.toContain("spec lint");
    expect(r.code).toBe(0);
    const clean = dscheck(["explore", "specs/two-phase-commit.ts"]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("288 distinct");
  });
});
