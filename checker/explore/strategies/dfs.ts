/**
 * Depth-first search through the same pipeline as BFS. Uses less frontier memory on deep,
 * narrow spaces; its counterexamples are valid but not shortest. With a depth bound, a
 * state first reached on a long path is expanded again when it is reached on a shorter one
 * (TLC's DFS does not), so it visits exactly the states within the bound that BFS visits;
 * those re-expansions count as generated successors again.
 */
import { Encoder } from "../../values/encode.ts";
import { encodeChecked, type BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import { Pipeline, pathTo } from "../pipeline/pipeline.ts";
import { buildResult, outcomeOf } from "../pipeline/result.ts";
import { IntColumn } from "../store/int-column.ts";
import type { ExploreOptions, ExploreResult } from "../types.ts";

interface Frame {
  readonly state: unknown;
  readonly id: number;
  readonly depth: number;
}

export function dfs(model: BoundSpec, options: ExploreOptions): ExploreResult {
  const bounded = options.maxDepth !== undefined;
  const pipe = new Pipeline(model, options, { indexIds: bounded });
  if (bounded) pipe.depths = new IntColumn();
  const stack: Frame[] = [];
  let current: Frame | undefined;
  const children: { instance: number; state: unknown; action: number }[] = [];
  const push = (state: unknown, parent: number, instance: number, action: number, depth: number) => {
    pipe.fingerprinter.fingerprint(model.viewOf(state), pipe.fp);
    const known = pipe.distinct;
    const id = pipe.admit(state, parent, instance, action, depth);
    if (id < 0) return;
    if (pipe.depths && id === known) pipe.depths.push(depth);
    stack.push({ state, id, depth });
  };
  let error: SpecError | undefined;
  try {
    const inits = model.initialStates();
    const encoder = new Encoder();
    for (const s of inits) encodeChecked(encoder, s, {});
    for (let i = inits.length - 1; i >= 0 && !pipe.stop; i--) push(inits[i], -1, i, -1, 0);
    while (!pipe.stop && stack.length > 0) {
      current = stack.pop()!;
      const { state, id, depth } = current;
      // Expanded since on a shorter path (bounded DFS): this frame is stale.
      if (pipe.depths && pipe.depths.data[id] < depth) continue;
      if (options.maxDepth !== undefined && depth >= options.maxDepth) {
        pipe.byDepth++;
        continue;
      }
      children.length = 0;
      pipe.queued = stack.length;
      pipe.expand(state, id, depth, () => model.successors(state, (instance, next, action) => children.push({ instance, state: next, action })));
      // Push in reverse so that the first action is explored first.
      for (let c = children.length - 1; c >= 0 && !pipe.stop; c--) push(children[c].state, id, children[c].instance, children[c].action, depth + 1);
      pipe.maxQueue = Math.max(pipe.maxQueue, stack.length);
    }
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    error = e.info.path || !current ? e : e.withPath(pathTo(current.id, pipe.parents, pipe.steps));
  }
  return buildResult(model, outcomeOf(pipe, "dfs", error));
}
