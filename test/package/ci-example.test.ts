/**
 * The worked CI example (examples/ci/), run the way its workflow runs it, on a packed dscheck
 * installed into the example project. The commands are read from examples/ci/dscheck.yml
 * (parsed with `yaml`) and run as written, with only `${{ matrix.shard }}` filled in, so the
 * test fails when the workflow drifts from what works: each job gets its own folder (a fresh
 * checkout), artifacts go through upload-artifact's and download-artifact's `with` settings,
 * and a step this test does not know how to stand in for fails it.
 *
 * The oracle for the merged verdicts is one unsharded `trace validate` of every trace; the
 * example's point (double-grant and token-reuse rejected, the rest valid) is checked too.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.ts";
import { installTarball, packDscheck } from "./packed.ts";

const EXAMPLE = join(repoRoot, "examples", "ci");
const PROJECT_FILES = ["package.json", "specs", "traces"];
const REJECTED = ["traces/double-grant.ndjson", "traces/token-reuse.ndjson"];

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}

const workflow = parse(readFileSync(join(EXAMPLE, "dscheck.yml"), "utf8")) as { jobs: Record<string, Job> };
let work: string;
let installed: string; // the project with dscheck installed from the tarball
let artifacts: string;

beforeAll(() => {
  let tarball: string;
  ({ work, tarball } = packDscheck("dscheck-ci-example-"));
  installed = join(work, "installed");
  mkdirSync(installed);
  for (const f of PROJECT_FILES) cpSync(join(EXAMPLE, f), join(installed, f), { recursive: true });
  // The workflow's `npm install`: dscheck, the devDependency, from the tarball.
  installTarball(installed, tarball, ["--save-dev"]);
  artifacts = join(work, "artifacts");
  mkdirSync(artifacts);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A job's machine: a fresh checkout of the example, with the installed node_modules. */
