/**
 * Memoized actions for BFS (a spec opts in with `memoize: true`), sound by construction.
 *
 * Only actions written as `update` (they return the fields they write, as TLA+'s primed
 * variables) are memoized. Their result depends only on what they read of the state, and
 * every read is observed: the action runs on a stand-in for the state whose fields are
 * accessors, so a read by name, destructuring, `Object.values`, `JSON.stringify` and a
 * spread (`{ ...s }`, which reads every field) all go through them. Field values are
 * interned (field-store.ts), so "what it read" is a list of refs, and states that agree on
 * them share the action's result: per instance, disabled or the refs of the fields it
 * writes (every write, also of a value the parent has). A hit runs no spec code, builds no object and fingerprints by arithmetic (the
 * parent's field-term sum with the written fields' terms swapped, fingerprint.ts).
 *
 * Why that is exact for any pure action: the key of an entry holds every field the
 * evaluation that made it read (an action's key only grows), so a state that agrees on the
 * key makes the same evaluation read the same values and take the same branches. The key
 * set of a record (which `in` and `Object.keys` see without reading) is fixed per record
 * shape, and each shape has its own stand-in. A stand-in is made fresh for each evaluation
 * and dies when it returns, so no spec-side cache keyed by the state object and no late
 * read can see another state through it. Nothing here is sampled: the sampled purity check
 * (determinism.ts) checks purity, which every search relies on, not this argument.
 *
 * `next` actions (which return the whole successor, and so read every field) are evaluated
 * directly, as is an action whose hit rate stays under MIN_HIT_RATE after MIN_TRIES
 * lookups (Raft's handlers read the message set, which is nearly new in every state), one
 * that reads a field stored inline (no ref to key on), one whose update adds a field, and
 * one that fails on the stand-in (the direct evaluation then reports the fault as usual).
 */
import { FieldDigests, Fingerprinter } from "../../values/fingerprint.ts";
import { termOf, type Fingerprint } from "../../values/hash.ts";
import type { RecordShape } from "../../values/key-order.ts";
import type { BoundSpec, SuccessorVisitor } from "../model/bound-spec.ts";
import type { ParentFields, RecordFrames } from "../store/record-frames.ts";
import { SpecError } from "../model/spec-error.ts";

const MIN_TRIES = 1 << 14;
const MIN_HIT_RATE = 0.3;
/** By default, entries beyond this many words (256 MB) start the table over. */
const MAX_WORDS = 1 << 26;
/** Read sets are bit masks over field positions. */
const MAX_FIELDS = 31;

/**
 * Receives an enabled successor as edits of its parent: field `delta[at + 2k]` becomes ref
 * `delta[at + 2k + 1]`, k < count, in position order; `total` is its sum of field terms.
 */
export type DeltaVisitor = (instance: number, total: Fingerprint, delta: Int32Array, at: number, count: number, action: number) => void;

export interface MemoStats {
  hits: number;
  misses: number;
  /** Update actions evaluated directly after their hit rate stayed low, or that could not be keyed. */
  directActions: string[];
}

export class ActionMemo {
  private shape: RecordShape | undefined = undefined;
  private positions = new Map<string, number>();
  private standIn: StandIn | undefined = undefined;
  /** Fields of the state being expanded that are stored inline (no ref). */
  private inlineMask = 0;
  /** Per action: the fields (bit mask) its key holds. */
  private readonly reads: Int32Array;
  /** Per action: memoized (an update action not given up on). */
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
  private readonly results: (Record<string, unknown> | undefined)[] = [];
  /** The parent's field terms, per position. */
  private readonly termHi = new Int32Array(MAX_FIELDS);
  private readonly termLo = new Int32Array(MAX_FIELDS);
  private readonly term: Fingerprint = { hi: 0, lo: 0 };
  private readonly total: Fingerprint = { hi: 0, lo: 0 };

  constructor(
    private readonly model: BoundSpec,
    private readonly frames: RecordFrames,
    private readonly fingerprinter: Fingerprinter,
    /** Entries beyond this many words start the table over. */
    private readonly maxWords = MAX_WORDS,
  ) {
    const n = model.actionCount;
    this.reads = new Int32Array(n);
    this.active = model.isUpdate.slice();
    this.tries = new Float64Array(n);
    this.hitCount = new Float64Array(n);
  }

  /** Whether any action can be memoized at all. */
  get useful(): boolean {
    return this.model.isUpdate.some((u) => u);
  }

