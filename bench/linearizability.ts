/**
 * Linearizability benchmark (issue 14's speed target): per corpus, ONE `dscheck history
 * check <every file>` call through the built bin (dist/, rebuilt first when stale), wall
 * time and peak RSS, beside Porcupine itself on the same files in the same run (a driver
 * of the bench's own, bench/porcupine-go.ts, when Go is installed) and beside the figures
 * quoted for Porcupine. Verdicts of the two tools are compared file by file. Then the
 * checking time alone (in process, after one warm-up pass) per corpus and the slowest
 * histories.
 *
 * Corpora: Porcupine's test_data (all 102 etcd logs, the six kv histories, c50 included;
 * PORCUPINE_TEST_DATA, else the Porcupine source of bench/porcupine-go.ts; the shared
 * corpora hold 69 etcd logs and no c50) and Knossos' cas-register histories (initial 0, as
 * Knossos' core_test checks every file) from the shared corpora (DSCHECK_CORPORA).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readHistory } from "../traces/porcupine/read-any.ts";
import { builtinModel } from "../checker/linearizability/models/registry.ts";
import { checkHistory } from "../checker/linearizability/check.ts";
import { buildDriver, parseDriverOutput, porcupineLicenseLine, porcupineSource } from "./porcupine-go.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Figures quoted for Porcupine in issue 14 (Porcupine's README gives no absolute times). */
const QUOTED: Record<string, string> = {
  etcd: "all 102 in about 0.5 s",
  kv: "c50-bad well under 1 s",
  c50: "well under 1 s",
  knossos: "none quoted",
};

interface Corpus {
  readonly key: "etcd" | "kv" | "knossos" | "c50";
  readonly name: string;
  readonly args: string[];
  readonly model: string;
  readonly init: unknown;
  readonly files: string[];
}

function listFiles(dir: string, match: RegExp): string[] {
  if (!existsSync(dir)) return [];
  // etcd_095.log is empty upstream (Porcupine has no test for it; dscheck refuses an empty file).
  return readdirSync(dir).filter((f) => match.test(f) && statSync(join(dir, f)).size > 0).sort().map((f) => join(dir, f));
}

function corpora(shared: string | undefined, porcupine: string | undefined): { list: Corpus[]; notes: string[] } {
  const notes: string[] = [];
  const data = porcupine ?? (shared ? join(shared, "porcupine/test_data") : undefined);
  if (!porcupine) notes.push("Porcupine's full test_data not found: the shared corpora's subset is used (69 etcd logs, no c50)");
  const list: Corpus[] = [];
  if (data) {
    list.push({ key: "etcd", name: "Porcupine etcd", args: ["--model", "cas-register", "--init", "null"], model: "cas-register", init: null, files: listFiles(join(data, "jepsen"), /^etcd_\d+\.log$/) });
    list.push({ key: "kv", name: "Porcupine kv", args: ["--model", "kv"], model: "kv", init: "", files: listFiles(join(data, "kv"), /\.txt$/) });
  }
  if (shared) {
    const k = join(shared, "knossos/data/cas-register");
    list.push({ key: "knossos", name: "Knossos cas-register", args: ["--model", "cas-register", "--init", "0"], model: "cas-register", init: 0, files: [...listFiles(join(k, "good"), /\.edn$/), ...listFiles(join(k, "bad"), /\.edn$/)] });
  }
  const c50 = data ? join(data, "kv", "c50-bad.txt") : "";
  if (data && existsSync(c50)) list.push({ key: "c50", name: "Porcupine kv c50-bad alone", args: ["--model", "kv"], model: "kv", init: "", files: [c50] });
  return { list: list.filter((c) => c.files.length > 0), notes };
}

/** True when dist/ is missing or older than a source it is built from (tsconfig.build.json's folders). */
function distIsStale(): boolean {
  let info: { startedMs: number };
  try {
    info = JSON.parse(readFileSync(join(root, "dist/build-info.json"), "utf8"));
  } catch {
    return true;
  }
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > info.startedMs));
  const folders = (JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")) as { include: string[] }).include;
  return folders.some((d) => existsSync(join(root, d)) && newer(join(root, d)));
}