function machine(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const f of PROJECT_FILES) cpSync(join(EXAMPLE, f), join(dir, f), { recursive: true });
  symlinkSync(join(installed, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** `${{ matrix.x }}` filled in; any other expression is one this test cannot evaluate. */
function expand(text: string, matrix: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (all, expr: string) => {
    const m = /^matrix\.(\w+)$/.exec(expr);
    if (!m || !(m[1] in matrix)) throw new Error(`the workflow uses ${all}, which this test does not evaluate`);
    return String(matrix[m[1]]);
  });
}

interface StepRun {
  step: Step;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a job's steps in `dir` as the runner would (bash -e, GITHUB_ACTIONS set, a step
 * summary file); `uses:` steps are stood in for, `npm install`/`npm ci` was done once for
 * all machines. Steps after a failing one run only with `if: always()`.
 */
function runJob(job: Job, dir: string, matrix: Record<string, unknown>): StepRun[] {
  const runs: StepRun[] = [];
  let failed = false;
  for (const step of job.steps) {
    if (failed && step.if !== "always()") continue;
    const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, typeof v === "string" ? expand(v, matrix) : v]));
    if (step.uses) {
      const action = step.uses.replace(/@.*$/, "");
      if (action === "actions/checkout" || action === "actions/setup-node") continue; // machine() is the checkout; this is Node 20+
      if (action === "actions/upload-artifact") {
        const into = join(artifacts, String(w.name));
        mkdirSync(into, { recursive: true });
        for (const path of String(w.path).split("\n").map((p) => p.trim()).filter((p) => p)) {
          // upload-artifact warns about a missing file; for the example that is a broken step.
          expect(existsSync(join(dir, path)), `${w.name}: ${path}`).toBe(true);
          cpSync(join(dir, path), join(into, path));
        }
        continue;
      }
      if (action === "actions/download-artifact") {
        expect(w["merge-multiple"]).toBe(true);
        const pattern = new RegExp(`^${String(w.pattern).replace(/[.+?^$()[\]{}|\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
        const into = join(dir, String(w.path ?? "."));
        mkdirSync(into, { recursive: true });
        for (const name of readdirSync(artifacts).filter((n) => pattern.test(n))) cpSync(join(artifacts, name), into, { recursive: true });
        continue;
      }
      throw new Error(`the workflow uses ${step.uses}, which this test does not stand in for`);
    }
    const script = expand(String(step.run), matrix);
    if (/^npm (ci|install)\b/.test(script)) continue;
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", npm_config_offline: "true", GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: join(dir, "step-summary.md") };
    const r = spawnSync("bash", ["-e", "-c", script], { cwd: dir, encoding: "utf8", env, timeout: 180_000 });
    runs.push({ step, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) failed = true;
  }
  return runs;
}

const dscheckRun = (runs: StepRun[], command: string) => {
  const found = runs.filter((r) => new RegExp(`\\bdscheck ${command}\\b`).test(String(r.step.run)));
  expect(found, `one step runs dscheck ${command}`).toHaveLength(1);
  return found[0];
};

describe("examples/ci: the workflow's steps, run locally on the packed package", () => {
  it("validates the traces on the shards, merges them: the verdicts and exit code of one unsharded run", () => {
    const { validate, merge } = workflow.jobs;
    expect(merge.needs).toBe("validate");
    const shards = validate.strategy!.matrix!.shard as number[];
    expect(shards).toEqual([1, 2, 3, 4]);
    const shardStep = validate.steps.find((s) => /dscheck trace validate/.test(s.run ?? ""))!;
    expect(shardStep.run).toContain(`--shard \${{ matrix.shard }}/${shards.length}`);

    // The oracle: every trace in one run, on the installed package.
    const whole = spawnSync("bash", ["-c", "npx dscheck trace validate specs/lock.ts traces/*.ndjson --json"], { cwd: installed, encoding: "utf8", env: { ...process.env, npm_config_offline: "true" } });
    expect(whole.status, whole.stderr).toBe(1);
    const expected = new Map<string, string>(JSON.parse(whole.stdout).traces.map((t: { file: string; status: string }) => [t.file, t.status]));
    expect([...expected].filter(([, s]) => s !== "valid").map(([f]) => f)).toEqual(REJECTED);

    // Two shards, then the merge job: a shard that never ran is an error (exit 2), not a pass.
    const shardRuns = new Map<number, StepRun>();
    const runShard = (i: number) => shardRuns.set(i, dscheckRun(runJob(validate, machine(`shard-${i}`), { shard: i }), "trace validate"));
    runShard(1);
    runShard(2);
    const early = dscheckRun(runJob(merge, machine("merge-early"), {}), "merge");
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/^error: shards\/result-3\.json: cannot read: ENOENT$/m);
    runShard(3);
    runShard(4);

    // Each shard: its traces' worst verdict as exit code, an annotation at each rejected line.
    for (const [i, r] of shardRuns) {
      const mine = JSON.parse(readFileSync(join(work, `shard-${i}`, `result-${i}.json`), "utf8")).traces.map((t: { file: string }) => t.file);
      expect(r.code, r.stderr).toBe(mine.some((f: string) => REJECTED.includes(f)) ? 1 : 0);
      for (const f of mine.filter((f: string) => REJECTED.includes(f))) expect(r.stderr).toMatch(new RegExp(`^::error file=${f.replaceAll(".", "\\.")},line=\\d+,`, "m"));
    }
    const checked = [...shardRuns.keys()].flatMap((i) => JSON.parse(readFileSync(join(work, `shard-${i}`, `result-${i}.json`), "utf8")).traces.map((t: { file: string }) => t.file));
    expect(checked.sort()).toEqual([...expected.keys()].sort());

    const dir = machine("merge");
    const merged = dscheckRun(runJob(merge, dir, {}), "merge");
    expect(merged.code, merged.stderr).toBe(1);
    const lines = merged.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(expected.size + 1);
    for (const [file, status] of expected) {
      const line = lines.find((l) => l.startsWith(`${file}: `));
      expect(line, file).toMatch(status === "valid" ? /: VALID / : /: REJECTED at line \d+ \(event Acquire\)$/);
    }
    expect(lines.at(-1)).toBe(`${expected.size} result(s) of trace validate from 4 file(s): ${expected.size - REJECTED.length} hold, ${REJECTED.length} violated, 0 incomplete, 0 in error`);
    // The merged JUnit file (uploaded by the last step): a failure per rejected trace.
    expect(existsSync(join(artifacts, "dscheck-merged", "junit.xml"))).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => n === "testcase" }).parse(readFileSync(join(dir, "junit.xml"), "utf8"));
    const cases = xml.testsuites.testsuite.testcase as Record<string, any>[];
    expect(new Map(cases.map((c) => [c["@name"], c.failure ? "rejected" : c.error ? "error" : "valid"]))).toEqual(expected);
    expect(readFileSync(join(dir, "step-summary.md"), "utf8")).toContain("### dscheck merge (trace validate)");
  }, 600_000);
});
