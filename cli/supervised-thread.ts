/**
 * Runs a command's checking work in a worker thread and stops it when its budgets cannot stop
 * it from inside: spec code that does not return by the time limit (plus a grace period for
 * the work's own check), or memory beyond the budget (the thread's heap limit is the budget;
 * resident memory is watched too). The thread loads `entry` through thread-bootstrap.mjs,
 * posts progress as it goes and one "done" message with what to print; a stopped thread is
 * reported by `stopped`, with the last progress it posted (exit 3 by the caller's report).
 * Used by `explore` (explore/supervisor.ts) and `bivalence`.
 */
import { Worker } from "node:worker_threads";
import { EXIT } from "./exit-codes.ts";
import { n } from "./report/format-value.ts";
import type { CiCase } from "./ci.ts";

/** What a supervised thread answers, and what the command prints. */
export interface ThreadOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The result as CI test cases (--junit, GitHub annotations), when asked for. */
  cases?: CiCase[];
  /** The --json object, when asked for (the command renders --md / --html from it). */
  json?: unknown;
}

export type FromThread<P> = { readonly kind: "progress"; readonly progress: P } | ({ readonly kind: "done" } & ThreadOutput);

/**
 * In the thread: a progress callback that posts the latest figures at most every 200 ms
 * (the supervisor keeps them for the report if it has to stop the thread).
 */
export function throttledProgress<P extends { readonly elapsedMs: number }>(post: (m: FromThread<P>) => void): (progress: P) => void {
  let last = 0;
  return (progress) => {
    if (progress.elapsedMs - last < 200) return;
    last = progress.elapsedMs;
    post({ kind: "progress", progress });
  };
}

export interface Supervision<P> {
  /** The thread's module, next to the caller: `new URL("./x-thread", import.meta.url)` without the extension. */
  readonly entry: URL;
  /** Given to the thread as workerData, with `entry`. */
  readonly data: Record<string, unknown>;
  /** The memory budget in MB. */
  readonly limitMB: number;
  /** Seconds. */
  readonly timeLimit?: number;
  /** What runs in the thread, for messages ("the search", "the analysis"). */
  readonly what: string;
  readonly onProgress?: (p: P) => void;
  /** The report of a thread that had to be stopped. */
  readonly stopped: (reason: string, last: P | undefined) => ThreadOutput;
}

/** How long past its time limit the work may take to stop by itself before it is stopped. */
const graceMs = (limitMs: number) => Math.max(2000, limitMs / 10);
/** How long resident memory may stay over the budget (the work checks it itself every so often). */
const MEMORY_GRACE_MS = 1500;

export function superviseThread<P>(s: Supervision<P>): Promise<ThreadOutput> {
  return new Promise((resolve) => {
    // The compiled build (dist/) runs the .js module; the sources run the .ts one.
    const entry = `${s.entry.href}${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`;
    const worker = new Worker(new URL("./thread-bootstrap.mjs", import.meta.url), {
      workerData: { ...s.data, entry },
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, s.limitMB) },
    });
    let last: P | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (out: ThreadOutput) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      resolve(out);
    };
    const stop = (reason: string) => {
      if (settled) return;
      const out = s.stopped(reason, last);
      settled = true;
      for (const t of timers) clearTimeout(t);
      void worker.terminate().finally(() => resolve(out));
    };
    worker.on("message", (m: FromThread<P>) => {
      if (m.kind === "progress") {
        last = m.progress;
        s.onProgress?.(m.progress);
      } else finish({ stdout: m.stdout, stderr: m.stderr, exitCode: m.exitCode, ...(m.cases ? { cases: m.cases } : {}), ...(m.json !== undefined ? { json: m.json } : {}) });
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if (e.code === "ERR_WORKER_OUT_OF_MEMORY") return stop(`memory budget of ${n(s.limitMB)} MB reached (${s.what} ran out of heap)`);
      finish({ stdout: "", stderr: `dscheck: internal error: ${e.stack ?? e.message}\n`, exitCode: EXIT.error });
    });
    worker.on("exit", (code) => finish({ stdout: "", stderr: `dscheck: internal error: the thread of ${s.what} exited (code ${code}) without a report\n`, exitCode: EXIT.error }));
    if (s.timeLimit !== undefined) {
      const ms = s.timeLimit * 1000;
      timers.push(setTimeout(() => stop(`time limit of ${(ms / 1000).toFixed(1)} s reached while the spec's code was running (an action, property or constraint that does not return?)`), ms + graceMs(ms)));
    }
    let overSince = 0;
    const watch = setInterval(() => {
      const rss = process.memoryUsage().rss / 2 ** 20;
      if (rss <= s.limitMB) return void (overSince = 0);
      overSince ||= Date.now();
      if (Date.now() - overSince > MEMORY_GRACE_MS) stop(`memory budget of ${n(s.limitMB)} MB reached (resident ${n(rss)} MB)`);
    }, 250);
    watch.unref();
    timers.push(watch);
  });
}
