/**
 * Linearizability benchmark on the external corpora: per-corpus totals and the slowest
 * histories, checking time only (files are read and parsed before the clock starts). One
 * warm-up pass runs first so the figures are for JIT-compiled code, as Go's are.
 * Reference (Porcupine, Go): all etcd histories in ~0.5 s, slowest etcd_002 ~0.2 s; the
 * 50-client kv history in ~0.2 s.
 *
 * With PORCUPINE_TEST_DATA (default /tmp/porcupine/test_data, a checkout's test_data
 * folder, never committed) it also times all 102 etcd logs and the six kv histories (c50
 * included), and one CLI call per corpus (`dscheck history check` on every file at once,
 * process start included), as a user's CI would run it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readHistory } from "../traces/porcupine/read-any.ts";
import { builtinModel } from "../checker/linearizability/models/registry.ts";
import { checkHistory } from "../checker/linearizability/check.ts";
import type { Operation, OpCall } from "../checker/linearizability/history.ts";

interface Workload {
  readonly corpus: string;
  readonly name: string;
  readonly model: string;
  readonly init: unknown;
  readonly nilReadMatchesAny: boolean;
  readonly ops: Operation<OpCall, unknown>[];
}

function corporaDir(): string | undefined {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const dir = process.env.DSCHECK_CORPORA ?? join(root, "../shared/corpora");
  return existsSync(dir) ? dir : undefined;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function porcupineDir(): string | undefined {
  const dir = process.env.PORCUPINE_TEST_DATA ?? "/tmp/porcupine/test_data";
  return existsSync(join(dir, "kv", "c50-bad.txt")) ? dir : undefined;
}

/** Wall time of one CLI call on `files` (process start, parse and check). */
function timeCli(files: string[], args: string[]): { ms: number; code: number | null } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [join(root, "bin/dscheck.mjs"), "history", "check", ...args, ...files], { stdio: "ignore" });
  return { ms: performance.now() - start, code: r.status };
}

function load(dir: string, porcupine?: string): Workload[] {
  const out: Workload[] = [];
  const add = (corpus: string, sub: string, model: string, init: unknown, match: RegExp) => {
    const folder = join(dir, sub);
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder).filter((f) => match.test(f)).sort()) {
      const file = join(folder, name);
      const h = readHistory(readFileSync(file, "utf8"), file);
      out.push({ corpus, name, model, init, nilReadMatchesAny: h.format !== "porcupine-etcd", ops: h.ops });
    }
  };
  add("porcupine etcd", "porcupine/test_data/jepsen", "cas-register", null, /^etcd_\d+\.log$/);
  add("porcupine kv", "porcupine/test_data/kv", "kv", "", /\.txt$/);
  if (porcupine) {
    const folder = (sub: string) => join(porcupine, sub);
    for (const [corpus, sub, model, init, match] of [["porcupine etcd, all 102", "jepsen", "cas-register", null, /^etcd_\d+\.log$/], ["porcupine kv, all 6 (c50 included)", "kv", "kv", "", /\.txt$/]] as const) {
      for (const name of readdirSync(folder(sub)).filter((f) => match.test(f)).sort()) {
        const file = join(folder(sub), name);
        if (statSync(file).size === 0) continue; // etcd_095.log is empty upstream
        const h = readHistory(readFileSync(file, "utf8"), file);
        out.push({ corpus, name, model, init, nilReadMatchesAny: h.format !== "porcupine-etcd", ops: h.ops });
      }
    }
  }
  add("knossos cas-register", "knossos/data/cas-register/good", "cas-register", 0, /\.edn$/);
  add("knossos cas-register", "knossos/data/cas-register/bad", "cas-register", 0, /\.edn$/);
  return out;
}

function timeOne(w: Workload): { ms: number; status: string } {
  const model = builtinModel(w.model, { init: w.init, nilReadMatchesAny: w.nilReadMatchesAny })!;
  const start = performance.now();
  const r = checkHistory(model, w.ops, { ladder: false, now: () => performance.now(), deadline: start + 60_000 });
  return { ms: performance.now() - start, status: r.status };
}

/** Runs the benchmark and returns the lines to print. */
export async function benchLinearizability(): Promise<string[]> {
  const dir = corporaDir();
  if (!dir) return ["linearizability: corpora not found (set DSCHECK_CORPORA); skipped"];
  const porcupine = porcupineDir();
  const workloads = load(dir, porcupine);
  for (const w of workloads) timeOne(w); // warm-up
  const timed = workloads.map((w) => ({ w, ...timeOne(w) }));
  const lines = ["linearizability (checking time, after one warm-up pass; WGL + P-compositionality, no ladder)"];
  for (const corpus of [...new Set(workloads.map((w) => w.corpus))]) {
    const rows = timed.filter((t) => t.w.corpus === corpus);
    const total = rows.reduce((a, t) => a + t.ms, 0);
    const ops = rows.reduce((a, t) => a + t.w.ops.length, 0);
    const slowest = [...rows].sort((a, b) => b.ms - a.ms)[0];
    const verdicts = rows.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.status]: (acc[t.status] ?? 0) + 1 }), {});
    lines.push(
      `  ${corpus}: ${rows.length} histories, ${ops} ops, total ${total.toFixed(0)} ms, slowest ${slowest.w.name} ${slowest.ms.toFixed(1)} ms, verdicts ${JSON.stringify(verdicts)}`,
    );
  }
  const cli: [string, string[], string[]][] = [
    ["knossos cas-register (good + bad)", ["--model", "cas-register", "--init", "0"], ["good", "bad"].flatMap((g) => readdirSync(join(dir, "knossos/data/cas-register", g)).filter((f) => f.endsWith(".edn")).map((f) => join(dir, "knossos/data/cas-register", g, f)))],
  ];
  if (porcupine) {
    cli.push(["porcupine etcd, all 102", ["--model", "cas-register", "--init", "null"], readdirSync(join(porcupine, "jepsen")).filter((f) => /^etcd_\d+\.log$/.test(f) && f !== "etcd_095.log").map((f) => join(porcupine, "jepsen", f))]);
    cli.push(["porcupine kv, all 6", ["--model", "kv"], readdirSync(join(porcupine, "kv")).map((f) => join(porcupine, "kv", f))]);
    cli.push(["porcupine kv c50-bad alone", ["--model", "kv"], [join(porcupine, "kv", "c50-bad.txt")]]);
  }
  lines.push("  one CLI call per corpus (wall time, node start included; Porcupine: etcd ~0.5 s, c50 well under 1 s):");
  for (const [name, args, files] of cli) {
    const r = timeCli(files, args);
    lines.push(`    ${name}: ${files.length} files in ${r.ms.toFixed(0)} ms (exit ${r.code})`);
  }
  lines.push("  slowest histories:");
  for (const t of [...timed].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
    lines.push(`    ${t.w.corpus} ${t.w.name}: ${t.ms.toFixed(1)} ms (${t.w.ops.length} ops, ${t.status})`);
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await benchLinearizability()) console.log(line);
}
