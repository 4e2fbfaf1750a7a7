/**
 * Trace-validation benchmark.
 *
 * - Fully logged: a 1 M-line trace of one seeded random run of TwoPhase with 16 RMs, written
 *   as lbinria's instrumented implementation logs it (event, RM argument, and an update
 *   operation for every variable the step writes), generated once into os.tmpdir() (same
 *   seed, same bytes; regenerated when missing). Validated through the CLI (`dscheck trace
 *   validate`, wall time from process start) and through the library (`traceLineBatches`
 *   into a `TraceValidator`, in a process of its own so that peak RSS is the workload's; wall
 *   time from reading the config, after module loading). CPU seconds (whole process) are
 *   printed beside, steadier on a shared machine. A second file has the same lines made
 *   unique, so that the reader's memory of repeated lines never helps.
 * - Partial: the 16-RM lbinria traces (../shared/corpora/lbinria-TwoPhase) with
 *   conf.16RM.ndjson, lines/s and peak candidate states; V and E log too little to pin the
 *   RMs down and run into the time limit (reported as such).
 *
 * `node --import tsx bench/trace.ts` runs it alone; `--library FILE CONF` is the child mode.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BoundSpec, TraceValidator } from "../checker/index.ts";
import { readConfig, traceLineBatches } from "../traces/trace-log/read.ts";
import twoPhase from "../specs/two-phase-commit.ts";
import { prng } from "./prng.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SPEC = "specs/two-phase-commit.ts";
const RMS = 16;
const LINES = 1_000_000;
const SEED = 20261201;
const PARTIAL_TIME_LIMIT_S = 20;

function corpusDir(): string | undefined {
  const dir = join(process.env.DSCHECK_CORPORA ?? join(root, "../shared/corpora"), "lbinria-TwoPhase/BenchMarks");
  return existsSync(dir) ? dir : undefined;
}


type Op = { op: string; path: unknown[]; args: unknown[] };
/** What lbinria's TwoPhase implementation logs for each action (its instrumentation). */
function logged(action: string, rm: string | undefined): Record<string, Op[]> {
  const up = (path: unknown[], v: unknown): Op => ({ op: "Update", path, args: [v] });
  const add = (v: unknown): Op => ({ op: "AddElement", path: [], args: [v] });
  switch (action) {
    case "TMCommit":
      return { msgs: [add({ type: "Commit" })], tmState: [up([], "done")] };
    case "TMAbort":
      return { msgs: [add({ type: "Abort" })], tmState: [up([], "done")] };
    case "TMRcvPrepared":
      return { tmPrepared: [add(rm)] };
    case "RMPrepare":
      return { msgs: [add({ type: "Prepared", rm })], rmState: [up([rm], "prepared")] };
    case "RMChooseToAbort":
    case "RMRcvAbortMsg":
      return { rmState: [up([rm], "aborted")] };
    case "RMRcvCommitMsg":
      return { rmState: [up([rm], "committed")] };
  }
  throw new Error(`no logging for ${action}`);
}

/**
 * Writes `lines` lines of one random run of TwoPhase (rms RMs): at each step an enabled
 * instance is picked uniformly (guards evaluated, then only the picked successor computed).
 * The run reaches a final TM state early; from there on the RMs' receipts repeat (self-loops),
 * as a long-lived system's log of one transaction would.
 */
export function generateFullyLogged(file: string, rms = RMS, lines = LINES, seed = SEED): void {
  const model = new BoundSpec(twoPhase as never, { rms });
  const names = Array.from({ length: rms }, (_, i) => `rm-${i}`);
  const random = prng(seed);
  let state = model.initialStates()[0];
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  let buffer: string[] = [];
  for (let n = 0; n < lines; n++) {
    const enabled: { a: number; args: readonly unknown[]; lists: readonly (readonly unknown[])[] }[] = [];
    for (let a = 0; a < model.actionCount; a++) {
      const lists = model.instancesOf(a, state);
      for (const args of lists) if (model.failingGuards(a, state, args).length === 0) enabled.push({ a, args, lists });
    }
    const pick = enabled[Math.floor(random() * enabled.length)];
    let next: unknown;
    model.actionSuccessorsWhere(pick.a, state, (args) => args === pick.args, (_l, s) => (next = s), pick.lists);
    if (next === undefined) throw new Error("the TwoPhase run got stuck");
    const action = model.actionNames[pick.a];
    const rm = pick.args.length ? names[pick.args[0] as number] : undefined;
    buffer.push(JSON.stringify({ ...logged(action, rm), event: action, ...(rm !== undefined ? { event_args: [rm] } : {}) }));
    if (buffer.length === 10_000) {
      writeSync(fd, buffer.join("\n") + "\n");
      buffer = [];
    }
    state = next;
  }
  if (buffer.length) writeSync(fd, buffer.join("\n") + "\n");
  closeSync(fd);
  renameSync(tmp, file);
}

