/**
 * The parallel BFS's transport over worker threads (`dscheck explore --workers N`): each
 * worker thread loads the spec module itself (functions cannot be sent) and runs the core's
 * ParallelWorker; messages are the core's protocol, with frontier buffers transferred, not
 * copied. A worker that dies (a crash, out of memory) rejects the coordinator's request.
 */
import { Worker } from "node:worker_threads";
import type { FromWorker, ParallelTransport, ToWorker, WorkerChannel, WorkerSetup } from "../../checker/index.ts";

export interface ThreadSetup {
  readonly entry: string;
  readonly specUrl: string;
  readonly setup: WorkerSetup;
}

export function threadTransport(specUrl: string, resourceLimits?: { maxOldGenerationSizeMb: number }): ParallelTransport {
  return {
    open: async (setups) => Promise.all(setups.map((setup) => openWorker(specUrl, setup, resourceLimits))),
  };
}

function openWorker(specUrl: string, setup: WorkerSetup, resourceLimits?: { maxOldGenerationSizeMb: number }): Promise<WorkerChannel> {
  const data: ThreadSetup = { entry: new URL(`./worker-thread${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href, specUrl, setup };
  const worker = new Worker(new URL("../thread-bootstrap.mjs", import.meta.url), { workerData: data, resourceLimits });
  let waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  let failed: Error | undefined;
  const fail = (e: Error) => {
    failed ??= e;
    const w = waiting;
    waiting = undefined;
    w?.reject(failed);
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`a search worker exited (code ${code})`)));
  return new Promise((ready, refuse) => {
    worker.once("message", (m: { kind: string; message?: string }) => {
      if (m.kind !== "ready") return refuse(new Error(m.message ?? "a search worker failed to start"));
      worker.on("message", (reply: FromWorker) => {
        const w = waiting;
        waiting = undefined;
        w?.resolve(reply);
      });
      ready({
        ask: (m: ToWorker, transfer: ArrayBuffer[] = []) =>
          new Promise<FromWorker>((resolve, reject) => {
            if (failed) return reject(failed);
            waiting = { resolve, reject };
            worker.postMessage(m, transfer);
          }),
        close: async () => {
          worker.removeAllListeners("exit");
          await worker.terminate();
        },
      });
    });
    worker.once("error", refuse);
  });
}
