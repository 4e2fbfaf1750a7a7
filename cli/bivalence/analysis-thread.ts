/**
 * The analysis thread of `dscheck bivalence` (supervised by ../supervised-thread.ts): loads the
 * spec and its consensus declaration and runs the job (run-job.ts), reporting progress as it
 * goes, so that spec code that never returns, or allocates without bound, can be stopped.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Consensus, ParamDecls, Progress, Spec } from "../../checker/index.ts";
import { throttledProgress, type FromThread } from "../supervised-thread.ts";
import { runBivalenceJob, type BivalenceJob } from "./run-job.ts";
import { importSpecModule } from "../load-spec.ts";

const { job } = workerData as { job: BivalenceJob };
const port = parentPort!;
const post = (m: FromThread<Progress>) => port.postMessage(m);
// The command has checked both exports before starting the thread.
const mod = (await importSpecModule(job.specUrl)) as { default?: unknown; spec?: unknown; consensus: Consensus<unknown> };
const spec = (mod.default ?? mod.spec) as Spec<unknown, ParamDecls>;
post({ kind: "done", ...runBivalenceJob(job, spec, mod.consensus, throttledProgress<Progress>(post)) });
