/**
 * Start-up: `dscheck --version` and `dscheck history check` on a four-operation history, as
 * the median wall time of repeated runs, each run right after a `node -e 0`. The target (issue 11) is at
 * most 3x `node -e 0` for the compiled CLI (dist/, run when current); the sources through
 * tsx (DSCHECK_FROM_SOURCE=1, what a checkout edited since its build runs) are shown beside.
 * `npm run bench -- --only startup`, or `npm run bench:startup`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "dscheck.cjs");

function runMs(cmd: string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, cmd, { stdio: "ignore", env: { ...process.env, ...env } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} exited ${r.status}`);
  return ms;
}

const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Median wall time of `cmd` and the median of its ratio to `node -e 0` run right before it
 * each time: the machine is shared, and a ratio of neighbours drifts less than two medians.
 */
function measure(cmd: string[], env: Record<string, string> = {}, runs = 21): { ms: number; base: number; ratio: number } {
  const times: number[] = [];
  const bases: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const base = runMs(["-e", "0"]);
    const ms = runMs(cmd, env);
    if (i < 2) continue; // two warm-up runs: the file cache, not the CLI, is what they measure
    times.push(ms);
    bases.push(base);
  }
  return { ms: mid(times), base: mid(bases), ratio: mid(times.map((t, i) => t / bases[i])) };
}

export async function benchStartup(): Promise<string[]> {
  // A fresh build, run as such (DSCHECK_FROM_DIST=1: files edited meanwhile do not send it to the sources).
  spawnSync(process.execPath, [join(root, "bin", "build.mjs")], { stdio: "inherit" });
  if (!existsSync(join(root, "dist", "cli", "main.js"))) throw new Error("the build made no dist/");
  const compiled = { DSCHECK_FROM_DIST: "1" };
  const dir = mkdtempSync(join(tmpdir(), "dscheck-startup-"));
  const history = join(dir, "h.edn");
  writeFileSync(history, "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :ok, :f :read, :value 1}]\n");
  const check = [bin, "history", "check", history, "--model", "register", "--init", "0"];
  const rows: [string, ReturnType<typeof measure>][] = [
    ["dscheck --version (compiled)", measure([bin, "--version"], compiled)],
    ["dscheck history check, 4 ops (compiled)", measure(check, compiled)],
    ["dscheck --version (as a checkout runs it: dist/ when no source is newer, else the sources)", measure([bin, "--version"])],
    ["dscheck --version (sources via tsx)", measure([bin, "--version"], { DSCHECK_FROM_SOURCE: "1" }, 7)],
    ["dscheck history check, 4 ops (sources via tsx)", measure(check, { DSCHECK_FROM_SOURCE: "1" }, 7)],
  ];
  const lines = [`node -e 0 run before each: ${mid(rows.map(([, r]) => r.base)).toFixed(0)} ms (median of the medians); ratios are medians of neighbour ratios`];
  for (const [what, r] of rows) {
    const target = what.includes("(compiled)") ? (r.ratio <= 3 ? "  (target <= 3x: met)" : "  (target <= 3x: NOT met)") : "";
    lines.push(`${what}: ${r.ms.toFixed(0)} ms = ${r.ratio.toFixed(2)}x node -e 0 (${r.base.toFixed(0)} ms)${target}`);
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await benchStartup()) console.log(line);
}
