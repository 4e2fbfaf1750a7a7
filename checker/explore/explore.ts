/**
 * The entry points for exploring a spec: bind parameters, run the chosen strategy. Spec
 * faults found before the search starts (bad params, a throwing init) come back as an
 * "error" result like those found during it. Parallel BFS is `exploreParallel`
 * (parallel/coordinator.ts): it is asynchronous, since its workers are.
 */
import type { ParamDecls, Spec } from "../spec/spec.ts";
import { BoundSpec } from "./model/bound-spec.ts";
import { SpecError } from "./model/spec-error.ts";
import { preflightError } from "./pipeline/result.ts";
import { bfs } from "./strategies/bfs.ts";
import { dfs } from "./strategies/dfs.ts";
import { simulate } from "./strategies/simulate.ts";
import type { ExploreOptions, ExploreResult } from "./types.ts";

/**
 * Explores `spec` on this thread. Throws ParamError for invalid parameter overrides (a
 * usage problem); every other problem is reported in the result.
 */
export function explore<S, D extends ParamDecls>(spec: Spec<S, D>, options: ExploreOptions = {}): ExploreResult {
  const strategy = options.strategy ?? "bfs";
  if ((options.workers ?? 1) !== 1) throw new RangeError("explore() runs on one thread; use exploreParallel for workers");
  let model: BoundSpec;
  try {
    model = bindModel(spec, options);
  } catch (e) {
    if (e instanceof SpecError) return preflightError(undefined, strategy, e.info);
    throw e;
  }
  switch (strategy) {
    case "bfs":
      return bfs(model, options);
    case "dfs":
      return dfs(model, options);
    case "simulate":
      return simulate(model, options);
    default:
      throw new RangeError(`unknown strategy "${String(strategy)}"`);
  }
}

/** The spec bound to the options' parameters and property selection. */
export function bindModel<S, D extends ParamDecls>(spec: Spec<S, D>, options: Pick<ExploreOptions, "params" | "properties">): BoundSpec {
  return new BoundSpec(spec as unknown as Spec<unknown, ParamDecls>, options.params, options.properties);
}
