/**
 * Isolation-checker benchmarks: Elle's huge-scc.edn (10k transactions, one giant
 * component; target < 2 s) and generated Jepsen-like list-append histories of 250k, 500k
 * and 1M transactions (target < 60 s within 4 GB for 1M, growing linearly).
 * Run alone with `node --max-old-space-size=4096 --import tsx bench/serializability.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkIsolation } from "../checker/serializability/check.ts";
import { txnsFromJepsen } from "../checker/serializability/from-jepsen.ts";
import type { Mop, Txn, Value } from "../checker/serializability/txn.ts";
import { readJepsenHistory } from "../traces/jepsen/read.ts";
import { prng } from "./prng.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const corpora = process.env.DSCHECK_CORPORA ?? resolve(here, "../../shared/corpora");


/**
 * A list-append history shaped like a Jepsen run: 10 client processes, 1-4 micro-ops per
 * transaction over 8 active keys, each key retired after 32 appends. Transactions take
 * effect at a commit point inside their [invoke, complete] window, so the history is
 * strict serializable except for one stale read in every 20,000 transactions.
 */
export function generateListAppend(n: number, seed = 1): Txn[] {
  const random = prng(seed);
  const lists = new Map<string, Value[]>();
  const active: string[] = [];
  let nextKey = 0;
  let nextValue = 1;
  const txns: Txn[] = [];
  for (let i = 0; i < n; i++) {
    while (active.length < 8) {
      const k = String(nextKey++);
      active.push(k);
      lists.set(k, []);
    }
    const mops: Mop[] = [];
    const count = 1 + Math.floor(random() * 4);
    for (let j = 0; j < count; j++) {
      const slot = Math.floor(random() * active.length);
      const key = active[slot];
      const list = lists.get(key)!;
      if (random() < 0.5) {
        list.push(nextValue);
        mops.push({ f: "append", key, value: nextValue++ });
        if (list.length >= 32) active.splice(slot, 1);
      } else {
        const stale = i % 20_000 === 19_999 && list.length > 1;
        mops.push({ f: "r", key, value: list.slice(0, stale ? -1 : list.length) });
      }
    }
    // Commit point at 10*i; invoked up to 30 earlier, completed up to 30 later.
    const commit = 10 * i;
    txns.push({ id: i, process: i % 10, status: "ok", mops, invokeAt: commit - Math.floor(random() * 30), completeAt: commit + 1 + Math.floor(random() * 30), location: `#/${i}` });
  }
  return txns;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MB`;
}

function signedMb(bytes: number): string {
  return `${bytes < 0 ? "-" : "+"}${mb(Math.abs(bytes))}`;
}

/** Runs the benchmarks and returns one line per measurement. */
export async function benchSerializability(): Promise<string[]> {
  const lines: string[] = [];
  const hugeScc = resolve(corpora, "elle/histories/huge-scc.edn");
  if (existsSync(hugeScc)) {
    const t0 = performance.now();
    const txns = txnsFromJepsen(readJepsenHistory(readFileSync(hugeScc, "utf8"), hugeScc));
    const t1 = performance.now();
    const r = checkIsolation(txns, { workload: "list-append", realtime: true, now: () => performance.now() });
    const t2 = performance.now();
    lines.push(`isolation huge-scc.edn: ${txns.length} txns, parse ${(t1 - t0).toFixed(0)} ms + check ${(t2 - t1).toFixed(0)} ms = ${(t2 - t0).toFixed(0)} ms (target < 2000 ms); strict-serializable ${r.levels["strict-serializable"]}, ${r.anomalyTypes.join(" ")}`);
  } else lines.push(`isolation huge-scc.edn: skipped (no corpora at ${corpora})`);
  for (const n of [250_000, 500_000, 1_000_000]) {
    const txns = generateListAppend(n);
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = checkIsolation(txns, { workload: "list-append", realtime: true, now: () => performance.now() });
    const ms = performance.now() - t0;
    const rss = process.memoryUsage().rss;
    lines.push(
      `isolation list-append generated ${n} txns: check ${(ms / 1000).toFixed(1)} s, ${((ms * 1000) / n).toFixed(1)} µs/txn, rss ${mb(rss)} (${signedMb(rss - before)} during check); serializable ${r.levels.serializable}, anomalies ${r.anomalyTypes.join(" ") || "none"}`,
    );
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await benchSerializability()) console.log(line);
}
