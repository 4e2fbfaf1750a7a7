/**
 * The linearizability search as it was before the cold-start rework (wgl.ts, visited.ts and
 * bitset.ts of commit c4e7376, unchanged but for the exports): a frozen reference that
 * test/linearizability/wgl-reference.test.ts compares the current search with, result for
 * result. Not used by the checker.
 */
import { ILLEGAL, type Model } from "../../checker/linearizability/model.ts";
import type { Operation } from "../../checker/linearizability/history.ts";
import { CLOCK_CHECK_MASK, configurationLimit, isAllocationFailure, spent, type Budget, type BudgetReason } from "../../checker/linearizability/budget.ts";
import type { SearchResult } from "../../checker/linearizability/search-result.ts";

/** Deterministic 32-bit mixing (splitmix-style) so hashes are the same on every run. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

class Bitset {
  readonly words: Uint32Array;
  hashLo = 0;
  hashHi = 0;
  private readonly zLo: Uint32Array;
  private readonly zHi: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) || 1);
    this.zLo = new Uint32Array(size);
    this.zHi = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      this.zLo[i] = mix32(2 * i + 1);
      this.zHi[i] = mix32(0x9e3779b9 ^ (2 * i + 2));
    }
  }

  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Sets bit i; it must be clear. */
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hashLo ^= this.zLo[i];
    this.hashHi ^= this.zHi[i];
  }

  /** Clears bit i; it must be set. */
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
    this.hashLo ^= this.zLo[i];
    this.hashHi ^= this.zHi[i];
  }

  equalsWords(other: Uint32Array): boolean {
    const w = this.words;
    for (let k = 0; k < w.length; k++) if (w[k] !== other[k]) return false;
    return true;
  }
}

const NIL = 0xffffffff;

class VisitedConfigurations {
  private readonly stateIds = new Map<string, number>();
  /** Open addressing: slot -> first record offset + 1 (0 = empty), slots keyed by `key`. */
  // Small at first: most searches (one per file and key) visit a few hundred configurations.
  private slotKeys = new Int32Array(1 << 6);
  private slotHeads = new Int32Array(1 << 6);
  private slotsUsed = 0;
  private arena: Uint32Array;
  private used = 0;
  private readonly stride: number;
  size = 0;

  constructor(words: number) {
    this.stride = words + 2;
    this.arena = new Uint32Array(this.stride * 64);
  }

  /** The last state hash looked up and its id: consecutive steps often reach the same state. */
  private lastHash: string | undefined;
  private lastSid = 0;

  /** Distinct model states seen (interned hashes). */
  get states(): number {
    return this.stateIds.size;
  }

  /** Records (bits, stateHash); returns false when it had been recorded already. */
  add(bits: Bitset, stateHash: string): boolean {
    let sid: number | undefined;
    if (stateHash === this.lastHash) sid = this.lastSid;
    else {
      sid = this.stateIds.get(stateHash);
      if (sid === undefined) {
        sid = this.stateIds.size;
        this.stateIds.set(stateHash, sid);
      }
      this.lastHash = stateHash;
      this.lastSid = sid;
    }
    const key = (bits.hashLo ^ Math.imul(sid + 1, 0x9e3779b1)) & 0x3fffffff;
    const words = bits.words;
    const slot = this.findSlot(key);
    const head = this.slotHeads[slot] - 1;
    const arena = this.arena;
    for (let r = head < 0 ? NIL : head; r !== NIL; r = arena[r]) {
      if (arena[r + 1] !== sid) continue;
      let same = true;
      for (let k = 0; k < words.length; k++) {
        if (arena[r + 2 + k] !== words[k]) {
          same = false;
          break;
        }
      }
      if (same) return false;
    }
    if (this.used + this.stride > arena.length) {
      const grown = new Uint32Array(arena.length * 2);
      grown.set(arena);
      this.arena = grown;
    }
    const r = this.used;
    this.arena[r] = head < 0 ? NIL : head;
    this.arena[r + 1] = sid;
    this.arena.set(words, r + 2);
    if (head < 0) {
      this.slotKeys[slot] = key;
      this.slotsUsed++;
    }
    this.slotHeads[slot] = r + 1;
    this.used += this.stride;
    this.size++;
    if (this.slotsUsed * 2 > this.slotKeys.length) this.growSlots();
    return true;
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  private findSlot(key: number): number {
    const mask = this.slotKeys.length - 1;
    let s = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    while (this.slotHeads[s] !== 0 && this.slotKeys[s] !== key) s = (s + 1) & mask;
    return s;
  }

  private growSlots(): void {
    const oldKeys = this.slotKeys;
    const oldHeads = this.slotHeads;
    this.slotKeys = new Int32Array(oldKeys.length * 2);
    this.slotHeads = new Int32Array(oldKeys.length * 2);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] === 0) continue;
      const s = this.findSlot(oldKeys[i]);
      this.slotKeys[s] = oldKeys[i];
      this.slotHeads[s] = oldHeads[i];
    }
  }
}

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
export class ReferenceSearch<S, I, O> {
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
export function referenceSearch<S, I, O>(
  model: Model<S, I, O>,
  init: S,
  ops: readonly Operation<I, O>[],
  budget?: Budget,
): SearchResult<S> {
  return new ReferenceSearch(model, init, ops, budget).run()!;
}
