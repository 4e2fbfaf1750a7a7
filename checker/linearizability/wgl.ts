/**
 * Linearizability of one (sub-)history by Wing-Gong/Lowe backtracking: walk the time-ordered
 * list of call/return entries, tentatively placing any operation whose call comes before the
 * first pending return; a return reached before its operation is placed forces a backtrack.
 * Configurations (placed set, state) seen before are cut (Lowe's cache). Indeterminate
 * operations return at Infinity, and the search succeeds once every determinate operation
 * is placed, so an indeterminate one may also never take effect.
 */
import { ILLEGAL, type Model } from "./model.ts";
import type { Operation } from "./history.ts";
import { Bitset } from "./bitset.ts";
import { VisitedConfigurations } from "./visited.ts";
import { CLOCK_CHECK_MASK, expired, type Budget } from "./budget.ts";
import type { SearchResult } from "./search-result.ts";

const NONE = -1;

/** Entries: call of op i is 2i, return of op i is 2i+1, linked in time order after a head. */
function buildEntryList(ops: readonly Operation[]): { next: Int32Array; prev: Int32Array; head: number } {
  const n = ops.length;
  const entries: number[] = [];
  for (let i = 0; i < n; i++) entries.push(2 * i, 2 * i + 1);
  const time = (e: number) => ((e & 1) === 0 ? ops[e >> 1].call : ops[e >> 1].ret);
  // Equal times: calls first, so touching operations count as concurrent.
  entries.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  const head = 2 * n;
  const next = new Int32Array(2 * n + 1).fill(NONE);
  const prev = new Int32Array(2 * n + 1).fill(NONE);
  let last = head;
  for (const e of entries) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  return { next, prev, head };
}

/**
 * Searches for a linearization of `ops` (already normalised: no "fail" ops, indeterminate
 * ones with ret = Infinity) under `model`, starting from `init`. Stops with "unknown" when
 * `budget` is spent.
 */
export function searchLinearization<S, I, O>(
  model: Model<S, I, O>,
  init: S,
  ops: readonly Operation<I, O>[],
  budget?: Budget,
): SearchResult<S> {
  const n = ops.length;
  const { next, prev, head } = buildEntryList(ops);
  const determinate = ops.map((op) => op.ret !== Infinity);
  let remaining = determinate.filter(Boolean).length;
  const bits = new Bitset(n);
  const visited = new VisitedConfigurations(bits.words.length);
  const stackOps: number[] = [];
  const stackStates: S[] = [];
  let state = init;
  let best = { order: [] as number[], state: init, blocker: undefined as number | undefined };
  let steps = 0;

  const lift = (i: number) => {
    const c = 2 * i;
    const r = c + 1;
    next[prev[c]] = next[c];
    if (next[c] !== NONE) prev[next[c]] = prev[c];
    next[prev[r]] = next[r];
    if (next[r] !== NONE) prev[next[r]] = prev[r];
  };
  const unlift = (i: number) => {
    const c = 2 * i;
    const r = c + 1;
    next[prev[r]] = r;
    if (next[r] !== NONE) prev[next[r]] = r;
    next[prev[c]] = c;
    if (next[c] !== NONE) prev[next[c]] = c;
  };

  let entry = next[head];
  while (remaining > 0) {
    if ((++steps & CLOCK_CHECK_MASK) === 0 && expired(budget)) {
      return { status: "unknown", order: best.order, stateAfter: best.state, blocker: best.blocker, explored: visited.size };
    }
    if (entry !== NONE && (entry & 1) === 0) {
      const i = entry >> 1;
      const op = ops[i];
      const after = model.step(state, op.input, op.output);
      if (after !== ILLEGAL) {
        bits.set(i);
        if (visited.add(bits, model.hash(after))) {
          stackOps.push(i);
          stackStates.push(state);
          state = after;
          lift(i);
          if (determinate[i]) remaining--;
          entry = next[head];
          continue;
        }
        bits.clear(i);
      }
      entry = next[entry];
      continue;
    }
    // A return entry (or the end): its operation was not placed in time. Backtrack.
    if ((stackOps.length > best.order.length || best.blocker === undefined) && entry !== NONE) {
      best = { order: stackOps.slice(), state, blocker: entry >> 1 };
    }
    if (stackOps.length === 0) {
      return { status: "violation", order: best.order, stateAfter: best.state, blocker: best.blocker, explored: visited.size };
    }
    const i = stackOps.pop()!;
    state = stackStates.pop()!;
    bits.clear(i);
    unlift(i);
    if (determinate[i]) remaining++;
    entry = next[2 * i];
  }
  return { status: "ok", order: stackOps, stateAfter: state, explored: visited.size };
}
