/**
 * Memoized actions for BFS (a spec opts in with `memoize: true`). An action's successors
 * depend only on the state fields it reads; field values are interned (field-store.ts), so
 * "the fields it reads" is a short list of refs, and states that agree on them share the
 * action's result: per instance, disabled or the refs of the fields it writes. A hit costs
 * a table probe and yields successors as frame edits, with no spec code run, no object
 * built and no fingerprint walk (the fingerprint is the parent's field-term sum with the
 * written fields' terms swapped, see fingerprint.ts).
 *
 * Which fields an action reads is observed, not declared: on a miss the action runs on a
 * stand-in for the state (TrackedState) that records each field read by name (`s.msgs`,
 * destructuring). A spread or `Object.assign` of the state reads every field as a copy,
 * which does not make the result depend on the field: the copied value lands in the result
 * unchanged. The fields an action's key holds grow as its evaluations read more of them.
 *
 * The contract this relies on, beyond purity: an action reads the fields it decides on
 * from its state argument by name, not through a copy of the state (`{...s}.x`,
 * `Object.values(s)`, `JSON.stringify(s)`). Sampled states (determinism.ts) re-evaluate
 * every action for real and compare, which catches a spec that breaks it.
 *
 * An action whose hit rate stays under MIN_HIT_RATE after MIN_TRIES lookups (Raft's
 * handlers: they read the message set, which is nearly new in every state) is evaluated
 * directly from then on, as is any action whose results change the state's key list.
 */
import { FieldDigests, Fingerprinter } from "../values/fingerprint.ts";
import { termOf, type Fingerprint } from "../values/hash.ts";
import type { RecordShape } from "../values/key-order.ts";
import type { Model, SuccessorVisitor } from "./model.ts";
import type { ParentFields, RecordFrames } from "./record-frames.ts";
import { SpecError } from "./spec-error.ts";

const MIN_TRIES = 1 << 14;
const MIN_HIT_RATE = 0.3;
/** Entries beyond this many words (256 MB) start the table over. */
const MAX_WORDS = 1 << 26;
/** Read sets are bit masks over field positions. */
const MAX_FIELDS = 31;

/**
 * Receives an enabled successor as edits of its parent: field `delta[at + 2k]` becomes ref
 * `delta[at + 2k + 1]`, k < count; `total` is its sum of field terms (see fingerprint.ts).
 */
export type DeltaVisitor = (instance: number, total: Fingerprint, delta: Int32Array, at: number, count: number) => void;

export interface MemoStats {
  hits: number;
  misses: number;
  /** Actions evaluated directly after their hit rate stayed low, or whose results change the key list. */
  directActions: string[];
}

export class ActionMemo {
  private shape: RecordShape | undefined = undefined;
  private positions = new Map<string, number>();
  private tracked: TrackedState | undefined = undefined;
  /** Per action: the fields (bit mask) its key holds. */
  private readonly reads: Int32Array;
  private readonly active: boolean[];
  private readonly tries: Float64Array;
  private readonly hitCount: Float64Array;
  /**
   * Entries: [action, mask, ref per masked field, instance count, then per instance -1
   * (disabled) or k, the sum of the written fields' terms (hi, lo), and k (field, ref) pairs].
   */
  private data = new Int32Array(1 << 16);
  private used = 0;
  /** Open addressing: entry offset + 1, 0 when empty. */
  private table = new Int32Array(1 << 12);
  private entries = 0;
  private readonly fields = new FieldDigests();
  private readonly build: number[] = [];
  /** The parent's field terms, per position. */
  private termHi = new Int32Array(MAX_FIELDS);
  private termLo = new Int32Array(MAX_FIELDS);
  private readonly term: Fingerprint = { hi: 0, lo: 0 };
  private readonly total: Fingerprint = { hi: 0, lo: 0 };

