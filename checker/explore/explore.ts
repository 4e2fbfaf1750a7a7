/**
 * The one entry point for exploring a spec: binds parameters, then runs the chosen
 * strategy. Spec faults found before the search starts (bad params, a throwing init)
 * come back as an "error" result like those found during it.
 */
import type { ParamDecls, Spec } from "../spec/spec.ts";
import { bfs } from "./bfs.ts";
import { dfs } from "./dfs.ts";
import { Model } from "./model.ts";
import { simulate } from "./simulate.ts";
import { SpecError } from "./spec-error.ts";
import type { ExploreOptions, ExploreResult } from "./types.ts";

/**
 * Explores `spec`. Throws ParamError for invalid parameter overrides (a usage problem);
 * every other problem is reported in the result.
 */
export function explore<S, D extends ParamDecls>(spec: Spec<S, D>, options: ExploreOptions = {}): ExploreResult {
  const strategy = options.strategy ?? "bfs";
  let model: Model;
  try {
    model = new Model(spec as unknown as Spec<unknown, ParamDecls>, options.params, options.properties);
  } catch (e) {
    if (e instanceof SpecError) return preflightError(strategy, e);
    throw e;
  }
  switch (strategy) {
    case "bfs":
      return bfs(model, options);
    case "dfs":
      return dfs(model, options);
    case "simulate":
      return simulate(model, options);
  }
}

function preflightError(strategy: ExploreResult["strategy"], e: SpecError): ExploreResult {
  return {
    status: "error", strategy, params: {}, properties: [], distinctStates: 0, generatedStates: 0, maxDepth: 0,
    maxQueueSize: 0, elapsedMs: 0, bytesPerState: 0, traceBytesPerState: 0,
    collisionProbability: { optimistic: 0, birthday: 0 }, examples: {}, error: e.info, exhaustive: false,
  };
}

