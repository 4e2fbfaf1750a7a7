/**
 * Start-up: `dscheck --version` and `dscheck history check` on a four-operation history, as
 * the median wall time of repeated runs, next to `node -e 0`. The target (issue 11) is at
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
const bin = join(root, "bin", "dscheck.mjs");

function median(cmd: string[], env: Record<string, string> = {}, runs = 21): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, cmd, { stdio: "ignore", env: { ...process.env, ...env } });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${cmd.join(" ")} exited ${r.status}`);
    if (i >= 2) times.push(ms); // two warm-up runs: the file cache, not the CLI, is what they measure
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
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
  const base = median(["-e", "0"]);
  const rows: [string, number][] = [
    ["dscheck --version (compiled)", median([bin, "--version"], compiled)],
    ["dscheck history check, 4 ops (compiled)", median(check, compiled)],
    ["dscheck --version (compiled, with the checkout's staleness check)", median([bin, "--version"])],
    ["dscheck --version (sources via tsx)", median([bin, "--version"], { DSCHECK_FROM_SOURCE: "1" }, 7)],
    ["dscheck history check, 4 ops (sources via tsx)", median(check, { DSCHECK_FROM_SOURCE: "1" }, 7)],
  ];
  const lines = [`node -e 0: ${base.toFixed(0)} ms (median of 21)`];
  for (const [what, ms] of rows) lines.push(`${what}: ${ms.toFixed(0)} ms = ${(ms / base).toFixed(2)}x node -e 0${what.includes("compiled") ? (ms / base <= 3 ? "  (target <= 3x: met)" : "  (target <= 3x: NOT met)") : ""}`);
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await benchStartup()) console.log(line);
}