  constructor(
    private readonly model: Model,
    private readonly frames: RecordFrames,
    private readonly fingerprinter: Fingerprinter,
  ) {
    const n = model.actionCount;
    this.reads = new Int32Array(n);
    this.active = new Array(n).fill(true);
    this.tries = new Float64Array(n);
    this.hitCount = new Float64Array(n);
  }

  /**
   * Every enabled successor of `state` (whose frame digests and refs are in `fields`), in
   * instance order: memoized actions through `onDelta`, the others through `onState`.
   * Returns the number of enabled successors.
   */
  successors(state: unknown, fields: ParentFields, onDelta: DeltaVisitor, onState: SuccessorVisitor): number {
    const model = this.model;
    if (fields.shape !== this.shape) {
      if (this.shape !== undefined || !memoizable(fields.shape)) return model.successors(state, onState);
      this.shape = fields.shape;
      this.positions = new Map(fields.shape.sorted.map((k, i) => [k, i]));
      this.tracked = new TrackedState(fields.shape.sorted);
    }
    const t = this.term, termHi = this.termHi, termLo = this.termLo, total = this.total;
    for (let i = 0; i < fields.shape!.sorted.length; i++) {
      termOf(i, fields.hi[i], fields.lo[i], t);
      termHi[i] = t.hi;
      termLo[i] = t.lo;
    }
    let instance = 0, enabled = 0;
    for (let a = 0; a < this.reads.length; a++) {
      const entry = this.active[a] ? this.entryFor(a, state, fields) : -1;
      if (entry < 0) {
        model.enabled = 0;
        instance += model.actionSuccessors(a, state, instance, onState);
        enabled += model.enabled;
        continue;
      }
      const data = this.data;
      let p = entry + 2 + popcount(data[entry + 1]);
      const count = data[p++];
      for (let k = 0; k < count; k++) {
        const c = data[p++];
        if (c < 0) continue;
        let th = (fields.totalHi + data[p]) | 0, tl = (fields.totalLo + data[p + 1]) | 0;
        p += 2;
        for (let j = 0; j < c; j++) {
          const i = data[p + 2 * j];
          th = (th - termHi[i]) | 0;
          tl = (tl - termLo[i]) | 0;
        }
        total.hi = th;
        total.lo = tl;
        enabled++;
        onDelta(instance + k, total, data, p, c);
        p += 2 * c;
      }
      instance += count;
    }
    return enabled;
  }

  stats(): MemoStats {
    let hits = 0, tries = 0;
    for (let a = 0; a < this.tries.length; a++) {
      hits += this.hitCount[a];
      tries += this.tries[a];
    }
    return { hits, misses: tries - hits, directActions: this.model.actionNames.filter((_, a) => !this.active[a]) };
  }