  /**
   * Every enabled successor of `state` (whose frame digests and refs are in `fields`), in
   * instance order: memoized actions through `onDelta`, the others through `onState`.
   * Returns the number of enabled successors.
   */
  successors(state: unknown, fields: ParentFields, onDelta: DeltaVisitor, onState: SuccessorVisitor): number {
    const model = this.model;
    if (fields.shape !== this.shape) {
      // One record shape is memoized (the first seen); states of any other shape, rare in
      // practice, are expanded directly.
      if (this.shape !== undefined || fields.shape === undefined || fields.shape.sorted.length > MAX_FIELDS) return model.successors(state, onState);
      this.shape = fields.shape;
      this.positions = new Map(fields.shape.sorted.map((k, i) => [k, i]));
      this.standIn = new StandIn(fields.shape.sorted);
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
        onDelta(instance + k, total, data, p, c, a);
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
    const given = this.model.actionNames.filter((_, a) => this.model.isUpdate[a] && !this.active[a]);
    return { hits, misses: tries - hits, directActions: given };
  }

  /** The entry of action `a` for this state, evaluating it on a miss; -1 when it is to be evaluated directly. */
  private entryFor(a: number, state: unknown, fields: ParentFields): number {
    const e = this.lookup(a, fields.fieldRefs);
    if (e >= 0 || !this.keepTrying(a)) return e;
    return this.evaluate(a, state, fields);
  }

  /** The stored entry of action `a` for a state with these field refs, or -1. */
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

  /** After a miss: whether action `a` stays memoized (its hit rate is not too low). */
  private keepTrying(a: number): boolean {
    if (this.tries[a] >= MIN_TRIES && this.hitCount[a] < MIN_HIT_RATE * this.tries[a]) this.active[a] = false;
    return this.active[a];
  }

  /** Runs action `a` on a stand-in for `state` and stores the result; -1 when it is to be evaluated directly. */
  private evaluate(a: number, state: unknown, parent: ParentFields): number {
    const standIn = this.standIn!;
    const results = this.results;
    results.length = 0;
    let count: number;
    const view = standIn.begin(state);
    try {
      count = this.model.actionUpdates(a, view, (instance, u) => void (results[instance] = u));
    } catch (e) {
      standIn.end();
      // Assigning to a field of the stand-in is assigning to the state: say so, with the state.
      if (standIn.wrote && e instanceof SpecError) {
        throw new SpecError({ ...e.info, kind: "mutated-state", state, message: `${e.info.message} (states are immutable: return the fields an update writes instead)` });
      }
      return this.deactivate(a);
    }
    const mask = (this.reads[a] |= standIn.end());
    // Read a field with no ref: this state's results cannot be keyed (the caller evaluates directly).
    if ((mask & this.inlineMask) !== 0) return -1;
    const out = this.build;
    out.length = 0;
    out.push(a, mask);
    for (let m = mask; m !== 0; m &= m - 1) out.push(parent.fieldRefs[31 - Math.clz32(m & -m)]);
    out.push(count);
    const t = this.term, store = this.frames.store;
    for (let k = 0; k < count; k++) {
      const u = results[k];
      if (u === undefined) {
        out.push(-1);
        continue;
      }
      let delta: number[] | undefined;
      try {
        delta = this.deltaOf(u, parent);
      } catch {
        delta = undefined;
      }
      // A new field, or a value that is not a state value: the direct evaluation handles it.
      if (delta === undefined) return this.deactivate(a);
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

  private deactivate(a: number): number {
    this.active[a] = false;
    return -1;
  }

  /**
   * The fields an update writes, as (position, ref) pairs in position order; undefined when
   * it writes a field the parent does not have (the successor's key list would change).
   * A write of the value the parent already has is kept: the entry is reused for states that
   * agree only on what the action read, and in those the written field may differ.
   */
  private deltaOf(u: Record<string, unknown>, parent: ParentFields): number[] | undefined {
    const delta: number[] = [];
    const keys = Object.keys(u);
    if (keys.length > 1) keys.sort((x, y) => (this.positions.get(x) ?? -1) - (this.positions.get(y) ?? -1));
    for (const key of keys) {
      const i = this.positions.get(key);
      if (i === undefined) return undefined;
      const x = u[key];
      if (x === parent.refs[i] && parent.fieldRefs[i] >= 0) {
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

/**
 * The stand-in for a state during one evaluation: a fresh non-extensible object with one
 * enumerable accessor per field, in the decoded state's (sorted) key order. Each getter
 * call marks its field as read; assigning throws (states are immutable); once the
 * evaluation is over, any call throws, so a reference kept past it cannot read stale data.
 */
class StandIn {
  mask = 0;
  wrote = false;
  private live: object | null = null;
  private state: Record<string, unknown> = {};
  private readonly descriptors: PropertyDescriptorMap = {};

  constructor(sorted: readonly string[]) {
    const self = this;
    sorted.forEach((key, at) => {
      this.descriptors[key] = {
        enumerable: true,
        get(this: object) {
          return self.read(this, key, at);
        },
        set() {
          self.wrote = true;
          throw new TypeError(`an action assigned to field ${key} of the state it was given`);
        },
      };
    });
  }

  begin(state: unknown): object {
    this.state = state as Record<string, unknown>;
    this.mask = 0;
    this.wrote = false;
    const view = Object.preventExtensions(Object.defineProperties({}, this.descriptors));
    this.live = view;
    return view;
  }

  /** Ends the evaluation; returns the fields it read. */
  end(): number {
    this.live = null;
    return this.mask;
  }

  private read(receiver: object, key: string, at: number): unknown {
    if (receiver !== this.live) throw new TypeError("a state was read after its action returned");
    this.mask |= 1 << at;
    return this.state[key];
  }
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
