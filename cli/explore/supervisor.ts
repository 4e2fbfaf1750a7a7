/**
 * The main thread's side of `dscheck explore`: it runs the search in a supervised thread
 * (../supervised-thread.ts) and prints its progress. A search stopped from outside (spec
 * code that does not return by the time limit, or memory beyond the budget) is reported as
 * incomplete (exit 3) with the last figures it reported.
 */
import type { ParamDecls, Progress, Spec } from "../../checker/index.ts";
import { superviseThread } from "../supervised-thread.ts";
import type { ExploreJob } from "./job.ts";
import { stoppedReport, type JobOutput } from "./run-job.ts";

export function superviseSearch(job: ExploreJob, spec: Spec<unknown, ParamDecls>, onProgress: (p: Progress) => void): Promise<JobOutput> {
  return superviseThread<Progress>({
    entry: new URL("./search-thread", import.meta.url),
    data: { job },
    limitMB: job.limitMB,
    timeLimit: job.timeLimit,
    what: "the search",
    onProgress,
    stopped: (reason, last) => stoppedReport(job, spec, reason, last),
  });
}
