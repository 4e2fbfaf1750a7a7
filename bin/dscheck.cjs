#!/usr/bin/env node
// Entry point. Runs the compiled CLI in dist/ (built by `npm run build`, which `npm ci` and
// `npm pack` run as `prepare`) when it is there and current; otherwise the TypeScript
// sources through tsx, so a checkout that was never built (or `npm ci --ignore-scripts`)
// still works, and one edited since the build never runs stale code. "Current" means no
// file under checker/, cli/, traces/ or report/ is newer than the build's start (checked only in a
// checkout: the published package ships dist/ alone). DSCHECK_FROM_SOURCE=1 forces the
// sources; DSCHECK_FROM_DIST=1 runs dist/ whenever it exists (the start-up bench).
//
// tsx (cli/loader.mjs) is installed here only for the sources; compiled code installs it
// just before it imports a user's .ts spec (cli/load-spec.ts), so that its own modules load
// without tsx's hooks (about 0.2 s of start-up for explore or trace validate).
//
// CommonJS, not an ES module: an ES entry starts node's ES module loader first, 7-11 ms of
// a `history check` here; the history bundle is required, everything else imported.
"use strict";
const { existsSync, readdirSync, readFileSync, statSync } = require("node:fs");
const nodeModule = require("node:module");
const { pathToFileURL } = require("node:url");

// Node 22.1+: V8's code cache for the modules loaded (on disk, in the OS temporary folder),
// which roughly halves the start-up of the compiled CLI; absent on Node 20, where this does nothing.
try {
  nodeModule.enableCompileCache?.();
} catch {
  // A cache folder that cannot be written only costs speed.
}

// A reader that goes away (`dscheck ... | head`) is not an error of ours; any other failure
// to write a report is bad output (exit 2). No fault of ours may exit 1, the violation code.
// Attached when a stream is first used: making process.stdout for a pipe loads net and stream
// (a few ms), which commands that write with writeSync (cli/output.ts) never need.
const onStreamError = (e) => process.exit(e.code === "EPIPE" ? (process.exitCode ?? 0) : 2);
let streamsMade = false;
for (const name of ["stdout", "stderr"]) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  if (typeof own?.get !== "function" || !own.configurable) {
    streamsMade = true;
    process[name].on("error", onStreamError);
    continue;
  }
  let stream;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      if (stream === undefined) (stream = own.get.call(process)).on("error", onStreamError);
      streamsMade = true;
      return stream;
    },
  });
}
function internalError(e) {
  try {
    process.stderr.write(`dscheck: internal error: ${e?.stack ?? e}\n`);
  } finally {
    process.exit(2);
  }
}
process.on("uncaughtException", internalError);

const root = pathToFileURL(`${__dirname}/../`);

/** The newest modification time under `dir`, or Infinity as soon as one passes `limit`. */
function newerThan(dir, limit) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (newerThan(path, limit)) return true;
    } else if (statSync(path).mtimeMs > limit) return true;
  }
  return false;
}

function compiledIsCurrent() {
  if (process.env.DSCHECK_FROM_SOURCE === "1") return false;
  if (!existsSync(new URL("dist/cli/main.js", root))) return false;
  if (process.env.DSCHECK_FROM_DIST === "1") return true;
  if (!existsSync(new URL("checker/index.ts", root))) return true; // an installed package: dist/ is all there is
  let info;
  try {
    info = JSON.parse(readFileSync(new URL("dist/build-info.json", root), "utf8"));
  } catch {
    return false;
  }
  const base = decodeURIComponent(root.pathname);
  return !["checker", "cli", "traces", "report"].some((d) => newerThan(base + d, info.startedMs));
}

async function run() {
  const argv = process.argv.slice(2);
  const compiled = compiledIsCurrent();
  const cli = compiled ? "../dist/cli/" : "../cli/";
  if (!compiled) {
    const { installLoader } = await import(`${cli}loader.mjs`);
    installLoader();
  }
  // The history commands have a bundle of their own (bin/bundle-history.mjs): one file, loaded with V8's code cache.
  const loader = `${__dirname}/../dist/bundle/load.cjs`;
  const bundle = compiled && argv.find((a) => !a.startsWith("-")) === "history" && existsSync(loader);
  const { main } = bundle ? require(loader) : await import(compiled ? "../dist/cli/main.js" : "../cli/main.ts");
  process.exitCode = await main(argv);
  // A history command is done when main returns, and it writes with writeSync: unless a stream
  // was made (which may still hold writes), exit now. Left to itself, node first waits for
  // V8's background compile jobs, useless by now (5-17 ms after a history check here).
  if (bundle && !streamsMade) process.exit();
}

// An error here is ours, not a violation: exit 2.
run().catch(internalError);
