/**
 * Cuts benchmark (issue 13): `dscheck cuts` on seeded event logs of 200 k events, 16
 * processes and 20 k checkpoints, generated once into os.tmpdir() (same seed, same bytes).
 *
 * - uncoordinated: every tenth event is a checkpoint of a random process; sends go to a
 *   random other process and are received a little out of order (non-FIFO), some never.
 * - coordinated rounds: the same, plus 100 rounds in which every process checkpoints at one
 *   global instant (tagged with the round, so each round is a consistent global checkpoint).
 * - domino chain: two processes that checkpoint between each receive and the next send, so
 *   that every checkpoint is useless and recovering either one rolls both back to the start
 *   (the worst case for Z-cycle witnesses: each is short, the chain is long).
 *
 * Each step of `analyze` runs in one child process (so that peak RSS is the workload's), in
 * order: wall time and the peak RSS so far after the step. Then the whole CLI call
 * (`dscheck cuts <log> --recover p0 --json`, process start included; peak RSS through
 * /usr/bin/time when installed). `node --import tsx bench/cuts.ts` runs it alone;
 * `--steps FILE` is the child mode.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, renameSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyze, recoveryReport, roundReports } from "../checker/cuts/analyze.ts";
import { vectorClocks, verifyClocks } from "../checker/cuts/clocks.ts";
import { messageRef } from "../checker/cuts/cut.ts";
import { uselessCheckpoints } from "../checker/cuts/rollback.ts";
import { readEventLog } from "../traces/cuts/read.ts";
import { computationJson } from "../cli/commands/cuts.ts";
import { prng } from "./prng.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PROCESSES = 16;
const EVENTS = 200_000;
const SEED = 20261213;


export interface LogShape {
  readonly processes: number;
  readonly events: number;
  /** Coordinated rounds (0: none): each is `processes` consecutive checkpoint lines. */
  readonly rounds: number;
  /** A receive takes one of the first `window` messages pending for its process. */
  readonly window: number;
  readonly seed: number;
}

/**
 * Writes the log as one global execution, one event per line (so it is causally valid by
 * construction). Event e is a checkpoint when e % 10 === 9 (a random process), or a round's
 * checkpoint; otherwise the picked process receives one of its first `window` pending messages
 * (probability 0.45 when it has any), sends (to a random other process) or logs an internal event.
 */
