/**
 * Depth-first search with the same visited set and bookkeeping as BFS. Uses less frontier
 * memory on deep, narrow spaces; its counterexamples are valid but not shortest. With
 * --max-depth, a state first reached on a long path is not revisited on a shorter one, so
 * DFS may miss states that BFS would reach within the same depth (TLC's DFS has the same
 * limitation); without a depth bound it visits exactly the reachable set.
 */
import { Encoder } from "../values/encode.ts";
import { Fingerprinter } from "../values/fingerprint.ts";
import { encodeChecked, type Model } from "./model.ts";
import { errorResult, SearchRecord } from "./search-record.ts";
import { SpecError } from "./spec-error.ts";
import { fingerprintOf, pathTo } from "./trace.ts";
import type { ExploreOptions, ExploreResult } from "./types.ts";
import { checkDeterminism, shouldSample } from "./determinism.ts";

interface Frame {
  state: unknown;
  id: number;
  depth: number;
}

export function dfs(model: Model, options: ExploreOptions): ExploreResult {
  const rec = new SearchRecord(model, options);
  const stack: Frame[] = [];
  let stopped: string | undefined;
  let byDepth = 0;
  let current: Frame | undefined;
  let expanded = 0;

  const pushIfNew = (state: unknown, parent: number, step: number, depth: number): void => {
    const id = rec.admit(state, parent, step);
    if (id < 0) return;
    rec.maxDepth = Math.max(rec.maxDepth, depth);
    stack.push({ state, id, depth });
  };

  try {
    const inits = model.initialStates();
    const initEncoder = new Encoder();
    for (let i = inits.length - 1; i >= 0 && !rec.stop; i--) {
      encodeChecked(initEncoder, model.viewOf(inits[i]), {});
      rec.generated++;
      pushIfNew(inits[i], -1, i, 0);
    }
    const children: { instance: number; state: unknown }[] = [];
    while (!rec.stop && stack.length > 0) {
      current = stack.pop()!;
      const { state, id, depth } = current;
      if (options.maxDepth !== undefined && depth >= options.maxDepth) {
        byDepth++;
        continue;
      }
      const before = shouldSample(id) && options.checkDeterminism !== false ? fingerprintOf(model, new Fingerprinter(), state) : undefined;
      children.length = 0;
      const enabled = model.successors(state, (instance, next) => children.push({ instance, state: next }));
      if (before) checkDeterminism(model, state, before, () => pathTo(id, rec.parents, rec.steps));
      // Push in reverse so that the first action is explored first.
      for (let c = children.length - 1; c >= 0 && !rec.stop; c--) {
        rec.generated++;
        pushIfNew(children[c].state, id, children[c].instance, depth + 1);
      }
      if (enabled === 0 && !rec.stop && rec.hasTerminalChecks) {
        if (rec.checkTerminal(state, () => pathTo(id, rec.parents, rec.steps), fingerprintOf(model, new Fingerprinter(), state))) rec.stop = true;
      }
      rec.maxQueue = Math.max(rec.maxQueue, stack.length);
      if ((++expanded & 1023) === 0) {
        rec.progress(depth, stack.length);
        stopped = rec.overBudget();
        if (stopped) rec.stop = true;
      }
    }
  } catch (e) {
    if (e instanceof SpecError) return errorResult(rec, "dfs", e, current ? pathTo(current.id, rec.parents, rec.steps) : undefined);
    throw e;
  }
  return rec.finish("dfs", rec.violation ? undefined : stopped, { bounded: byDepth || rec.byConstraint ? { byDepth, byConstraint: rec.byConstraint } : undefined });
}
