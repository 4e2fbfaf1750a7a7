/**
 * Random simulation: `runs` random walks of at most `maxDepth` steps from random initial
 * states, checking every property on every state visited. Reproducible from `seed`. Not
 * exhaustive: "ok" means no violation on the walks that were requested.
 */
import { Encoder } from "../values/encode.ts";
import { Fingerprinter } from "../values/fingerprint.ts";
import { encodeChecked, type Model } from "./model.ts";
import { SeededRandom } from "./random.ts";
import { errorResult, SearchRecord } from "./search-record.ts";
import { SpecError } from "./spec-error.ts";
import { fingerprintOf } from "./trace.ts";
import type { ExploreOptions, ExploreResult } from "./types.ts";

export const DEFAULT_RUNS = 1000;
export const DEFAULT_SIMULATION_DEPTH = 100;

export function simulate(model: Model, options: ExploreOptions): ExploreResult {
  const rec = new SearchRecord(model, options);
  const seed = (options.seed ?? 1) >>> 0;
  const runs = options.runs ?? DEFAULT_RUNS;
  const depthLimit = options.maxDepth ?? DEFAULT_SIMULATION_DEPTH;
  const rng = new SeededRandom(seed);
  let stopped: string | undefined;
  let path: number[] = [];
  let run = 0;
  try {
    const inits = model.initialStates();
    if (inits.length === 0) return rec.finish("simulate", undefined, { seed, runs: 0, exhaustive: false });
    const encoder = new Encoder();
    const fingerprinter = new Fingerprinter();
    for (const s of inits) encodeChecked(encoder, model.viewOf(s), {});
    const children: { instance: number; state: unknown }[] = [];
    for (; run < runs && !rec.violation; run++) {
      const first = rng.below(inits.length);
      let state = inits[first];
      path = [first];
      rec.generated++;
      rec.visit(state, -1, first);
      const walk = path;
      if (rec.checkNew(state, () => walk.slice())) break;
      for (let depth = 0; depth < depthLimit; depth++) {
        children.length = 0;
        model.successors(state, (instance, next) => children.push({ instance, state: next }));
        rec.generated += children.length;
        if (children.length === 0) {
          if (rec.hasTerminalChecks) rec.checkTerminal(state, () => walk.slice(), fingerprintOf(model, fingerprinter, state));
          break;
        }
        const pick = children[rng.below(children.length)];
        state = pick.state;
        path.push(pick.instance);
        rec.visit(state, -1, pick.instance);
        rec.maxDepth = Math.max(rec.maxDepth, path.length - 1);
        if (rec.checkNew(state, () => walk.slice())) break;
      }
      if (rec.violation) break;
      if ((run & 15) === 15) {
        rec.progress(path.length - 1, runs - run - 1);
        stopped = rec.overBudget();
        if (stopped) break;
      }
    }
  } catch (e) {
    if (e instanceof SpecError) return { ...errorResult(rec, "simulate", e, path.slice()), seed, runs: run };
    throw e;
  }
  return rec.finish("simulate", rec.violation ? undefined : stopped, { seed, runs: run + (rec.violation ? 1 : 0), exhaustive: false });
}