const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
/**
 * Each measured process (dscheck's and Porcupine's alike) runs at real-time priority when
 * this user may set it (chrt -f, root or CAP_SYS_NICE): on a shared machine other processes
 * then do not stretch its wall time, which otherwise varies by +-30% here.
 */
const realTime = spawnSync("chrt", ["-f", "10", "true"]).status === 0 ? ["chrt", "-f", "10"] : [];
let scratch: string | undefined;

interface Timing {
  readonly ms: number;
  /** User + system CPU time (GNU time), all threads. */
  readonly cpuMs?: number;
  readonly rssMB?: number;
  readonly code: number | null;
  readonly stdout: string;
}

/** Runs `cmd`, with its wall time and (through GNU time, when installed) its CPU time and peak RSS; an `env` value undefined unsets it. */
function timed(cmd: string[], env: Record<string, string | undefined> = {}): Timing {
  scratch ??= mkdtempSync(join(tmpdir(), "dscheck-bench-"));
  const out = join(scratch, "time");
  rmSync(out, { force: true });
  const argv = [...realTime, ...(gnuTime ? [gnuTime, "-f", "%U %S %M", "-o", out, ...cmd] : cmd)];
  const start = performance.now();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", maxBuffer: 1 << 28, env: childEnv });
  const ms = performance.now() - start;
  const [user, sys, kb] = gnuTime && existsSync(out) ? readFileSync(out, "utf8").trim().split("\n").pop()!.split(" ").map(Number) : [NaN, NaN, NaN];
  const known = (x: number) => (Number.isFinite(x) ? x : undefined);
  return { ms, cpuMs: known((user + sys) * 1000), rssMB: known(kb / 1024), code: r.status, stdout: r.stdout };
}

/** One `dscheck history check` of a whole corpus through the built bin. */
function historyCheck(c: Corpus, flags: string[]): string[] {
  return [process.execPath, join(root, "bin/dscheck.cjs"), "history", "check", ...flags, ...c.args, ...c.files];
}

/** The run of median wall time among `runs`. */
function median(runs: Timing[]): Timing {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
}

/** dscheck's per-file verdicts from its --json report (one object, or an array). */
function dscheckVerdicts(stdout: string): Map<string, string> {
  const parsed = JSON.parse(stdout) as { file: string; status: string } | { file: string; status: string }[];
  return new Map((Array.isArray(parsed) ? parsed : [parsed]).map((r) => [r.file, r.status]));
}

function count(verdicts: Iterable<string>): string {
  const c: Record<string, number> = {};
  for (const v of verdicts) c[v] = (c[v] ?? 0) + 1;
  return Object.entries(c).map(([k, n]) => `${n} ${k}`).join(", ");
}

/** Runs per measurement (BENCH_ROUNDS): the machine is shared, one run is noise. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

const fmtRss = (mb?: number) => (mb === undefined ? "n/a" : `${mb.toFixed(0)} MB`);

/** Checking time alone, in process, after one warm-up pass (as Go's figures are for compiled code). */
function inProcess(list: Corpus[]): string[] {
  const loaded = list.filter((c) => c.key !== "c50").flatMap((c) =>
    c.files.map((file) => {
      const h = readHistory(readFileSync(file, "utf8"), file);
      return { corpus: c.name, file, ops: h.ops, model: builtinModel(c.model, { init: c.init, nilReadMatchesAny: h.format !== "porcupine-etcd" })! };
    }),
  );
  const run = (w: (typeof loaded)[number]) => {
    const start = performance.now();
    const r = checkHistory(w.model, w.ops, { ladder: false, now: () => performance.now(), deadline: start + 60_000 });
    return { ms: performance.now() - start, status: r.status };
  };
  for (const w of loaded) run(w);
  const rows = loaded.map((w) => ({ w, ...run(w) }));
  const lines = ["  checking time alone (in process, after one warm-up pass; no parsing, no start-up):"];
  for (const c of list.filter((c) => c.key !== "c50")) {
    const mine = rows.filter((r) => r.w.corpus === c.name);
    const total = mine.reduce((a, r) => a + r.ms, 0);
    const slowest = [...mine].sort((a, b) => b.ms - a.ms)[0];
    lines.push(`    ${c.name}: ${mine.length} histories, ${mine.reduce((a, r) => a + r.w.ops.length, 0)} ops, ${total.toFixed(0)} ms, slowest ${slowest.w.file.split("/").pop()} ${slowest.ms.toFixed(1)} ms`);
  }
  return lines;
}

