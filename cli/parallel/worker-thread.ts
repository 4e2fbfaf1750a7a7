/** One parallel-BFS worker thread: loads the spec and answers the coordinator with the core's ParallelWorker. */
import { parentPort, workerData } from "node:worker_threads";
import { BoundSpec, ParallelWorker, type ParamDecls, type Spec, type ToWorker } from "../../checker/index.ts";
import type { ThreadSetup } from "./thread-transport.ts";
import { importSpecModule } from "../load-spec.ts";

const { specUrl, setup } = workerData as ThreadSetup;
const port = parentPort!;
try {
  const mod = await importSpecModule(specUrl);
  const spec = (mod.default ?? mod.spec) as Spec<unknown, ParamDecls>;
  const t0 = performance.now();
  const worker = new ParallelWorker(new BoundSpec(spec, setup.params, setup.properties), setup, () => performance.now() - t0);
  port.on("message", (m: ToWorker) => {
    const { reply, transfer } = worker.handle(m);
    port.postMessage(reply, transfer);
  });
  port.postMessage({ kind: "ready" });
} catch (e) {
  port.postMessage({ kind: "failed", message: e instanceof Error ? e.message : String(e) });
}
