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
 * stand-in for the state (TrackedState) that records each field read (`s.msgs`,
 * destructuring, `Object.values(s)`, `for...in`). A spread or `Object.assign` of the state
 * copies every field without reading it: the copied value lands in the result unchanged, so
 * the result does not depend on it. The fields an action's key holds grow as its
 * evaluations read more of them.
 *
 * The contract this relies on, beyond purity: an action decides only on fields it reads
 * from its state argument, not on fields of a copy of the state (`const t = {...s}; t.x`).
 * Sampled states (determinism.ts) re-evaluate every action for real and compare, and a
 * counterexample is replayed for real, which catches most specs that break it.
 *
 * An action whose hit rate stays under MIN_HIT_RATE after MIN_TRIES lookups (Raft's
 * handlers: they read the message set, which is nearly new in every state) is evaluated
 * directly from then on, as is any action whose results change the state's key list and
 * any action that fails on the stand-in (the direct evaluation then reports the fault).
 */
import { FieldDigests, Fingerprinter } from "../values/fingerprint.ts";
import { termOf, type Fingerprint } from "../values/hash.ts";
import type { RecordShape } from "../values/key-order.ts";
import type { Model, SuccessorVisitor } from "./model.ts";
import type { FieldStore } from "./field-store.ts";
import type { ParentFields, RecordFrames } from "./record-frames.ts";
import { SpecError, type SpecErrorInfo } from "./spec-error.ts";
import type { Discovery } from "./types.ts";

const MIN_TRIES = 1 << 14;
const MIN_HIT_RATE = 0.3;
/** By default, entries beyond this many words (256 MB) start the table over. */
const MAX_WORDS = 1 << 26;
/** Read sets are bit masks over field positions. */
const MAX_FIELDS = 31;

/**
 * Receives an enabled successor as edits of its parent: field `delta[at + 2k]` becomes ref
 * `delta[at + 2k + 1]`, k < count; `total` is its sum of field terms (see fingerprint.ts).
 */
export type DeltaVisitor = (instance: number, total: Fingerprint, delta: Int32Array, at: number, count: number) => void;

