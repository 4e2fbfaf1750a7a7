/**
 * The search thread of `dscheck explore`: loads the spec and runs the job (run-job.ts),
 * reporting progress as it goes. It runs apart from the main thread so that a search whose
 * spec code never returns, or allocates without bound, can be stopped and still reported.
 */
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import type { ParamDecls, Progress, Spec } from "../../checker/index.ts";
import type { ExploreJob, FromSearchThread } from "./job.ts";
import { runJob } from "./run-job.ts";
import { throttledProgress } from "../supervised-thread.ts";
import { importSpecModule } from "../load-spec.ts";

const { job } = workerData as { job: ExploreJob };
const port = parentPort!;
const post = (m: FromSearchThread) => port.postMessage(m);
const mod = await importSpecModule(job.specUrl.startsWith("file:") ? job.specUrl : pathToFileURL(job.specUrl).href);
const spec = (mod.default ?? mod.spec) as Spec<unknown, ParamDecls>;
const out = await runJob(job, spec, throttledProgress<Progress>(post));
post({ kind: "done", ...out });
