/**
 * Random simulation: `runs` random walks of at most `maxDepth` steps from random initial
 * states, reproducible from `seed`. Every state on a walk goes through the pipeline's walk
 * check: the constraint (a walk ends at a state outside it, after its invariants are
 * checked, as BFS checks such a state), then the properties. Never exhaustive: "ok" means
 * no violation on the walks requested, and a sometimes-property with no example found is
 * "incomplete", not a failure.
 */
import { Encoder } from "../../values/encode.ts";
import { encodeChecked, type BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import { Pipeline } from "../pipeline/pipeline.ts";
import { buildResult, outcomeOf } from "../pipeline/result.ts";
import type { ExploreOptions, ExploreResult } from "../types.ts";
import { SeededRandom } from "./random.ts";

export const DEFAULT_RUNS = 1000;
export const DEFAULT_SIMULATION_DEPTH = 100;

export function simulate(model: BoundSpec, options: ExploreOptions): ExploreResult {
  const pipe = new Pipeline(model, options);
  const seed = (options.seed ?? 1) >>> 0;
  const runs = options.runs ?? DEFAULT_RUNS;
  const depthLimit = options.maxDepth ?? DEFAULT_SIMULATION_DEPTH;
  const rng = new SeededRandom(seed);
  const path: number[] = [];
  let run = 0;
  let error: SpecError | undefined;
  // Visiting a state: fingerprint it and let the pipeline check it; false ends the walk.
  const visit = (state: unknown, action: number) => {
    pipe.fingerprinter.fingerprint(model.viewOf(state), pipe.fp);
    return pipe.checkWalkState(state, path, action);
  };
  try {
    const inits = model.initialStates();
    const encoder = new Encoder();
    for (const s of inits) encodeChecked(encoder, s, {});
    const children: { instance: number; state: unknown; action: number }[] = [];
    for (; run < runs && !pipe.stop; run++) {
      const first = rng.below(inits.length);
      let state = inits[first];
      path.length = 0;
      path.push(first);
      if (!visit(state, -1)) continue;
      for (let depth = 0; depth < depthLimit && !pipe.stop; depth++) {
        children.length = 0;
        model.successors(state, (instance, next, action) => children.push({ instance, state: next, action }));
        if (children.length === 0) {
          pipe.terminal(state, -1, depth, path.slice());
          break;
        }
        // Every successor computed counts as generated (TLC's convention); one is walked.
        for (const c of children) pipe.enabledBy[c.action]++;
        pipe.generated += children.length - 1;
        const pick = children[rng.below(children.length)];
        pipe.enabledBy[pick.action]--;
        state = pick.state;
        path.push(pick.instance);
        if (!visit(state, pick.action)) break;
      }
      if ((run & 15) === 15) pipe.checkBudgets(path.length - 1, runs - run - 1);
    }
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    error = e.info.path ? e : e.withPath(path.slice());
  }
  return buildResult(model, outcomeOf(pipe, "simulate", error, { partial: true, seed, runs: run, maxQueue: 0 }));
}
