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
import { CLOCK_CHECK_MASK, configurationLimit, isAllocationFailure, spent, type Budget, type BudgetReason } from "./budget.ts";
import type { SearchResult } from "./search-result.ts";

const NONE = -1;

/** Entries a packed sort key can hold (21 bits), and the finite times it can hold (below 2^30). */
const ENTRY_BITS = 2 ** 21;
const TIME_LIMIT = 2 ** 30;

/**
 * The entries in time order; equal times: calls first (touching operations count as
 * concurrent), then by entry. Positions in a recorded history (the usual times) are packed
 * into one exact number per entry, (time, kind, entry), and sorted natively; other times
 * take the comparison sort, which orders the same way.
 */
function sortedEntries(ops: readonly Operation[]): ArrayLike<number> {
  const n = ops.length;
  let packable = 2 * n < ENTRY_BITS;
  let last = -1;
  for (let i = 0; i < n && packable; i++) {
    const { call, ret } = ops[i];
    packable = Number.isInteger(call) && call >= 0 && call < TIME_LIMIT && (ret === Infinity || (Number.isInteger(ret) && ret >= 0 && ret < TIME_LIMIT));
    if (call > last) last = call;
    if (ret !== Infinity && ret > last) last = ret;
  }
  if (packable) {
    // Infinity sorts after every finite time: one past the last of them (still below 2^30 + 1).
    const never = last + 1;
    const keys = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const ret = ops[i].ret === Infinity ? never : ops[i].ret;
      keys[2 * i] = ops[i].call * 2 * ENTRY_BITS + 2 * i;
      keys[2 * i + 1] = (ret * 2 + 1) * ENTRY_BITS + 2 * i + 1;
    }
    keys.sort();
    const entries = new Int32Array(2 * n);
    for (let k = 0; k < 2 * n; k++) entries[k] = keys[k] % ENTRY_BITS;
    return entries;
  }
  const entries: number[] = [];
  for (let i = 0; i < n; i++) entries.push(2 * i, 2 * i + 1);
  const time = (e: number) => ((e & 1) === 0 ? ops[e >> 1].call : ops[e >> 1].ret);
  entries.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  return entries;
}

/** Entries: call of op i is 2i, return of op i is 2i+1, linked in time order after a head. */
function buildEntryList(ops: readonly Operation[]): { next: Int32Array; prev: Int32Array; head: number } {
  const n = ops.length;
  const entries = sortedEntries(ops);
  const head = 2 * n;
  const next = new Int32Array(2 * n + 1).fill(NONE);
  const prev = new Int32Array(2 * n + 1).fill(NONE);
  let last = head;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k];
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  return { next, prev, head };
}

/**
 * A WGL search that can run in slices: `run(steps)` advances it by at most `steps` steps and
 * returns the result once decided (or a budget ran out), undefined otherwise. Partitions of
 * a history are searched in turns this way, so that an easy failing key decides the history
 * before a hard passing one has used the whole budget (as Porcupine's parallel partitions do).
 */
export class LinearizationSearch<S, I, O> {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly determinate: boolean[];
  private remaining: number;
  private readonly bits: Bitset;
  private readonly visited: VisitedConfigurations;
  private readonly stackOps: number[] = [];
  private readonly stackStates: S[] = [];
  private state: S;
  private best: { order: number[]; state: S; blocker: number | undefined };
  private entry: number;
  private steps = 0;
  private readonly maxConfigurations: number;
  result: SearchResult<S> | undefined;

  constructor(
    private readonly model: Model<S, I, O>,
    init: S,
    private readonly ops: readonly Operation<I, O>[],
    private readonly budget?: Budget,
  ) {
    const list = buildEntryList(ops);
    this.next = list.next;
    this.prev = list.prev;
    this.head = list.head;
    this.determinate = ops.map((op) => op.ret !== Infinity);
    this.remaining = this.determinate.filter(Boolean).length;
    this.bits = new Bitset(ops.length);
    this.visited = new VisitedConfigurations(this.bits.words.length);
    this.state = init;
    this.best = { order: [], state: init, blocker: undefined };
    this.entry = this.next[this.head];
    this.maxConfigurations = configurationLimit(budget);
  }

  private unknown(reason: BudgetReason): SearchResult<S> {
    const b = this.best;
    return { status: "unknown", order: b.order, stateAfter: b.state, blocker: b.blocker, explored: this.visited.size, reason };
  }

  /** The best result so far, as "unknown" (for a search stopped from outside). */
  partial(): SearchResult<S> {
    return this.result ?? this.unknown("time");
  }

  /** Advances by at most `maxSteps` steps; the result once decided, else undefined. */
  run(maxSteps = Infinity): SearchResult<S> | undefined {
    if (this.result) return this.result;
    try {
      this.result = this.loop(maxSteps);
    } catch (e) {
      // The runtime refused to grow the cache: a memory budget, never a crash.
      if (!isAllocationFailure(e)) throw e;
      this.result = this.unknown("memory");
    }
    return this.result;
  }

  private loop(maxSteps: number): SearchResult<S> | undefined {
    const { model, ops, next, prev, head, determinate, bits, visited, stackOps, stackStates, budget } = this;
    const mask = CLOCK_CHECK_MASK;
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
    let entry = this.entry;
    let state = this.state;
    let taken = 0;
    try {
      while (this.remaining > 0) {
        if ((++this.steps & mask) === 0) {
          const reason = spent(budget);
          if (reason) return this.unknown(reason);
        }
        if (++taken > maxSteps) return undefined;
        if (entry !== NONE && (entry & 1) === 0) {
          const i = entry >> 1;
          const op = ops[i];
          const after = model.step(state, op.input, op.output);
          if (after !== ILLEGAL) {
            bits.set(i);
            if (visited.add(bits, model.hash(after))) {
              if (visited.size > this.maxConfigurations) {
                bits.clear(i);
                return this.unknown("cache");
              }
              stackOps.push(i);
              stackStates.push(state);
              state = after;
              lift(i);
              if (determinate[i]) this.remaining--;
              entry = next[head];
              continue;
            }
            bits.clear(i);
          }
          entry = next[entry];
          continue;
        }
        // A return entry (or the end): its operation was not placed in time. Backtrack.
        if ((stackOps.length > this.best.order.length || this.best.blocker === undefined) && entry !== NONE) {
          this.best = { order: stackOps.slice(), state, blocker: entry >> 1 };
        }
        if (stackOps.length === 0) {
          const b = this.best;
          return { status: "violation", order: b.order, stateAfter: b.state, blocker: b.blocker, explored: visited.size };
        }
        const i = stackOps.pop()!;
        state = stackStates.pop()!;
        bits.clear(i);
        unlift(i);
        if (determinate[i]) this.remaining++;
        entry = next[2 * i];
      }
      return { status: "ok", order: stackOps.slice(), stateAfter: state, explored: visited.size };
    } finally {
      this.entry = entry;
      this.state = state;
    }
  }
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
  return new LinearizationSearch(model, init, ops, budget).run()!;
}
