/**
 * Explorer benchmarks: TwoPhase and RaftElection at the sizes of ../shared/reference, each in
 * its own process, with the counts checked against the reference table, and SPIN's pan on
 * the same models in the same run when `spin` (Debian package) and gcc are installed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const reference = process.env.DSCHECK_REFERENCE ?? join(root, "..", "shared", "reference");

interface Workload {
  name: string;
  spec: string;
  params: Record<string, number>;
  expected: [number, number];
  spin?: { model: string; defines: string[] };
  /** Explore options beside params (e.g. memoize: false). */
  options?: Record<string, unknown>;
}

export function workloads(full: boolean): Workload[] {
  const list: Workload[] = [
    { name: "TwoPhase rms=6", spec: "specs/two-phase-commit.ts", params: { rms: 6 }, expected: [50816, 402306], spin: { model: "twophase.pml", defines: ["-DN=6"] } },
    { name: "TwoPhase rms=7", spec: "specs/two-phase-commit.ts", params: { rms: 7 }, expected: [296448, 2744706], spin: { model: "twophase.pml", defines: ["-DN=7"] } },
    { name: "TwoPhase rms=8", spec: "specs/two-phase-commit.ts", params: { rms: 8 }, expected: [1745408, 18507778], spin: { model: "twophase.pml", defines: ["-DN=8"] } },
    { name: "TwoPhase rms=8 --no-memoize", spec: "specs/two-phase-commit.ts", params: { rms: 8 }, expected: [1745408, 18507778], options: { memoize: false } },
    { name: "Raft servers=2 maxTerm=3", spec: "specs/raft-election.ts", params: { servers: 2, maxTerm: 3 }, expected: [12934, 57673], spin: { model: "raft_election.pml", defines: ["-DN=2", "-DMAXTERM=3"] } },
    { name: "Raft servers=3 maxTerm=1", spec: "specs/raft-election.ts", params: { servers: 3, maxTerm: 1 }, expected: [1393, 7369], spin: { model: "raft_election.pml", defines: ["-DN=3", "-DMAXTERM=1"] } },
  ];
  if (full) list.push({ name: "Raft servers=3 maxTerm=2", spec: "specs/raft-election.ts", params: { servers: 3, maxTerm: 2 }, expected: [8001110, 72866410], spin: { model: "raft_election.pml", defines: ["-DN=3", "-DMAXTERM=2"] } });
  return list;
}

function haveSpin(): boolean {
  return spawnSync("spin", ["-V"]).status === 0 && spawnSync("gcc", ["--version"]).status === 0 && existsSync(reference);
}

/** Compiles and runs SPIN's pan as the reference README says; returns seconds and counts. */
function runSpin(w: Workload): { seconds: number; stored: number; transitions: number } | string {
  const dir = mkdtempSync(join(tmpdir(), "dscheck-spin-"));
  copyFileSync(join(reference, w.spin!.model), join(dir, w.spin!.model));
  execFileSync("spin", [...w.spin!.defines, "-a", w.spin!.model], { cwd: dir, stdio: "ignore" });
  execFileSync("gcc", ["-O2", "-DSAFETY", "-o", "pan", "pan.c"], { cwd: dir, stdio: "ignore" });
  const t0 = performance.now();
  const run = spawnSync("./pan", ["-w26"], { cwd: dir, encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  const stored = /([\d.e+]+) states, stored/.exec(run.stdout)?.[1];
  const transitions = /([\d.e+]+) transitions/.exec(run.stdout)?.[1];
  if (!stored || !transitions) return `could not read pan's output`;
  return { seconds, stored: Number(stored), transitions: Number(transitions) };
}

export async function benchExplore(full = false): Promise<string[]> {
  const lines: string[] = [];
  const spin = haveSpin();
  lines.push(`explorer (one worker, Node ${process.version})${spin ? "" : "; SPIN comparison skipped: install the Debian package spin (and gcc) to run it"}`);
  lines.push("workload                      distinct    generated   wall s   states/s  bytes/state  trace B/st  peak RSS MB  counts | SPIN s   ratio");
  for (const w of workloads(full)) {
    const child = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "explore-one.ts"), w.spec, JSON.stringify(w.params), JSON.stringify(w.options ?? {})], { cwd: root, encoding: "utf8", maxBuffer: 1 << 20 });
    if (child.status !== 0) {
      lines.push(`${w.name}: failed: ${child.stderr.split("\n").slice(0, 3).join(" ")}`);
      continue;
    }
    const r = JSON.parse(child.stdout.trim().split("\n").pop()!);
    const exact = r.distinct === w.expected[0] && r.generated === w.expected[1] ? "exact" : `MISMATCH (want ${w.expected.join("/")})`;
    let spinText = "";
    if (spin && w.spin) {
      const s = runSpin(w);
      spinText = typeof s === "string" ? s : `${s.seconds.toFixed(2).padStart(6)}  ${(r.seconds / s.seconds).toFixed(2)}x${s.stored === w.expected[0] && s.transitions === w.expected[1] ? "" : " (SPIN counts differ!)"}`;
    }
    lines.push(
      `${w.name.padEnd(28)} ${String(r.distinct).padStart(9)} ${String(r.generated).padStart(12)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.statesPerSecond).toString().padStart(10)} ${r.bytesPerState.toFixed(1).padStart(12)} ${r.traceBytesPerState.toFixed(1).padStart(11)} ${r.peakRssMB.toFixed(0).padStart(12)}  ${exact} | ${spinText}${r.memo ? `  (memo: ${((100 * r.memo.hits) / (r.memo.hits + r.memo.misses)).toFixed(1)}% hits${r.memo.directActions.length ? `, direct: ${r.memo.directActions.join(" ")}` : ""})` : ""}`,
    );
  }
  // The same BFS on two worker threads, through the CLI (workers load the spec by path; they
  // evaluate every action: memoization is one-worker BFS only).
  const t0 = performance.now();
  const cli = spawnSync(process.execPath, [join(root, "bin", "dscheck.cjs"), "explore", "specs/two-phase-commit.ts", "--param", "rms=8", "--workers", "2", "--json", "--no-typecheck"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
  const wall = (performance.now() - t0) / 1000;
  try {
    const r = JSON.parse(cli.stdout);
    const exact = r.distinctStates === 1745408 && r.generatedStates === 18507778 ? "exact" : "MISMATCH";
    lines.push(`TwoPhase rms=8, --workers 2: ${wall.toFixed(2)} s wall (search ${(r.elapsedMs / 1000).toFixed(2)} s), ${Math.round(r.statesPerSecond)} states/s, ${r.bytesPerState} bytes/state (owned + sent tables), counts ${exact}`);
  } catch {
    lines.push(`TwoPhase rms=8, --workers 2: failed: ${cli.stderr.split("\n")[0]}`);
  }
  return lines;
}
