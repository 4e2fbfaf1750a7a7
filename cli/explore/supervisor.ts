/**
 * The main thread's side of `dscheck explore`: it starts the search thread, prints its
 * progress, and stops it when its budgets cannot stop it from inside: spec code that does
 * not return by the time limit (plus a grace period for the search's own check), or memory
 * beyond the budget (the thread's heap limit is the budget; resident memory is watched too).
 * A stopped search is reported as incomplete (exit 3) with the last figures it reported.
 */
import { Worker } from "node:worker_threads";
import type { ParamDecls, Progress, Spec } from "../../checker/index.ts";
import { EXIT } from "../exit-codes.ts";
import { n } from "../report/format-value.ts";
import type { ExploreJob, FromSearchThread } from "./job.ts";
import { stoppedReport, type JobOutput } from "./run-job.ts";

/** How long past its time limit a search may take to stop by itself before it is stopped. */
const graceMs = (limitMs: number) => Math.max(2000, limitMs / 10);
/** How long resident memory may stay over the budget (the search checks it every 1,024 states). */
const MEMORY_GRACE_MS = 1500;

export function superviseSearch(job: ExploreJob, spec: Spec<unknown, ParamDecls>, onProgress: (p: Progress) => void): Promise<JobOutput> {
  return new Promise((resolve) => {
    // The compiled build (dist/) runs search-thread.js; the sources run search-thread.ts.
    const entry = new URL(`./search-thread${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;
    const worker = new Worker(new URL("../thread-bootstrap.mjs", import.meta.url), {
      workerData: { entry, job },
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, job.limitMB) },
    });
    let last: Progress | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (out: JobOutput) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      resolve(out);
    };
    const stop = (reason: string) => {
      if (settled) return;
      const out = stoppedReport(job, spec, reason, last);
      settled = true;
      for (const t of timers) clearTimeout(t);
      void worker.terminate().finally(() => resolve(out));
    };
    worker.on("message", (m: FromSearchThread) => {
      if (m.kind === "progress") {
        last = m.progress;
        onProgress(m.progress);
      } else finish({ stdout: m.stdout, stderr: m.stderr, exitCode: m.exitCode, ...(m.cases ? { cases: m.cases } : {}) });
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if (e.code === "ERR_WORKER_OUT_OF_MEMORY") return stop(`memory budget of ${n(job.limitMB)} MB reached (the search ran out of heap)`);
      finish({ stdout: "", stderr: `dscheck: internal error: ${e.stack ?? e.message}\n`, exitCode: EXIT.error });
    });
    worker.on("exit", (code) => finish({ stdout: "", stderr: `dscheck: internal error: the search thread exited (code ${code}) without a report\n`, exitCode: EXIT.error }));
    if (job.timeLimit !== undefined) {
      const ms = job.timeLimit * 1000;
      timers.push(setTimeout(() => stop(`time limit of ${(ms / 1000).toFixed(1)} s reached while the spec's code was running (an action, property or constraint that does not return?)`), ms + graceMs(ms)));
    }
    let overSince = 0;
    const watch = setInterval(() => {
      const rss = process.memoryUsage().rss / 2 ** 20;
      if (rss <= job.limitMB) return void (overSince = 0);
      overSince ||= Date.now();
      if (Date.now() - overSince > MEMORY_GRACE_MS) stop(`memory budget of ${n(job.limitMB)} MB reached (resident ${n(rss)} MB)`);
    }, 250);
    watch.unref();
    timers.push(watch);
  });
}
