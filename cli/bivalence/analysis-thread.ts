/**
 * The analysis thread of `dscheck bivalence` (supervised by ../supervised-thread.ts): loads the
 * spec and its consensus declaration and runs the job (run-job.ts), reporting progress as it
 * goes, so that spec code that never returns, or allocates without bound, can be stopped.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Consensus, ParamDecls, Progress, Spec } from "../../checker/index.ts";
import type { FromThread } from "../supervised-thread.ts";
import { runBivalenceJob, type BivalenceJob } from "./run-job.ts";

const { job } = workerData as { job: BivalenceJob };
const port = parentPort!;
const post = (m: FromThread<Progress>) => port.postMessage(m);
// The command has checked both exports before starting the thread.
const mod = (await import(job.specUrl)) as { default?: unknown; spec?: unknown; consensus: Consensus<unknown> };
const spec = (mod.default ?? mod.spec) as Spec<unknown, ParamDecls>;
let last = 0;
const onProgress = (progress: Progress) => {
  // The supervisor keeps the latest figures for a report if the thread has to be stopped.
  if (progress.elapsedMs - last < 200) return;
  last = progress.elapsedMs;
  post({ kind: "progress", progress });
};
post({ kind: "done", ...runBivalenceJob(job, spec, mod.consensus, onProgress) });
