// `dscheck bivalence` runs its analysis in a supervised thread, as explore does: spec code
// that never returns ends at --time-limit, runaway allocation at --max-memory, both exit 3
// with the budget named (never a hang, never V8's abort), and a normal run is unchanged.
import { Ajv } from "ajv";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.ts";

const fixture = "test/fixtures/bivalence-runaway.ts";
const ajv = new Ajv({ strict: false, allowUnionTypes: true });
ajv.addKeyword("tsType");
const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, "traces/schemas/bivalence-report.schema.json"), "utf8")));

/** The CLI, killed by the test only after `killMs` (a hang shows as a signal). */
function run(args: string[], killMs: number) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dscheck.cjs"), ...args], { cwd: repoRoot, encoding: "utf8", timeout: killMs, env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

describe("bivalence in a supervised thread", () => {
  it("an action with an endless loop, --time-limit 2: exit 3 within 15 s, naming the time limit", { timeout: 30_000 }, () => {
    const r = run(["bivalence", fixture, "--param", "runaway=loop", "--time-limit", "2", "--no-typecheck"], 25_000);
    expect(r.signal, "stopped by the CLI, not by the test's kill").toBeNull();
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.stdout).toMatch(/INCOMPLETE: time limit of 2\.0 s/);
  });

  it("the same with --json and --md: one schema-valid object, status incomplete, and the report file", { timeout: 30_000 }, () => {
    const md = join(mkdtempSync(join(tmpdir(), "dscheck-biv-")), "r.md");
    const r = run(["bivalence", fixture, "--param", "runaway=loop", "--time-limit", "1", "--json", "--md", md, "--no-typecheck"], 25_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.status).toBe("incomplete");
    expect(report.error).toMatch(/time limit/);
    expect(readFileSync(md, "utf8")).toMatch(/time limit/);
  });

  it("an action that allocates without bound, --max-memory 200: exit 3 (not 134), naming the memory budget", { timeout: 120_000 }, () => {
    const r = run(["bivalence", fixture, "--param", "runaway=alloc", "--max-memory", "200", "--json", "--no-typecheck"], 100_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(validate(report)).toBe(true);
    expect(report.status).toBe("incomplete");
    expect(String(report.error)).toMatch(/memory budget of 200 MB/);
  });

  it("with an action that returns, the same fixture is analysed to the end (exit 0)", { timeout: 30_000 }, () => {
    const r = run(["bivalence", fixture, "--param", "runaway=none", "--time-limit", "10", "--json", "--no-typecheck"], 25_000);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe("ok");
    expect(report.graph.distinctStates).toBe(2);
    expect(report.counts.univalent).toEqual([{ value: 0, states: 2 }, { value: 1, states: 0 }]);
  });
});