/** The error for a counterexample found with memoized actions that does not replay. */
export function unreplayedCounterexample(found: Discovery): SpecErrorInfo {
  return {
    kind: "nondeterministic",
    path: found.path,
    message:
      `the counterexample for ${found.property} found with memoized actions does not replay: with memoize on, an action must ` +
      `decide only on state fields it reads from its state argument, not on fields of a copy of the state ({...s}.field); ` +
      `run with --no-memoize`,
  };
}

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
  /** Fields of the state being expanded that are stored inline (no ref). */
  private inlineMask = 0;
  /** Fields of the last `deltaOf` result that hold a primitive equal to the parent's. */
  private ambiguous = 0;
  /** Per action: the fields (bit mask) its key holds. */
  private readonly reads: Int32Array;
  private readonly active: boolean[];
  /** Per action: whether its evaluations start in Mode.Guess. */
  private readonly guessing: boolean[];
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
  private readonly termHi = new Int32Array(MAX_FIELDS);
  private readonly termLo = new Int32Array(MAX_FIELDS);
  private readonly term: Fingerprint = { hi: 0, lo: 0 };
  private readonly total: Fingerprint = { hi: 0, lo: 0 };

  constructor(
    private readonly model: Model,
    private readonly frames: RecordFrames,
    private readonly fingerprinter: Fingerprinter,
    /** Entries beyond this many words start the table over. */
    private readonly maxWords = MAX_WORDS,
  ) {
    const n = model.actionCount;
    this.reads = new Int32Array(n);
    this.active = new Array(n).fill(true);
    this.guessing = new Array(n).fill(true);
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
    // The parent's field terms, and its fields stored inline (record-frames.ts: values that
    // rarely repeat), which have no ref to key on.
    const t = this.term, termHi = this.termHi, termLo = this.termLo, total = this.total;
    let inline = 0;
    for (let i = 0; i < fields.shape!.sorted.length; i++) {
      termOf(i, fields.hi[i], fields.lo[i], t);
      termHi[i] = t.hi;
      termLo[i] = t.lo;
      if (fields.fieldRefs[i] < 0) inline |= 1 << i;
    }
    this.inlineMask = inline;
    let instance = 0, enabled = 0;
    for (let a = 0; a < model.actionCount; a++) {
      const entry = this.active[a] && (this.reads[a] & inline) === 0 ? this.entryFor(a, state, fields) : -1;
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
    for (let a = 0; a < this.model.actionCount; a++) {
      hits += this.hitCount[a];
      tries += this.tries[a];
    }
    return { hits, misses: tries - hits, directActions: this.model.actionNames.filter((_, a) => !this.active[a]) };
  }

  /** The entry of action `a` for this state, evaluating it on a miss; -1 when `a` is no longer memoized. */
  private entryFor(a: number, state: unknown, fields: ParentFields): number {
    const e = this.lookup(a, fields.fieldRefs);
    if (e >= 0 || !this.keepTrying(a)) return e;
    return this.evaluate(a, state, fields);
  }

  /** The stored entry of key `a` for a state with these field refs, or -1. */
  private lookup(a: number, refs: Int32Array): number {
    const mask = this.reads[a], data = this.data;
    const tableMask = this.table.length - 1;
    this.tries[a]++;
    for (let slot = keyHash(a, mask, refs) & tableMask; ; slot = (slot + 1) & tableMask) {
      const e = this.table[slot] - 1;
      if (e < 0) return -1;
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
  }

  /** After a miss: whether key `a` stays memoized (its hit rate is not too low). */
  private keepTrying(a: number): boolean {
    if (this.tries[a] >= MIN_TRIES && this.hitCount[a] < MIN_HIT_RATE * this.tries[a]) this.active[a] = false;
    return this.active[a];
  }

  /** Runs action `a` on the stand-in for `state` and stores the result; -1 when `a` is to be evaluated directly. */
  private evaluate(a: number, state: unknown, parent: ParentFields): number {
    const tracker = this.tracked!;
    // Usually one pass: copies of primitives read as markers, guessing that a run of reads
    // of fields 0, 1, 2, ... in order is a copy (which the canary then confirms).
    let results: (number[] | undefined)[];
    let count: number, mask: number;
    const guess = this.guessing[a] ? this.run(a, state, parent, Mode.Guess) : undefined;
    const guessReads = guess !== undefined ? tracker.end() : 0;
    if (guess !== undefined && !tracker.misguessed) {
      mask = this.reads[a] | guessReads;
      ({ results, count } = guess);
    } else {
      // The guess failed (a marker went to a read, e.g. `s.a` with a the first key), and will
      // again for this action: from now on, learn with real values throughout which reads
      // were copies; then, if a result holds a primitive equal to the parent's in a field the
      // key leaves out (copied, or written with the value it had?), replay the same calls
      // with markers for exactly the copies to tell the two apart.
      this.guessing[a] = false;
      const first = this.run(a, state, parent, Mode.Learn);
      if (first === undefined) return this.deactivate(a);
      mask = this.reads[a] | tracker.end();
      ({ results, count } = first);
      if ((first.ambiguous & ~mask) !== 0) {
        const calls = tracker.calls;
        const second = this.run(a, state, parent, Mode.Replay);
        if (second === undefined || tracker.calls !== calls || !sameSuccessors(first, second, parent, this.frames.store)) throw this.breach(a, state);
        results = second.results;
      }
    }
    this.reads[a] = mask;
    // Read a field with no ref: these results cannot be keyed (the caller evaluates directly).
    if ((mask & this.inlineMask) !== 0) return -1;
    const out = this.build;
    out.length = 0;
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
   * One tracked evaluation of action `a`: per instance its writes (undefined: disabled);
   * undefined when the action threw or returned something that is not a record of the
   * parent's key list (evaluated directly, it then reports a fault as usual, or runs fine
   * when the fault came from the stand-in, e.g. a state nested in its own successor).
   */
  private run(a: number, state: unknown, parent: ParentFields, mode: Mode): Evaluation | undefined {
    const tracker = this.tracked!;
    tracker.begin(state, mode);
    const view = tracker.view;
    const marked = mode !== Mode.Learn;
    const results: (number[] | undefined)[] = [];
    let ambiguous = 0, ok = true;
    let count: number;
    try {
      count = this.model.actionSuccessors(a, view, 0, (instance, next) => {
        if (!ok) return;
        // The state itself back (a self-loop): every field carried over.
        if (next === view || next === state) return void (results[instance] = []);
        const delta = this.deltaOf(next, parent, marked);
        if (delta === undefined) ok = false;
        else {
          results[instance] = delta;
          ambiguous |= this.ambiguous;
        }
      });
    } catch (e) {
      // Writing to the stand-in is writing to the state: report it (with the state itself).
      if (e instanceof SpecError && (tracker.wrote || WRITE_ERROR.test(e.info.message))) throw new SpecError({ ...e.info, state });
      return undefined;
    }
    return ok ? { count, results, ambiguous } : undefined;
  }

  private deactivate(a: number): number {
    this.active[a] = false;
    return -1;
  }

  private breach(a: number, state: unknown): SpecError {
    const name = this.model.actionNames[a];
    return new SpecError({
      kind: "nondeterministic",
      action: name,
      state,
      message:
        `action ${name} decides on a field of a copy of the state (e.g. const t = { ...s }; t.flag): with memoize on, ` +
        `read the fields an action depends on from its state argument (s.flag), or run with --no-memoize`,
    });
  }

  /**
   * The fields `next` writes, as (position, ref) pairs; undefined when its key list is not
   * the parent's. A field holding the parent's own object was carried over. With `marked`,
   * a copied primitive holds its marker, and any other primitive equal to the parent's was
   * written; without, such a primitive is ambiguous (left in `this.ambiguous`).
   */
  private deltaOf(next: unknown, parent: ParentFields, marked: boolean): number[] | undefined {
    const sorted = this.shape!.sorted, n = sorted.length;
    this.ambiguous = 0;
    if (typeof next !== "object" || next === null || Object.getPrototypeOf(next) !== Object.prototype) return undefined;
    const o = next as Record<string, unknown>;
    let keys = 0;
    for (const key in o) {
      if (!Object.hasOwn(o, key) || !this.positions.has(key)) return undefined;
      keys++;
    }
    if (keys !== n) return undefined;
    const delta: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = o[sorted[i]];
      if (x === COPIES[i]) continue;
      if (x === parent.refs[i]) {
        if (x !== null && typeof x === "object") continue;
        if (marked) delta.push(i, parent.fieldRefs[i] >= 0 ? parent.fieldRefs[i] : this.frames.internField(parent, i));
        else this.ambiguous |= 1 << i;
        continue;
      }
      this.fingerprinter.fieldDigest(x, i, parent, this.fields);
      delta.push(i, this.frames.internField(this.fields, i));
    }
    return delta;
  }

  private store(entry: number[], hash: number): number {
    if (this.used + entry.length > this.data.length) {
      if (this.used + entry.length > this.maxWords) this.clear();
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
    // Fresh arrays, so that nothing still reading the old ones sees them change.
    this.data = new Int32Array(this.data.length);
    this.used = 0;
    this.entries = 0;
    this.table = new Int32Array(this.table.length);
  }
}

/** How a TrackedState answers reads that may be copies. */
const enum Mode {
  /** Real values, except that primitives read in a run of fields 0, 1, 2, ... read as markers. */
  Guess,
  /** Real values throughout. */
  Learn,
  /** Markers for the primitives read by exactly the calls the last Learn evaluation found to be copies. */
  Replay,
}

/**
 * The stand-in for a state during a tracked evaluation: a plain object with an accessor per
 * field (in sorted key order) and, last, an accessor under a symbol (the "canary"). A read by
 * name (`s.msgs`, destructuring, `Object.values(s)`, `for...in`) calls field getters. Only a
 * whole-object copy (spread, `Object.assign`) also calls the canary's getter, right after a
 * sweep of every field in order (symbol keys come after string keys); that sweep is then
 * taken back as a copy, not a read. A copied primitive cannot be told from one written with
 * the same value, so copies of primitives read as markers (see Mode). Accessors spread about
 * ten times faster than a Proxy, and the stand-in is made once per key list. Writing to it
 * throws: states are immutable.
 */
class TrackedState {
  readonly view: object;
  /** Getter calls since `begin`. */
  calls = 0;
  /** Whether the evaluation since `begin` assigned to a field. */
  wrote = false;
  /** Guess mode: whether a marker went to a call that turned out not to be a copy. */
  misguessed = false;
  private mask = 0;
  private state: Record<string, unknown> = {};
  private mode = Mode.Learn;
  /** Per getter call of the last Learn evaluation: 1 when it was part of a copy. */
  private copyCalls = new Uint8Array(256);
  private copyCallsEnd = 0;
  /** The current run of reads of fields 0, 1, 2, ... in order (a possible copy). */
  private run = 0;
  private runNext = 0;
  private runStart = 0;
  private runMarked = false;

  constructor(private readonly sorted: readonly string[]) {
    const view = {};
    sorted.forEach((key, at) =>
      Object.defineProperty(view, key, {
        enumerable: true,
        get: () => this.read(key, at),
        set: () => {
          this.wrote = true;
          throw new TypeError(`an action assigned to field ${key} of the state it was given (states are immutable: return a new object instead)`);
        },
      }),
    );
    Object.defineProperty(view, CANARY, { enumerable: true, get: () => this.copied() });
    Object.preventExtensions(view);
    this.view = view;
  }

  begin(state: unknown, mode: Mode): void {
    this.state = state as Record<string, unknown>;
    if (mode === Mode.Learn) {
      this.copyCalls.fill(0, 0, this.copyCallsEnd);
      this.copyCallsEnd = 0;
    }
    this.mode = mode;
    this.wrote = this.misguessed = this.runMarked = false;
    this.mask = this.run = this.runNext = this.calls = 0;
  }

  /** The fields read (not copied) since `begin` (Guess and Learn evaluations). */
  end(): number {
    this.closeRun();
    return this.mask;
  }

  private read(key: string, at: number): unknown {
    const call = this.calls++;
    const value = this.state[key];
    const primitive = value === null || typeof value !== "object";
    if (this.mode === Mode.Replay) return primitive && call < this.copyCalls.length && this.copyCalls[call] === 1 ? COPIES[at] : value;
    if (at !== this.runNext) {
      this.closeRun();
      if (at !== 0) {
        this.mask |= 1 << at;
        return value;
      }
    }
    if (at === 0) this.runStart = call;
    this.run |= 1 << at;
    this.runNext++;
    if (this.mode === Mode.Guess && primitive) {
      this.runMarked = true;
      return COPIES[at];
    }
    return value;
  }

  /** Ends the current run as reads (no canary confirmed it as a copy). */
  private closeRun(): void {
    this.mask |= this.run;
    if (this.runMarked) this.misguessed = true;
    this.run = this.runNext = 0;
    this.runMarked = false;
  }

  private copied(): undefined {
    if (this.mode === Mode.Replay) return undefined;
    const n = this.sorted.length;
    if (this.runNext !== n) {
      this.closeRun();
      return undefined;
    }
    // A copy sweeps every field in order just before: those calls were copies.
    if (this.mode === Mode.Learn) {
      if (this.runStart + n > this.copyCalls.length) {
        const bigger = new Uint8Array(Math.max(2 * this.copyCalls.length, this.runStart + n));
        bigger.set(this.copyCalls);
        this.copyCalls = bigger;
      }
      this.copyCalls.fill(1, this.runStart, this.runStart + n);
      this.copyCallsEnd = this.runStart + n;
    }
    this.run = this.runNext = 0;
    this.runMarked = false;
    return undefined;
  }
}

/** V8's messages for defining or deleting a property of a non-extensible object (the stand-in). */
const WRITE_ERROR = /Cannot (define|add|delete|redefine) property|object is not extensible/;

/** The key of a TrackedState's canary: a symbol, so `Object.keys`, `for...in` and JSON do not see it. */
const CANARY = Symbol("dscheck:copy");

/** What a copied primitive field reads as in Guess and Replay evaluations: not a state value. */
class FieldCopiedFromState {
  constructor(readonly position: number) {
    Object.freeze(this);
  }
}
const COPIES = Array.from({ length: MAX_FIELDS }, (_, i) => new FieldCopiedFromState(i));

interface Evaluation {
  count: number;
  results: (number[] | undefined)[];
  /** Fields where some result holds a primitive equal to the parent's (Learn evaluations). */
  ambiguous: number;
}

/**
 * Whether an unmarked and a marked evaluation agree, up to writes of the parent's own value
 * (which the unmarked one cannot see): markers reach only code that reads a copy of the
 * state, so a difference means the action decided on one.
 */
function sameSuccessors(first: Evaluation, second: Evaluation, parent: ParentFields, store: FieldStore): boolean {
  if (first.count !== second.count) return false;
  for (let k = 0; k < first.count; k++) {
    const a = first.results[k], b = second.results[k];
    if (a === undefined || b === undefined) {
      if (a !== b) return false;
      continue;
    }
    const x = changes(a, parent, store), y = changes(b, parent, store);
    if (x.length !== y.length || x.some((v, j) => v !== y[j])) return false;
  }
  return true;
}

/** A delta without the writes of the parent's own value. */
function changes(delta: readonly number[], parent: ParentFields, store: FieldStore): number[] {
  const out: number[] = [];
  for (let j = 0; j < delta.length; j += 2) {
    const i = delta[j], ref = delta[j + 1], own = parent.fieldRefs[i];
    // An inline parent field has no ref: compare digests.
    const same = own >= 0 ? ref === own : store.hi[ref] === parent.hi[i] && store.lo[ref] === parent.lo[i];
    if (!same) out.push(i, ref);
  }
  return out;
}

/**
 * Record states with at most MAX_FIELDS fields, none named like an array index (those
 * enumerate in numeric order, not in the sorted order the copy detection expects).
 */
function memoizable(shape: RecordShape | undefined): shape is RecordShape {
  return shape !== undefined && shape.sorted.length <= MAX_FIELDS && shape.sorted.every((k) => !/^(0|[1-9]\d*)$/.test(k));
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