export function generateLog(file: string, shape: LogShape): void {
  const rand = prng(shape.seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const pending: { id: number; from: number }[][] = Array.from({ length: shape.processes }, () => []);
  const roundEvery = shape.rounds > 0 ? Math.floor(shape.events / (shape.rounds + 1)) : Infinity;
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  let buf = "", msg = 0, ck = 0, round = 0;
  const put = (o: object) => {
    buf += JSON.stringify(o) + "\n";
    if (buf.length > 1 << 20) (writeSync(fd, buf), (buf = ""));
  };
  for (let e = 0; e < shape.events; e++) {
    if (round < shape.rounds && e > 0 && e % roundEvery === 0 && e + shape.processes <= shape.events) {
      round++;
      for (let p = 0; p < shape.processes; p++) put({ process: `p${p}`, kind: "checkpoint", id: `r${round}.p${p}`, round });
      e += shape.processes - 1;
      continue;
    }
    const p = pick(shape.processes);
    const mine = pending[p];
    if (e % 10 === 9) {
      put({ process: `p${p}`, kind: "checkpoint", id: `c${ck++}` });
    } else if (mine.length > 0 && rand() < 0.45) {
      const [m] = mine.splice(pick(Math.min(shape.window, mine.length)), 1);
      put({ process: `p${p}`, kind: "receive", msg: `m${m.id}`, from: `p${m.from}` });
    } else if (rand() < 0.85) {
      const q = (p + 1 + pick(shape.processes - 1)) % shape.processes;
      pending[q].push({ id: msg, from: p });
      put({ process: `p${p}`, kind: "send", msg: `m${msg++}`, to: `p${q}` });
    } else {
      put({ process: `p${p}`, kind: "internal" });
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  renameSync(tmp, file);
}

/** The domino chain: p1 sends a_i, p0 receives it and checkpoints, sends b_i, p1 receives it and checkpoints. */
export function generateDominoLog(file: string, events: number): void {
  const lines: string[] = [];
  for (let i = 0; lines.length < events; i++) {
    lines.push(
      JSON.stringify({ process: "p1", kind: "send", msg: `a${i}`, to: "p0" }),
      JSON.stringify({ process: "p0", kind: "receive", msg: `a${i}`, from: "p1" }),
      JSON.stringify({ process: "p0", kind: "checkpoint", id: `cp${i}` }),
      JSON.stringify({ process: "p0", kind: "send", msg: `b${i}`, to: "p1" }),
      JSON.stringify({ process: "p1", kind: "receive", msg: `b${i}`, from: "p0" }),
      JSON.stringify({ process: "p1", kind: "checkpoint", id: `cq${i}` }),
    );
  }
  writeFileSync(`${file}.${process.pid}.tmp`, lines.slice(0, events).join("\n") + "\n");
  renameSync(`${file}.${process.pid}.tmp`, file);
}

function logFile(shape: LogShape): string {
  const file = join(tmpdir(), `dscheck-bench-cuts-${shape.processes}p-${shape.events}e-${shape.rounds}r-${shape.window}w-${shape.seed}.ndjson`);
  if (!existsSync(file)) generateLog(file, shape);
  return file;
}

interface Step {
  readonly step: string;
  readonly ms: number;
  readonly peakRssMB: number;
  readonly detail: string;
}

/** Child mode: each step once, in order, on one log. */
async function stepsRun(file: string): Promise<void> {
  const steps: Step[] = [];
  const time = <T>(step: string, f: () => T, detail: (x: T) => string): T => {
    const t0 = performance.now();
    const x = f();
    steps.push({ step, ms: performance.now() - t0, peakRssMB: process.resourceUsage().maxRSS / 1024, detail: detail(x) });
    return x;
  };
  const t0 = performance.now();
  const comp = await readEventLog(file, { format: "ndjson" });
  steps.push({ step: "read + build", ms: performance.now() - t0, peakRssMB: process.resourceUsage().maxRSS / 1024, detail: `${comp.messages.length} messages, ${comp.checkpoints.reduce((a, c) => a + c.length - 1, 0)} checkpoints` });
  const clocks = time("vector clocks", () => vectorClocks(comp), () => "");
  time("verify clocks", () => verifyClocks(comp, clocks), (r) => `${r.total} errors`);
  time("recovery p0", () => recoveryReport(comp, [comp.processes.indexOf("p0")]), (r) => `${Object.values(r.rolledBackEvents).reduce((a, b) => a + b, 0)} events rolled back, domino ${r.dominoEffect}`);
  time("useless checkpoints", () => uselessCheckpoints(comp).map((u) => u.zCycle.map((m) => messageRef(comp, m))), (u) => `${u.length} useless, Z-cycles of ${u.reduce((a, z) => a + z.length, 0)} messages in all`);
  time("coordinated rounds", () => roundReports(comp, clocks), (r) => `${r.length} rounds, ${r.filter((x) => x.consistent).length} consistent`);
  const whole = time("analyze (all of the above)", () => analyze(comp, { recover: [0] }), (a) => a.analysis.status);
  time("JSON report (stringify)", () => JSON.stringify({ ...whole.analysis, computation: computationJson(comp) }, null, 2), (s) => `${(s.length / 2 ** 20).toFixed(0)} MB`);
  process.stdout.write(JSON.stringify(steps) + "\n");
}

function steps(file: string): Step[] | string {
  const child = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "cuts.ts"), "--steps", file], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  if (child.status !== 0) return `failed: ${child.stderr.split("\n").slice(0, 3).join(" ")}`;
  return JSON.parse(child.stdout.trim().split("\n").pop()!);
}

/** One CLI call with its JSON report (written to /dev/null), process start included. */
function cli(file: string): string {
  const args = [join(root, "bin", "dscheck.cjs"), "cuts", file, "--recover", "p0", "--json"];
  const timed = existsSync("/usr/bin/time");
  const t0 = performance.now();
  const child = timed
    ? spawnSync("/usr/bin/time", ["-f", "maxrss-kb=%M", process.execPath, ...args], { cwd: root, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] })
    : spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  const seconds = (performance.now() - t0) / 1000;
  const rss = /maxrss-kb=(\d+)/.exec(child.stderr ?? "")?.[1];
  return `  CLI (dscheck cuts --recover p0 --json)   ${(seconds * 1000).toFixed(0).padStart(7)} ms  ${rss ? `peak RSS ${(Number(rss) / 1024).toFixed(0)} MB` : "peak RSS n/a"}  exit ${child.status}`;
}

/** Runs the benchmark and returns the lines to print. */
export async function benchCuts(): Promise<string[]> {
  const lines = [`cuts (Node ${process.version}; each step in order in one process, peak RSS so far after it)`];
  const logs: [string, string, string][] = [];
  for (const [name, rounds] of [["uncoordinated", 0], ["coordinated rounds", 100]] as const) {
    const shape = { processes: PROCESSES, events: EVENTS, rounds, window: 4, seed: SEED };
    logs.push([name, `${PROCESSES} processes`, logFile(shape)]);
  }
  const domino = join(tmpdir(), `dscheck-bench-cuts-domino-${EVENTS}e.ndjson`);
  if (!existsSync(domino)) generateDominoLog(domino, EVENTS);
  logs.push(["domino chain", "2 processes", domino]);
  for (const [name, processes, file] of logs) {
    lines.push(`  ${name}: ${processes}, ${EVENTS.toLocaleString("en")} events, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB (${file})`);
    const s = steps(file);
    if (typeof s === "string") lines.push(`  ${s}`);
    else for (const x of s) lines.push(`  ${x.step.padEnd(40)} ${x.ms.toFixed(0).padStart(7)} ms  peak RSS ${x.peakRssMB.toFixed(0).padStart(5)} MB  ${x.detail}`);
    lines.push(cli(file));
  }
  return lines;
}

const argv = process.argv.slice(2);
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (argv[0] === "--steps") await stepsRun(argv[1]);
  else for (const line of await benchCuts()) console.log(line);
}