/** The benchmark trace, generated on first use (the name carries every input of the generator). */
export function fullyLoggedTrace(): string {
  const file = join(tmpdir(), `dscheck-bench-twophase-${RMS}rm-${LINES}-seed${SEED}-v1.ndjson`);
  if (!existsSync(file)) generateFullyLogged(file);
  return file;
}

/**
 * The same run with a sequence number on every line (`"seq": n`, a field the mapping ignores):
 * no two lines alike, as in a log with timestamps, so the reader's memory of repeated lines
 * never hits and every line is parsed.
 */
export function distinctLinesTrace(): string {
  const file = fullyLoggedTrace().replace(/\.ndjson$/, "-seq.ndjson");
  if (existsSync(file)) return file;
  const lines = readFileSync(fullyLoggedTrace(), "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  for (let i = 0; i < lines.length; i += 10_000) writeSync(fd, lines.slice(i, i + 10_000).map((l, k) => `${l.slice(0, -1)},"seq":${i + k + 1}}`).join("\n") + "\n");
  closeSync(fd);
  renameSync(tmp, file);
  return file;
}

interface Figures {
  status: string;
  lines: number;
  peakCandidates: number;
  seconds: number;
  /** CPU time of the whole process (start-up included): steadier than wall time on a shared machine. */
  cpuSeconds?: number;
  peakRssMB?: number;
  exit?: number | null;
  /** CLI: the trace's own time (from opening it to the verdict), without the process start-up. */
  ownSeconds?: number;
}

/** Child mode: one library run, figures as JSON on stdout. */
async function libraryRun(file: string, conf: string, timeLimitS?: number, reuse = true): Promise<void> {
  const t0 = performance.now();
  // Without `lineFields` the reader cannot tell a stamp from what a line says: every stamped
  // line is parsed and decoded, and no line is recognised by the validator (nothing reused).
  const spec = reuse ? twoPhase : { ...twoPhase, trace: { ...twoPhase.trace, lineFields: undefined } };
  const v = new TraceValidator(spec as never, { config: await readConfig(conf), now: () => performance.now(), maxCandidates: 2_000_000, ...(timeLimitS ? { timeLimitMs: timeLimitS * 1000 } : {}) });
  for await (const batch of traceLineBatches(file, "ndjson", v.variableNames, v.lineFields)) {
    for (const line of batch) {
      v.push(line);
      if (v.done) break;
    }
    if (v.done) break;
  }
  const r = v.finish();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  const out: Figures = { status: r.status, lines: r.lines, peakCandidates: r.peakCandidates, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(out) + "\n");
}

function library(file: string, conf: string, timeLimitS?: number, reuse = true): Figures | string {
  const child = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "trace.ts"), "--library", file, conf, timeLimitS ? String(timeLimitS) : "-", reuse ? "reuse" : "fresh"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  if (child.status !== 0) return `failed: ${child.stderr.split("\n").slice(0, 3).join(" ")}`;
  return JSON.parse(child.stdout.trim().split("\n").pop()!);
}