  /** The entry of action `a` for this state, evaluating it on a miss; -1 when `a` is no longer memoized. */
  private entryFor(a: number, state: unknown, fields: ParentFields): number {
    const mask = this.reads[a], refs = fields.fieldRefs, data = this.data;
    const tableMask = this.table.length - 1;
    this.tries[a]++;
    for (let slot = keyHash(a, mask, refs) & tableMask; ; slot = (slot + 1) & tableMask) {
      const e = this.table[slot] - 1;
      if (e < 0) break;
      if (data[e] !== a || data[e + 1] !== mask) continue;
      let same = true;
      for (let m = mask, p = e + 2; m !== 0; m &= m - 1, p++) {
        if (data[p] !== refs[31 - Math.clz32(m & -m)]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.hitCount[a]++;
        return e;
      }
    }
    if (this.tries[a] >= MIN_TRIES && this.hitCount[a] < MIN_HIT_RATE * this.tries[a]) {
      this.active[a] = false;
      return -1;
    }
    return this.evaluate(a, state, fields);
  }

  /** Runs action `a` on a read-tracking view of `state` and stores the result. */
  private evaluate(a: number, state: unknown, parent: ParentFields): number {
    const tracker = this.tracked!;
    tracker.begin(state);
    const view = tracker.view;
    const n = this.shape!.sorted.length;
    const out = this.build;
    out.length = 0;
    const results: number[][] = [];
    let memoizable = true;
    let count: number;
    try {
      count = this.model.actionSuccessors(a, view, 0, (instance, next) => {
        if (!memoizable) return;
        // The state itself back (a self-loop): every field carried over.
        if (next === view || next === state) return void (results[instance] = []);
        const delta = this.deltaOf(next, parent);
        if (delta === undefined) memoizable = false;
        else results[instance] = delta;
      });
    } catch (e) {
      // Report the state itself, not the tracking view of it.
      if (e instanceof SpecError) throw new SpecError({ ...e.info, state: e.info.state === view ? state : e.info.state });
      throw e;
    }
    if (!memoizable) {
      this.active[a] = false;
      return -1;
    }
    const mask = this.reads[a] | tracker.mask;
    this.reads[a] = mask;
    out.push(a, mask);
    for (let m = mask; m !== 0; m &= m - 1) out.push(parent.fieldRefs[31 - Math.clz32(m & -m)]);
    out.push(count);
    const t = this.term, store = this.frames.store;
    for (let k = 0; k < count; k++) {
      const delta = results[k];
      if (delta === undefined) {
        out.push(-1);
        continue;
      }
      let sh = 0, sl = 0;
      for (let j = 0; j < delta.length; j += 2) {
        termOf(delta[j], store.hi[delta[j + 1]], store.lo[delta[j + 1]], t);
        sh = (sh + t.hi) | 0;
        sl = (sl + t.lo) | 0;
      }
      out.push(delta.length / 2, sh, sl, ...delta);
    }
    return this.store(out, keyHash(a, mask, parent.fieldRefs));
  }

  /**
   * The fields `next` writes, as (position, ref) pairs; undefined when its key list is not
   * the parent's. A field holding its copy marker was carried over; any other value was
   * written (even one equal to the parent's).
   */
  private deltaOf(next: unknown, parent: ParentFields): number[] | undefined {
    const sorted = this.shape!.sorted, n = sorted.length;
    if (typeof next !== "object" || next === null || Object.getPrototypeOf(next) !== Object.prototype) return undefined;
    const o = next as Record<string, unknown>;
    let keys = 0;
    for (const key in o) {
      if (key === CANARY) continue; // copied from the stand-in by a spread
      if (!Object.hasOwn(o, key) || !this.positions.has(key)) return undefined;
      keys++;
    }
    if (keys !== n) return undefined;
    const delta: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = o[sorted[i]];
      if (x === COPIES[i]) continue;
      if (x === parent.refs[i]) {
        // An object is the parent's own (carried over); a primitive was written (copies of
        // primitives arrive as markers), with the value it had.
        if (x !== null && typeof x === "object") continue;
        delta.push(i, parent.fieldRefs[i]);
        continue;
      }
      this.fingerprinter.fieldDigest(x, i, parent, this.fields);
      delta.push(i, this.frames.internField(this.fields, i));
    }
    return delta;
  }

  private store(entry: number[], hash: number): number {
    if (this.used + entry.length > this.data.length) {
      if (this.used + entry.length > MAX_WORDS) this.clear();
      else {
        let size = this.data.length * 2;
        while (size < this.used + entry.length) size *= 2;
        const bigger = new Int32Array(size);
        bigger.set(this.data.subarray(0, this.used));
        this.data = bigger;
      }
    }
    const e = this.used;
    for (let i = 0; i < entry.length; i++) this.data[e + i] = entry[i];
    this.used += entry.length;
    if (2 * ++this.entries > this.table.length) this.rehash();
    else this.place(e, hash);
    return e;
  }

  private place(e: number, hash: number): void {
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = e + 1;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let e = 0; e < this.used; ) {
      const a = this.data[e], mask = this.data[e + 1];
      const key = e + 2, m = popcount(mask);
      this.place(e, entryHash(a, mask, this.data, key, m));
      let p = key + m;
      const count = this.data[p++];
      for (let k = 0; k < count; k++) {
        const c = this.data[p++];
        if (c >= 0) p += 2 + 2 * c;
      }
      e = p;
    }
  }

  private clear(): void {
    this.used = 0;
    this.entries = 0;
    this.table.fill(0);
  }
}

