/**
 * Linearizability of one (sub-)history by Wing-Gong/Lowe backtracking: walk the time-ordered
 * list of call/return entries, tentatively placing any operation whose call comes before the
 * first pending return; a return reached before its operation is placed forces a backtrack.
 * Configurations (placed set, state) seen before are cut (Lowe's cache). Indeterminate
 * operations return at Infinity, and the search succeeds once every determinate operation
 * is placed, so an indeterminate one may also never take effect.
 *
 * Written for a cold process (one CLI call checks many short histories before the JIT has
 * compiled much): the loop keeps the placed set, its hash and the path in locals and typed
 * arrays, pauses every few thousand steps so that the caller's clock is read outside it,
 * and until the search first backtracks it caches nothing. Configurations entered before
 * that enter the cache when the search leaves them, those entered after on entry. That cuts
 * exactly the same branches as caching every configuration on entry: the sets on the
 * current path grow strictly, so a configuration reached again was always left before. A
 * history that never backtracks never touches the cache.
 */
import { ILLEGAL, type Model } from "./model.ts";
import type { Operation } from "./history.ts";
import { zobristTable } from "./bitset.ts";
import { VisitedConfigurations } from "./visited.ts";
import { CLOCK_CHECK_MASK, configurationLimit, isAllocationFailure, spent, type Budget, type BudgetReason } from "./budget.ts";
import type { SearchResult } from "./search-result.ts";

/** No blocker yet. */
const NONE = -1;
/** A state whose cache id is not computed yet. */
const NO_ID = -1;

/** How a run of the search loop stopped (a small integer, so the loop builds no result). */
type Outcome = number;
/** The step number the loop was given to stop at: counted, not taken yet. */
const PAUSED = 0;
const LINEARIZED = 1;
const REFUTED = 2;
const TIME = 3;
const MEMORY = 4;
const CACHE = 5;

/** Entries a packed sort key can hold (21 bits), and the finite times it can hold (below 2^30). */
const ENTRY_BITS = 2 ** 21;
const TIME_LIMIT = 2 ** 30;

/**
 * Links the entries (call of op i is 2i, its return 2i+1) in time order from the head, 2n,
 * to the tail, 2n+1; returns how many operations are determinate. Equal times: calls first
 * (touching operations count as concurrent), then by entry; returns at Infinity come last.
 * Recorded positions (distinct small integers, the usual times) are placed by position in
 * one pass; anything else is sorted (see sortedEntries), which orders the same way.
 */
function linkEntries(ops: readonly Operation[], next: Int32Array, prev: Int32Array): number {
  const n = ops.length;
  const bound = 8 * n + 64;
  const at = new Int32Array(bound);
  let last = -1;
  let pending = 0;
  let i = 0;
  for (; i < n; i++) {
    const op = ops[i];
    const c = op.call;
    const r = op.ret;
    if (!(c >= 0 && c < bound && (c | 0) === c) || at[c] !== 0) break;
    at[c] = 2 * i + 1;
    if (c > last) last = c;
    if (r === Infinity) pending++;
    else {
      if (!(r >= 0 && r < bound && (r | 0) === r) || at[r] !== 0) break;
      at[r] = 2 * i + 2;
      if (r > last) last = r;
    }
  }
  let p = 2 * n;
  if (i === n) {
    for (let t = 0; t <= last; t++) {
      const e = at[t] - 1;
      if (e < 0) continue;
      next[p] = e;
      prev[e] = p;
      p = e;
    }
    for (let j = 0, left = pending; left > 0; j++) {
      if (ops[j].ret !== Infinity) continue;
      next[p] = 2 * j + 1;
      prev[2 * j + 1] = p;
      p = 2 * j + 1;
      left--;
    }
  } else {
    // A tie, a wide range or times that are not positions.
    const entries = sortedEntries(ops);
    pending = 0;
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k];
      next[p] = e;
      prev[e] = p;
      p = e;
      if ((e & 1) === 1 && ops[e >> 1].ret === Infinity) pending++;
    }
  }
  next[p] = 2 * n + 1;
  prev[2 * n + 1] = p;
  return n - pending;
}

