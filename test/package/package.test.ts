/**
 * The package as another project gets it: `npm pack`, the tarball installed into a
 * temporary project (from npm's cache: no network needed once `npm ci` ran), the public API
 * imported from a plain .mjs program (no tsx), the bin run on a spec, a history and --junit.
 * And the package checked with publint and @arethetypeswrong/cli.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.ts";
import { installTarball, npm, packDscheck } from "./packed.ts";

const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);
let work: string;
let project: string;
let tarball: string;

beforeAll(() => {
  // `npm pack` runs `prepare` (the build) first, so the tarball holds a current dist/.
  ({ work, tarball } = packDscheck("dscheck-pack-"));
  project = join(work, "project");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }));
  installTarball(project, tarball);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds the compiled code and declarations, not the TypeScript sources", () => {
    const files: string[] = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot, encoding: "utf8" }))[0].files.map((f: { path: string }) => f.path);
    expect(files).toContain("dist/checker/index.js");
    expect(files).toContain("dist/checker/index.d.ts");
    expect(files).toContain("dist/cli/main.js");
    expect(files).toContain("dist/traces/schemas/history.schema.json");
    expect(files).toContain("bin/dscheck.cjs");
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.some((f) => f.startsWith("test/") || f.startsWith("specs/"))).toBe(false);
  });

  it("imports from a plain .mjs program, without tsx", () => {
    const program = `
      import { defineSpec, explore, always, replay, validateTrace, exploreGraph, exploreParallel } from "dscheck";
      import { checkHistory, builtinModel, readHistory } from "dscheck/history";
      import { checkIsolation, LEVELS } from "dscheck/isolation";
      const spec = defineSpec({
        name: "Counter", params: { n: { default: 3, min: 1, integer: true } },
        init: () => [{ count: 0 }],
        actions: [{ name: "Inc", next: (s, _a, { n }) => (s.count < n ? { count: s.count + 1 } : null) }],
        properties: { Small: always((s) => s.count <= 3) }, deadlockIsError: false,
      });
      const r = explore(spec, {});
      const text = '[{:process 0, :type :invoke, :f :write, :value 1}\\n {:process 0, :type :ok, :f :write, :value 1}]';
      const h = readHistory(text, "h.edn");
      const c = checkHistory(builtinModel("register", { init: 0 }), h.ops, {});
      console.log(JSON.stringify({ status: r.status, distinct: r.distinctStates, history: c.status, levels: LEVELS.length,
        fns: [replay, validateTrace, exploreGraph, exploreParallel, checkIsolation].every((f) => typeof f === "function") }));
    `;
    writeFileSync(join(project, "program.mjs"), program);
    const r = spawnSync(process.execPath, ["program.mjs"], { cwd: project, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "ok", distinct: 4, history: "ok", fns: true });
  });

  it("runs the bin: --version, a spec loaded from .ts, a history with --junit", () => {
    const dscheck = join(project, "node_modules", ".bin", "dscheck");
    const version = spawnSync(dscheck, ["--version"], { cwd: project, encoding: "utf8" });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);

    writeFileSync(join(project, "counter.ts"), `import { always, defineSpec } from "dscheck";
interface S { readonly count: number }
export default defineSpec({
  name: "Counter", params: {},
  init: (): S[] => [{ count: 0 }],
  actions: [{ name: "Inc", next: (s: S) => (s.count < 2 ? { count: s.count + 1 } : null) }],
  properties: { Small: always((s: S) => s.count <= 1) },
  deadlockIsError: false,
});
`);
    const explore = spawnSync(dscheck, ["explore", "counter.ts", "--junit", "explore.xml"], { cwd: project, encoding: "utf8" });
    expect(explore.stderr).toBe("");
    expect(explore.status).toBe(1);
    expect(explore.stdout).toContain("VIOLATION of Small");
    expect(readFileSync(join(project, "explore.xml"), "utf8")).toContain('<testcase name="Small"');

    writeFileSync(join(project, "h.edn"), "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}]\n");
    const history = spawnSync(dscheck, ["history", "check", "h.edn", "--model", "register", "--init", "0", "--junit", "h.xml"], { cwd: project, encoding: "utf8" });
    expect(history.status).toBe(0);
    expect(existsSync(join(project, "h.xml"))).toBe(true);
  });

  it("runs compiled code: the installed package has no .ts to fall back to", () => {
    const root = join(project, "node_modules", "dscheck");
    expect(existsSync(join(root, "dist", "cli", "main.js"))).toBe(true);
    expect(existsSync(join(root, "cli"))).toBe(false);
    expect(existsSync(join(root, "checker"))).toBe(false);
  });
});

describe("package lint", () => {
  it("publint finds nothing", () => {
    const r = spawnSync(bin("publint"), ["--strict"], { cwd: repoRoot, encoding: "utf8" });
    expect(r.stdout + r.stderr).toContain("All good");
    expect(r.status).toBe(0);
  }, 120_000);

  it("are-the-types-wrong: every entry resolves with types under node16 ESM and bundlers", () => {
    // The package is ESM-only (Node 20+): CommonJS and node10 resolution are not targets.
    const r = spawnSync(bin("attw"), [tarball, "--profile", "esm-only", "--format", "json"], { cwd: repoRoot, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const problems = (report.analysis.problems ?? []).filter((p: { resolutionKind?: string }) => p.resolutionKind !== "node10" && p.resolutionKind !== "node16-cjs");
    expect(problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints)).toEqual([".", "./history", "./isolation", "./package.json"]);
  }, 120_000);
});