/**
 * The stand-in for a state during a tracked evaluation: a plain object with an accessor per
 * field (in sorted key order), after a first "canary" accessor. A read by name (`s.msgs`,
 * destructuring) calls that field's getter alone. A whole-object copy (spread,
 * `Object.assign`) calls the canary's getter and then every field's in order: those are
 * copies, not reads, and a primitive copy reads as a marker. Spreading accessors is about
 * ten times cheaper than spreading a Proxy, and the stand-in is made once per key list.
 * Writing to it throws: states are immutable.
 */
class TrackedState {
  readonly view: object;
  /** Fields read by name since `begin`. */
  mask = 0;
  private state: Record<string, unknown> = {};
  private copying = false;
  private next = 0;

  constructor(sorted: readonly string[]) {
    const view = {};
    Object.defineProperty(view, CANARY, {
      enumerable: true,
      get: () => {
        this.copying = true;
        this.next = 0;
        return undefined;
      },
    });
    sorted.forEach((key, at) =>
      Object.defineProperty(view, key, {
        enumerable: true,
        get: () => this.read(key, at),
        set: () => {
          throw new TypeError(`an action assigned to field ${key} of the state it was given (states are immutable: return a new object instead)`);
        },
      }),
    );
    Object.preventExtensions(view);
    this.view = view;
  }

  begin(state: unknown): void {
    this.state = state as Record<string, unknown>;
    this.mask = 0;
    this.copying = false;
  }

  private read(key: string, at: number): unknown {
    const value = this.state[key];
    if (this.copying && at === this.next) {
      this.next++;
      // A primitive copied into the result cannot be told from one written with the same
      // value, so its copy is a marker (see deltaOf); objects are told by identity.
      return value === null || typeof value !== "object" ? COPIES[at] : value;
    }
    this.copying = false;
    this.mask |= 1 << at;
    return value;
  }
}

/** The first key of a TrackedState: its getter announces a whole-object copy. */
const CANARY = "\u0000dscheck:copy";

/**
 * What a copy of a primitive field reads as during a tracked evaluation. Not a state value:
 * an action that uses a copied field instead of only carrying it (the memo contract's
 * breach) gets an error naming this class, or a result the sampled re-evaluation rejects.
 */
class FieldCopiedFromState {
  constructor(readonly position: number) {
    Object.freeze(this);
  }
}
const COPIES = Array.from({ length: MAX_FIELDS }, (_, i) => new FieldCopiedFromState(i));

/** Record states with at most MAX_FIELDS fields, none named like an array index (those would enumerate before the canary). */
function memoizable(shape: RecordShape | undefined): shape is RecordShape {
  return shape !== undefined && shape.sorted.length <= MAX_FIELDS && shape.sorted.every((k) => k !== CANARY && !/^(0|[1-9]\d*)$/.test(k));
}

function popcount(m: number): number {
  let c = 0;
  for (; m !== 0; m &= m - 1) c++;
  return c;
}

/** Hash of (action, mask, the refs of the masked fields). */
function keyHash(a: number, mask: number, refs: Int32Array): number {
  let h = Math.imul(a + 1, 0x9e3779b1) ^ mask;
  for (let m = mask; m !== 0; m &= m - 1) h = Math.imul(h ^ refs[31 - Math.clz32(m & -m)], 0x85ebca6b) + 0x27d4eb2f;
  return fmix(h);
}

/** keyHash of a stored entry's key (`m` refs at `data[at]`). */
function entryHash(a: number, mask: number, data: Int32Array, at: number, m: number): number {
  let h = Math.imul(a + 1, 0x9e3779b1) ^ mask;
  for (let i = 0; i < m; i++) h = Math.imul(h ^ data[at + i], 0x85ebca6b) + 0x27d4eb2f;
  return fmix(h);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
