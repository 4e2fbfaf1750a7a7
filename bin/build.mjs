#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` and `npm pack` run it): compiles checker/,
// cli/ and traces/ to dist/ with type declarations (tsconfig.build.json), copies the JSON
// schemas the readers load at run time, and records when the build started in
// dist/build-info.json. bin/dscheck.cjs runs dist/ when it is there and no source file is
// newer than that; otherwise it runs the .ts sources through tsx (a checkout that never
// built, or one edited since, is never run stale).
//
// Type errors do not stop the build (tsc still emits, noEmitOnError is off): `npm run
// typecheck` and the tests are where they fail, and a type error in one engineer's file
// must not make `npm ci` fail for everyone. A build that emits nothing fails.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleHistory } from "./bundle-history.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const tmp = join(root, `.dist-build-${process.pid}`);
rmSync(tmp, { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
const run = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", tmp, "--pretty", "false"], { encoding: "utf8", cwd: root });
if (run.error || !existsSync(join(tmp, "checker", "index.js")) || !existsSync(join(tmp, "cli", "main.js"))) {
  process.stderr.write(`dscheck build: tsc emitted no dist/ (${run.error?.message ?? `exit ${run.status}`})\n${run.stdout}${run.stderr}`);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}
if (run.status !== 0) {
  const errors = (run.stdout + run.stderr).split("\n").filter((l) => /error TS\d+/.test(l));
  process.stderr.write(`dscheck build: emitted dist/ despite ${errors.length} type error(s) (npm run typecheck lists them):\n${errors.slice(0, 5).join("\n")}\n`);
}
cpSync(join(root, "traces", "schemas"), join(tmp, "traces", "schemas"), { recursive: true });
const noBundle = await bundleHistory(tmp);
if (noBundle) process.stderr.write(`dscheck build: no history bundle (${noBundle}): \`history\` commands run dist/cli/\n`);
writeFileSync(join(tmp, "build-info.json"), JSON.stringify({ startedMs: started }) + "\n");
rmSync(join(root, "dist"), { recursive: true, force: true });
renameSync(tmp, join(root, "dist"));
process.stderr.write(`dscheck build: dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