/**
 * The entries in time order, sorted: times that are integer positions packed into one exact
 * number per entry, (time, kind, entry), and sorted natively; other times by comparison.
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

/**
 * A WGL search that can run in slices: `run(steps)` advances it by at most `steps` steps and
 * returns the result once decided (or a budget ran out), undefined otherwise. Partitions of
 * a history are searched in turns this way, so that an easy failing key decides the history
 * before a hard passing one has used the whole budget (as Porcupine's parallel partitions do).
 */
export class LinearizationSearch<S, I, O> {
  /** The entry list (see linkEntries); the tail, 2n+1, is odd like a return: reaching it backtracks too. */
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** Determinate operations not placed yet. */
  private remaining: number;
  /** The placed set, and its Zobrist hash (the xor of `zobrist` over the placed operations). */
  private readonly words: Uint32Array;
  private placedHash = 0;
  private readonly zobrist: Uint32Array;
  /** Configurations left, and those entered since the search first backtracked (see above). */
  private readonly visited: VisitedConfigurations;
  /** Distinct configurations entered (the cache of the classic search would hold them all). */
  private explored = 0;
  /** The path: operations placed, and the state (and its cache id) before each. */
  private readonly stackOps: number[] = [];
  private readonly stackStates: S[] = [];
  private readonly stackIds: Int32Array;
  /** Whether the configuration entered at each depth went into the cache then (else it goes in when left). */
  private readonly stackRecorded: Uint8Array;
  private depth = 0;
  private state: S;
  /** Cache id of `state`, or NO_ID while not needed. */
  private stateId = NO_ID;
  /** The deepest dead end: the longest valid prefix and the operation that could not follow. */
  private best: { order: number[]; state: S; blocker: number };
  /** Length of best.order, or -1 while there is no dead end yet. */
  private bestDepth = -1;
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
    const n = ops.length;
    this.next = new Int32Array(2 * n + 2);
    this.prev = new Int32Array(2 * n + 2);
    this.remaining = linkEntries(ops, this.next, this.prev);
    this.words = new Uint32Array(Math.ceil(n / 32) || 1);
    this.zobrist = zobristTable(n);
    this.visited = new VisitedConfigurations(this.words.length);
    this.stackIds = new Int32Array(n);
    this.stackRecorded = new Uint8Array(n);
    this.state = init;
    // NONE: no blocker yet (an int, so the field keeps one representation).
    this.best = { order: [], state: init, blocker: NONE };
    this.entry = this.next[2 * n];
    this.maxConfigurations = configurationLimit(budget);
  }

  private found(status: "violation" | "unknown", reason?: BudgetReason): SearchResult<S> {
    const b = this.best;
    const blocker = b.blocker === NONE ? undefined : b.blocker;
    if (status === "violation") return { status, order: b.order, stateAfter: b.state, blocker, explored: this.explored };
    return { status, order: b.order, stateAfter: b.state, blocker, explored: this.explored, reason };
  }

  /** The best result so far, as "unknown" (for a search stopped from outside). */
  partial(): SearchResult<S> {
    return this.result ?? this.found("unknown", "time");
  }

  /** Advances by at most `maxSteps` steps; the result once decided, else undefined. */
  run(maxSteps = Infinity): SearchResult<S> | undefined {
    if (this.result) return this.result;
    // Step number s reads the clock when s & CLOCK_CHECK_MASK is 0, and ends the slice when past
    // `stop` (counted, not taken). The loop pauses at each such step and is resumed here, so the
    // clock and the caller's budget callbacks stay out of it.
    const stop = this.steps + maxSteps;
    let outcome: Outcome;
    try {
      // The loop counts on from this.steps; the first step it may take is after `from`.
      for (let from = this.steps; ; ) {
        const pauseAt = Math.min(from - (from & CLOCK_CHECK_MASK) + CLOCK_CHECK_MASK + 1, stop + 1);
        outcome = this.loop(pauseAt);
        if (outcome !== PAUSED) break;
        if ((pauseAt & CLOCK_CHECK_MASK) === 0) {
          const reason = spent(this.budget);
          if (reason) {
            outcome = reason === "time" ? TIME : MEMORY;
            break;
          }
        }
        if (pauseAt > stop) return undefined;
        // Step pauseAt is taken next (the loop counts it again); the next pause lies after it.
        this.steps = pauseAt - 1;
        from = pauseAt;
      }
    } catch (e) {
      // The runtime refused to grow the cache: a memory budget, never a crash.
      if (!isAllocationFailure(e)) throw e;
      outcome = MEMORY;
    }
    if (outcome === LINEARIZED) this.result = { status: "ok", order: this.path(this.depth), stateAfter: this.state, explored: this.explored };
    else if (outcome === REFUTED) this.result = this.found("violation");
    else this.result = this.found("unknown", outcome === TIME ? "time" : outcome === MEMORY ? "memory" : "cache");
    return this.result;
  }

  /** The first `depth` operations placed, in order. */
  private path(depth: number): number[] {
    return this.stackOps.slice(0, depth);
  }

  /** The cache id of a state. */
  private idOf(state: S): number {
    return this.visited.idOf(this.model.hash(state));
  }

  /**
   * Runs the search up to step number `pauseAt`; how it stopped. Its variables live in locals
   * and are saved on every way out (one epilogue, so that the compiled loop meets no path it
   * has not seen run).
   */
  private loop(pauseAt: number): Outcome {
    const { model, ops, next, prev, words, zobrist, visited, stackOps, stackStates, stackIds, stackRecorded } = this;
    const illegal: typeof ILLEGAL = ILLEGAL;
    const head = 2 * ops.length;
    const tail = head + 1;
    let entry = this.entry;
    let state = this.state;
    let stateId = this.stateId;
    let hash = this.placedHash;
    let remaining = this.remaining;
    let depth = this.depth;
    let steps = this.steps;
    let bestDepth = this.bestDepth;
    let cached = visited.size > 0;
    let outcome = LINEARIZED;
    while (remaining > 0) {
      if (++steps === pauseAt) {
        outcome = PAUSED;
        break;
      }
      if ((entry & 1) === 0) {
        // A call: try to place its operation now.
        const i = entry >> 1;
        const op = ops[i];
        const after = model.step(state, op.input, op.output);
        if (after === illegal) {
          entry = next[entry];
          continue;
        }
        const w = i >>> 5;
        const bit = 1 << (i & 31);
        words[w] |= bit;
        // The id of `after`, needed only to look it up; a step that keeps the state keeps its id.
        let id = NO_ID;
        if (cached) {
          const same = after === state;
          if (same) id = stateId;
          if (id === NO_ID) {
            id = this.idOf(after);
            if (same) stateId = id;
          }
          if (!visited.add(words, hash ^ zobrist[i], id)) {
            words[w] &= ~bit;
            entry = next[entry];
            continue;
          }
        }
        if (++this.explored > this.maxConfigurations) {
          words[w] &= ~bit;
          outcome = CACHE;
          break;
        }
        hash ^= zobrist[i];
        stackOps[depth] = i;
        stackStates[depth] = state;
        stackIds[depth] = stateId;
        stackRecorded[depth] = cached ? 1 : 0;
        depth++;
        state = after;
        stateId = id;
        // Lift the operation's call and return out of the list.
        let p = prev[entry];
        let q = next[entry];
        next[p] = q;
        prev[q] = p;
        p = prev[entry + 1];
        q = next[entry + 1];
        next[p] = q;
        prev[q] = p;
        if (op.ret !== Infinity) remaining--;
        entry = next[head];
        continue;
      }
      // A return entry (or the tail): its operation was not placed in time. Backtrack.
      if (entry !== tail && depth > bestDepth) {
        this.best = { order: this.path(depth), state, blocker: entry >> 1 };
        bestDepth = depth;
      }
      if (depth === 0) {
        outcome = REFUTED;
        break;
      }
      depth--;
      // Every way on from here failed: the configuration must be in the cache once left.
      if (stackRecorded[depth] === 0) {
        if (stateId === NO_ID) stateId = this.idOf(state);
        visited.insert(words, hash, stateId);
        cached = true;
      }
      const i = stackOps[depth];
      state = stackStates[depth];
      stateId = stackIds[depth];
      words[i >>> 5] &= ~(1 << (i & 31));
      hash ^= zobrist[i];
      // Put the operation's return and call back into the list.
      const c = 2 * i;
      next[prev[c + 1]] = c + 1;
      prev[next[c + 1]] = c + 1;
      next[prev[c]] = c;
      prev[next[c]] = c;
      if (ops[i].ret !== Infinity) remaining++;
      entry = next[c];
    }
    this.entry = entry;
    this.state = state;
    this.stateId = stateId;
    this.placedHash = hash;
    this.remaining = remaining;
    this.depth = depth;
    this.steps = steps;
    this.bestDepth = bestDepth;
    return outcome;
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
