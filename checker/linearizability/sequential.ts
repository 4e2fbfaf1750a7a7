/**
 * Sequential consistency of one (sub-)history: is there a legal total order that keeps each
 * process's own order (real time between processes is ignored)? Depth-first search over
 * which process moves next, with the same (placed set, state) cache as WGL. A determinate
 * operation waits for the earlier determinate operations of its process; an indeterminate
 * one may be placed any time after its process reached it, or never.
 */
import { ILLEGAL, type Model } from "./model.ts";
import type { Operation } from "./history.ts";
import { Bitset } from "./bitset.ts";
import { VisitedConfigurations } from "./visited.ts";
import { CLOCK_CHECK_MASK, configurationLimit, isAllocationFailure, spent, type Budget } from "./budget.ts";
import type { SearchResult } from "./search-result.ts";

interface Frame<S> {
  readonly state: S;
  readonly candidates: number[];
  next: number;
  /** The op placed to reach the next frame, or -1. */
  placed: number;
}

/** Per process, its operations in invocation order (local indexes). */
function processChains(ops: readonly Operation[]): number[][] {
  const byProcess = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const k = `${typeof op.process}:${op.process}`;
    const chain = byProcess.get(k) ?? [];
    chain.push(i);
    byProcess.set(k, chain);
  });
  const chains = [...byProcess.values()];
  for (const c of chains) c.sort((a, b) => ops[a].call - ops[b].call || a - b);
  return chains;
}

/**
 * Searches for a sequentially consistent order of `ops` (normalised as for
 * searchLinearization) under `model` from `init`; "unknown" when `budget` is spent.
 */
export function searchSequential<S, I, O>(
  model: Model<S, I, O>,
  init: S,
  ops: readonly Operation<I, O>[],
  budget?: Budget,
): SearchResult<S> {
  let partial: SearchResult<S> = { status: "unknown", order: [], stateAfter: init, explored: 0, reason: "memory" };
  try {
    return sequentialSearch(model, init, ops, budget, (r) => (partial = r));
  } catch (e) {
    // The runtime refused to grow the cache: a memory budget, never a crash.
    if (!isAllocationFailure(e)) throw e;
    return { ...partial, status: "unknown", reason: "memory" };
  }
}

function sequentialSearch<S, I, O>(
  model: Model<S, I, O>,
  init: S,
  ops: readonly Operation<I, O>[],
  budget: Budget | undefined,
  progress: (r: SearchResult<S>) => void,
): SearchResult<S> {
  const maxConfigurations = configurationLimit(budget);
  const chains = processChains(ops);
  const determinate = ops.map((op) => op.ret !== Infinity);
  let remaining = determinate.filter(Boolean).length;
  const bits = new Bitset(ops.length);
  const visited = new VisitedConfigurations(bits.words.length);
  // Operations each process may run next: undone ones up to its first undone determinate op.
  const candidatesNow = (): number[] => {
    const out: number[] = [];
    for (const chain of chains) {
      for (const i of chain) {
        if (bits.has(i)) continue;
        out.push(i);
        if (determinate[i]) break;
      }
    }
    // Trying real-time order first finds the linearization-like order quickly when one exists.
    return out.sort((a, b) => ops[a].call - ops[b].call || a - b);
  };
  const stack: Frame<S>[] = [{ state: init, candidates: candidatesNow(), next: 0, placed: -1 }];
  let best = { order: [] as number[], state: init, blocker: undefined as number | undefined };
  const placedOrder = (): number[] => stack.slice(0, -1).map((f) => f.placed);
  let steps = 0;

  while (remaining > 0) {
    if ((++steps & CLOCK_CHECK_MASK) === 0) {
      const reason = spent(budget);
      if (reason) return { status: "unknown", order: best.order, stateAfter: best.state, blocker: best.blocker, explored: visited.size, reason };
      progress({ status: "unknown", order: best.order, stateAfter: best.state, blocker: best.blocker, explored: visited.size });
    }
    const top = stack[stack.length - 1];
    if (top.next < top.candidates.length) {
      const i = top.candidates[top.next++];
      const op = ops[i];
      const after = model.step(top.state, op.input, op.output);
      if (after === ILLEGAL) continue;
      bits.set(i);
      if (!visited.add(bits.words, bits.hashLo, visited.idOf(model.hash(after)))) {
        bits.clear(i);
        continue;
      }
      if (visited.size > maxConfigurations) {
        return { status: "unknown", order: best.order, stateAfter: best.state, blocker: best.blocker, explored: visited.size, reason: "cache" };
      }
      top.placed = i;
      if (determinate[i]) remaining--;
      stack.push({ state: after, candidates: candidatesNow(), next: 0, placed: -1 });
      continue;
    }
    // Every candidate failed here: remember the deepest dead end, then backtrack.
    if (stack.length - 1 > best.order.length || best.blocker === undefined) {
      const blocker = top.candidates.find((c) => determinate[c]);
      best = { order: placedOrder(), state: top.state, blocker };
    }
    stack.pop();
    if (stack.length === 0) {
      return { status: "violation", order: best.order, stateAfter: best.state, blocker: best.blocker, explored: visited.size };
    }
    const parent = stack[stack.length - 1];
    bits.clear(parent.placed);
    if (determinate[parent.placed]) remaining++;
    parent.placed = -1;
  }
  const last = stack[stack.length - 1];
  return { status: "ok", order: placedOrder(), stateAfter: last.state, explored: visited.size };
}