/** Runs the benchmark and returns the lines to print. */
export async function benchLinearizability(): Promise<string[]> {
  const sharedDir = process.env.DSCHECK_CORPORA ?? join(root, "../shared/corpora");
  const shared = existsSync(sharedDir) ? sharedDir : undefined;
  const lines = ["linearizability: one CLI call per corpus (wall time, process start and parsing included)"];
  const src = porcupineSource();
  const envData = process.env.PORCUPINE_TEST_DATA;
  const porcupineData = envData && existsSync(envData) ? envData : "dir" in src && existsSync(join(src.dir, "test_data")) ? join(src.dir, "test_data") : undefined;
  const { list, notes } = corpora(shared, porcupineData);
  if (list.length === 0) return ["linearizability: no corpora found (set DSCHECK_CORPORA / PORCUPINE_TEST_DATA); skipped"];
  for (const n of notes) lines.push(`  note: ${n}`);

  if (distIsStale()) {
    const b = spawnSync(process.execPath, [join(root, "bin/build.mjs")], { encoding: "utf8" });
    lines.push(`  dist/ was stale: rebuilt (${b.stderr.trim().split("\n").pop()})`);
  }
  const driver = "dir" in src ? buildDriver(src.dir) : src;
  lines.push("binary" in driver ? `  Porcupine: run here (${"dir" in src ? src.dir : ""}; ${"dir" in src ? porcupineLicenseLine(src.dir).replace(/\*/g, "") : ""}, MIT), its own parse + check of the same files` : `  Porcupine: not run: ${driver.missing}; only the figures quoted for it are shown`);
  if (!gnuTime) lines.push("  peak RSS: n/a (GNU time, /usr/bin/time, is not installed)");

  lines.push(`  median of ${ROUNDS} rounds, dscheck and Porcupine alternated${realTime.length > 0 ? ", each at real-time priority (chrt -f)" : ""}; CPU = user + system time of all threads (Go checks partitions in parallel)`);
  // Two dscheck runs per corpus: --json (each file's report with its linearization and
  // timeline: the verdicts are compared with Porcupine's from it) and the text report (a line
  // per file, as Porcupine's driver prints its verdicts: the like-for-like output).
  lines.push("  | corpus | files | dscheck --json wall | dscheck CPU | dscheck RSS | Porcupine wall | Porcupine CPU | Porcupine RSS | wall ratio | CPU ratio | dscheck text report wall | its wall ratio | Porcupine quoted | verdicts |");
  lines.push("  |---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  const ms = (t?: number) => (t === undefined ? "n/a" : `${t.toFixed(0)} ms`);
  // NODE_EXTRA_CA_CERTS (set on some machines, this one among them, for a TLS proxy) makes
  // node read and parse that certificate file at every start, before any of our code runs;
  // dscheck opens no TLS connection. The table's dscheck runs are without it (as on a usual
  // machine); the cost of the variable and the runs with it are printed below the table.
  const caCerts = process.env.NODE_EXTRA_CA_CERTS;
  const noCaCerts = { DSCHECK_FROM_DIST: "1", NODE_EXTRA_CA_CERTS: undefined };
  const withMachineEnv: string[] = [];
  for (const c of list) {
    const mineRuns: Timing[] = [];
    const textRuns: Timing[] = [];
    const goRuns: Timing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      mineRuns.push(timed(historyCheck(c, ["--json"]), noCaCerts));
      textRuns.push(timed(historyCheck(c, []), noCaCerts));
      if ("binary" in driver) goRuns.push(timed([driver.binary, c.key === "c50" ? "kv" : c.key, ...c.files]));
    }
    const d = median(mineRuns);
    const t = median(textRuns);
    if (caCerts !== undefined) {
      const runs = Array.from({ length: ROUNDS }, () => timed(historyCheck(c, ["--json"]), { DSCHECK_FROM_DIST: "1" }));
      withMachineEnv.push(`${c.name} ${median(runs).ms.toFixed(0)} ms`);
    }
    let verdicts = `exit ${d.code}`;
    let mine: Map<string, string> | undefined;
    try {
      mine = dscheckVerdicts(d.stdout);
      verdicts = `${count(mine.values())} (exit ${d.code})`;
    } catch {
      verdicts = `no JSON report (exit ${d.code})`;
    }
    let go = ["not run", "n/a", "n/a"];
    let ratio = ["", ""];
    let textRatio = "";
    if (goRuns.length > 0) {
      const p = median(goRuns);
      const run = parseDriverOutput(p.stdout);
      go = p.code === 0 ? [`${p.ms.toFixed(0)} ms (check ${run.checkMs.toFixed(0)})`, ms(p.cpuMs), fmtRss(p.rssMB)] : [`failed (exit ${p.code})`, "", ""];
      if (p.code === 0) {
        ratio = [`${(d.ms / p.ms).toFixed(2)}x${d.ms <= 2 * p.ms ? "" : " (> 2x)"}`, d.cpuMs !== undefined && p.cpuMs ? `${(d.cpuMs / p.cpuMs).toFixed(2)}x${d.cpuMs <= 2 * p.cpuMs ? "" : " (> 2x)"}` : ""];
        textRatio = `${(t.ms / p.ms).toFixed(2)}x${t.ms <= 2 * p.ms ? "" : " (> 2x)"}`;
      }
      if (mine) {
        const differ = c.files.filter((f) => run.verdicts.get(f) !== mine!.get(f));
        verdicts += differ.length === 0 ? ", Porcupine agrees on every file" : `, Porcupine DISAGREES on ${differ.length}: ${differ.slice(0, 3).map((f) => `${f.split("/").pop()} (${mine!.get(f)} vs ${run.verdicts.get(f)})`).join(", ")}`;
      }
    }
    const wall = `${d.ms.toFixed(0)} ms${c.key === "c50" ? (d.ms < 1000 ? " (< 1 s: met)" : " (< 1 s: NOT met)") : ""}`;
    const text = `${t.ms.toFixed(0)} ms${t.code === d.code ? "" : ` (exit ${t.code}, --json exit ${d.code}: DIFFER)`}`;
    lines.push(`  | ${c.name} | ${c.files.length} | ${wall} | ${ms(d.cpuMs)} | ${fmtRss(d.rssMB)} | ${go.join(" | ")} | ${ratio.join(" | ")} | ${text} | ${textRatio} | ${QUOTED[c.key]} | ${verdicts} |`);
  }
  if (caCerts !== undefined) {
    const start = (env: Record<string, string | undefined>) => median(Array.from({ length: 11 }, () => timed([process.execPath, "-e", "0"], env))).ms;
    lines.push(`  NODE_EXTRA_CA_CERTS is set here: node -e 0 takes ${start({}).toFixed(0)} ms with it, ${start({ NODE_EXTRA_CA_CERTS: undefined }).toFixed(0)} ms without (node parses the certificate file at every start); the dscheck runs above are without it.`);
    lines.push(`  dscheck wall with it, as this machine sets it: ${withMachineEnv.join(", ")}`);
  }
  lines.push(...inProcess(list));
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await benchLinearizability()) console.log(line);
}
