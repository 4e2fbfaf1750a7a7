/**
 * The package as another project gets it, for the package tests: `npm pack` (which runs
 * `prepare`, the build, so the tarball holds a current dist/) and the tarball installed into
 * a temporary project from npm's cache (no network needed once `npm ci` ran).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../cli/run-cli.ts";

export const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const LOCK = join(tmpdir(), "dscheck-pack.lock");

/**
 * Two test files packing at once would both rebuild dist/ (the build replaces it whole), and
 * one tarball could miss files: packs take turns, through a lock directory (mkdir is atomic).
 */
function withPackLock<T>(f: () => T): T {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // A lock left by a killed run is stale after ten minutes.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 600_000 || Date.now() > deadline) rmdirSync(LOCK);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return f();
  } finally {
    rmdirSync(LOCK);
  }
}

/** Packs the repository into a new temporary folder; returns the folder and the tarball. */
export function packDscheck(prefix: string): { work: string; tarball: string } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const out = withPackLock(() => execFileSync(npm, ["pack", "--json", "--pack-destination", work], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  return { work, tarball: join(work, JSON.parse(out)[0].filename) };
}

/** Installs the tarball into `project` (a folder with a package.json), offline when the cache has everything. */
export function installTarball(project: string, tarball: string, extra: string[] = []): void {
  const install = (mode: string) => spawnSync(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", mode, ...extra, tarball], { cwd: project, encoding: "utf8" });
  let r = install("--offline");
  if (r.status !== 0) r = install("--prefer-offline");
  if (r.status !== 0) throw new Error(`npm install of the tarball failed:\n${r.stdout}\n${r.stderr}`);
}