/** One CLI call, wall time from process start; peak RSS through /usr/bin/time when installed. */
function cli(file: string, conf: string, timeLimitS?: number): Figures | string {
  const args = [join(root, "bin", "dscheck.cjs"), "trace", "validate", SPEC, file, "--config", conf, "--json", "--no-typecheck", ...(timeLimitS ? ["--time-limit", String(timeLimitS)] : [])];
  const timed = existsSync("/usr/bin/time");
  const t0 = performance.now();
  const child = timed
    ? spawnSync("/usr/bin/time", ["-f", "maxrss-kb=%M cpu-s=%U+%S", process.execPath, ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 })
    : spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  try {
    const report = JSON.parse(child.stdout);
    const t = report.traces[0];
    const rss = /maxrss-kb=(\d+)/.exec(child.stderr)?.[1];
    const cpu = /cpu-s=([\d.]+)\+([\d.]+)/.exec(child.stderr);
    return { status: t.status, lines: t.lines, peakCandidates: t.peakCandidates, seconds, ...(typeof t.seconds === "number" ? { ownSeconds: t.seconds } : {}), exit: child.status, ...(rss ? { peakRssMB: Number(rss) / 1024 } : {}), ...(cpu ? { cpuSeconds: Number(cpu[1]) + Number(cpu[2]) } : {}) };
  } catch {
    return `failed (exit ${child.status}): ${child.stderr.split("\n").slice(0, 3).join(" ")}`;
  }
}

const row = (name: string, f: Figures | string, withCpu = true) =>
  typeof f === "string"
    ? `  ${name}: ${f}`
    : `  ${name.padEnd(34)} ${f.status.padEnd(10)} ${String(f.lines).padStart(8)} lines ${f.seconds.toFixed(2).padStart(7)} s ${Math.round(f.lines / f.seconds).toString().padStart(9)} lines/s  peak ${f.peakCandidates} candidates${withCpu && f.cpuSeconds !== undefined ? `  CPU ${f.cpuSeconds.toFixed(2)} s with start-up (${Math.round(f.lines / f.cpuSeconds)} lines per CPU s)` : ""}${f.peakRssMB !== undefined ? `  peak RSS ${f.peakRssMB.toFixed(0)} MB` : ""}${f.ownSeconds !== undefined ? `  (the trace alone ${f.ownSeconds.toFixed(2)} s: ${Math.round(f.lines / f.ownSeconds)} lines/s)` : ""}${f.exit !== undefined ? `  exit ${f.exit}` : ""}`;

/** Runs the benchmark and returns the lines to print. */
export async function benchTrace(): Promise<string[]> {
  const dir = corpusDir();
  if (!dir) return ["trace: the lbinria corpus (../shared/corpora/lbinria-TwoPhase) was not found (set DSCHECK_CORPORA); skipped"];
  const conf = join(dir, "conf.16RM.ndjson");
  const g0 = performance.now();
  const file = fullyLoggedTrace();
  const generated = (performance.now() - g0) / 1000;
  const lines = [
    `trace validation (TwoPhase, 16 RMs; Node ${process.version})`,
    `  fully logged: one seeded random run, ${LINES.toLocaleString("en")} lines, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB (${file}${generated > 0.5 ? `, generated in ${generated.toFixed(1)} s` : ", cached"})`,
    row("library (traceLineBatches + TraceValidator)", library(file, conf)),
    row("CLI (dscheck trace validate --json)", cli(file, conf)),
    `  the same run, every line made unique by a "seq" field (which the mapping does not read: lineFields []):`,
    row("library", library(distinctLinesTrace(), conf)),
    row("CLI", cli(distinctLinesTrace(), conf)),
    row("library, nothing reused (no lineFields)", library(distinctLinesTrace(), conf, undefined, false)),
    `  partial lbinria traces, library, conf.16RM.ndjson, time limit ${PARTIAL_TIME_LIMIT_S} s (as --time-limit; seconds from the validator's start):`,
  ];
  for (const kind of ["VEA", "VpEA", "EA", "V", "E"]) {
    const trace = join(dir, `trace.ndjson.16RM.${kind}`);
    const f = library(trace, conf, PARTIAL_TIME_LIMIT_S);
    lines.push(row(`16RM.${kind}`, f, false) + (typeof f !== "string" && f.status === "incomplete" ? ` (time limit: stopped in line ${f.lines})` : ""));
  }
  return lines;
}

const argv = process.argv.slice(2);
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (argv[0] === "--library") await libraryRun(argv[1], argv[2], argv[3] && argv[3] !== "-" ? Number(argv[3]) : undefined, argv[4] !== "fresh");
  else for (const line of await benchTrace()) console.log(line);
}
