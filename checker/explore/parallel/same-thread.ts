/**
 * A transport for the parallel BFS that runs every worker in this thread, one call at a
 * time. The same messages and the same worker logic as with worker threads, so tests and
 * embedders get the parallel search's exact results without threads.
 */
import type { ParamDecls, Spec } from "../../spec/spec.ts";
import { BoundSpec } from "../model/bound-spec.ts";
import type { ParallelTransport } from "./protocol.ts";
import { ParallelWorker } from "./worker.ts";

export function sameThreadTransport<S, D extends ParamDecls>(spec: Spec<S, D>, now?: () => number): ParallelTransport {
  return {
    open: async (setups) =>
      setups.map((setup) => {
        const worker = new ParallelWorker(new BoundSpec(spec as unknown as Spec<unknown, ParamDecls>, setup.params, setup.properties), setup, now);
        return {
          ask: async (m) => worker.handle(m).reply,
          close: () => {},
        };
      }),
  };
}
