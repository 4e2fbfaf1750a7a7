/**
 * 64-bit fingerprints of state values, computed by walking the value (no buffer).
 *
 * The fingerprint is a hash of the canonical encoding (encode.ts) in which some pieces are
 * replaced by their own 64-bit digests: a string longer than 24 characters contributes the
 * digest of its code (shorter ones are hashed word by word), a record the digest of its
 * sorted key list (kept per key list) before its values, a ValueSet the sealed sum of one
 * term per element code (hash.ts; the sum is kept on the set and carried to the set that
 * `add` or `delete` makes of it), a ValueMap the digest of its code. Both digests are
 * computed once per instance, so a set shared between a state and its successor costs
 * nothing to fingerprint again.
 * Equal values therefore get equal fingerprints (record keys in sorted order, set and map
 * elements in canonical order), and distinct values collide only with the probability of a
 * 64-bit hash collision. Strings' digests are cached per Fingerprinter.
 *
 * A state that is a record is hashed differently at its top two levels, so that a successor
 * costs only what the action changed. Each field gets a digest (an array field: the sum of
 * one term per element; any other field: the walk above), and the fingerprint is a hash of
 * the key-list digest and the *sum* of one term per field. A term is a strong mix of a
 * position and a digest, so sums of distinct term sets differ except with probability
 * about 2^-64 (an incremental "AdHash"). Given the parent's digests (`FieldDigests`), a
 * field that is the same object as the parent's costs nothing, and an array field that
 * differs in one element costs two terms instead of a walk of every element. This leans
 * on the immutability contract: the same object is taken to hold the same value (the
 * sampled mutation check in determinism.ts catches specs that break it).
 */
import { Encoder } from "./encode.ts";
import { KeyOrder } from "./key-order.ts";
import { finalize, hashWords, seal, termOf, type Fingerprint } from "./hash.ts";
import type { RecordShape } from "./key-order.ts";
import { ValueMap, ValueSet } from "./value.ts";

const TAG_NULL = 0, TAG_FALSE = 1, TAG_TRUE = 2, TAG_INT = 3, TAG_FLOAT = 4, TAG_STRING = 5;
const TAG_ARRAY = 6, TAG_RECORD = 7, TAG_SET = 8, TAG_MAP = 9;
// Long strings contribute the digest of their code, under a tag of their own.
const TAG_LONG_STRING = 10;
const DIRECT_STRING = 24;
const SMALL_MIN = -(2 ** 27), SMALL_MAX = 2 ** 27 - 1;
const C1 = 0xcc9e2d51 | 0, C2 = 0x1b873593 | 0;
const MAX_CACHED_STRINGS = 1 << 16;

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

/** Digest of a set's or map's canonical encoding, cached on the (immutable) instance. */
interface DigestCache {
  digestHi?: number;
  digestLo?: number;
}

/**
 * What a record state's fingerprint is made of, kept so that its successors can reuse it:
 * per field (in sorted key order) the value, its digest, and for an array field its length
 * and the sum of its element terms; and the sum of the field terms. When the fingerprint
 * was computed against a parent of the same shape, the per-field figures are filled in
 * only for the fields that differ from the parent's (the others are the parent's).
 */
export class FieldDigests {
  /** The record's key list; undefined when the state is not a record. */
  shape: RecordShape | undefined = undefined;
  /** The field values the digests are of (compared by identity; entries past the key count are stale). */
  refs: unknown[] = [];
  hi = new Int32Array(8);
  lo = new Int32Array(8);
  /** Array fields: element count, else -1. */
  arrayLength = new Int32Array(8);
  sumHi = new Int32Array(8);
  sumLo = new Int32Array(8);
  totalHi = 0;
  totalLo = 0;

  /** Room for `n` fields. */
  reserve(n: number): void {
    if (this.hi.length >= n) return;
    let size = this.hi.length;
    while (size < n) size *= 2;
    this.hi = new Int32Array(size);
    this.lo = new Int32Array(size);
    this.arrayLength = new Int32Array(size);
    this.sumHi = new Int32Array(size);
    this.sumLo = new Int32Array(size);
  }
}

export class Fingerprinter {
  private h1 = 0;
  private h2 = 0;
  private count = 0;
  private readonly strings = new Map<string, Fingerprint>();
  private readonly encoder = new Encoder();
  private readonly scratch: Fingerprint = { hi: 0, lo: 0 };
  private readonly keyOrder = new KeyOrder();
  /** Field digests when the caller does not keep them. */
  private readonly fields = new FieldDigests();
  private readonly term: Fingerprint = { hi: 0, lo: 0 };
  /** Per nesting depth, room for a nested record's values (see `record`). */
  private readonly valueStack: unknown[][] = [];
  /** Digests of short strings met as array elements, by string (two words each in `shortDigests`). */
  private readonly shortStrings = new Map<string, number>();
  private shortDigests = new Int32Array(256);

  /** A record state (see the top of the file); `parent` supplies digests of fields it shares. */
  private recordState(o: Record<string, unknown>, out: Fingerprint, parent: FieldDigests | undefined, into: FieldDigests): void {
    // The field values land in `into.refs`, in sorted key order.
    const shape = this.keyOrder.shapeOf(o, into.refs);
    this.shapeDigest(shape);
    const n = shape.sorted.length;
    into.shape = shape;
    into.reserve(n);
    const refs = into.refs, hi = into.hi, lo = into.lo, t = this.term;
    const same = parent !== undefined && parent.shape === shape;
    let th = 0, tl = 0;
    if (same) {
      th = parent.totalHi;
      tl = parent.totalLo;
      for (let i = 0; i < n; i++) {
        // A field shared with the parent keeps its term, and its digests stay in `parent`
        // (not copied into `into`: most successors are states seen before).
        if (parent.refs[i] === refs[i]) continue;
        termOf(i, parent.hi[i], parent.lo[i], t);
        th = (th - t.hi) | 0;
        tl = (tl - t.lo) | 0;
        this.field(refs[i], i, parent, into);
        termOf(i, hi[i], lo[i], t);
        th = (th + t.hi) | 0;
        tl = (tl + t.lo) | 0;
      }
    } else {
      for (let i = 0; i < n; i++) {
        this.field(refs[i], i, undefined, into);
        termOf(i, hi[i], lo[i], t);
        th = (th + t.hi) | 0;
        tl = (tl + t.lo) | 0;
      }
    }
    into.totalHi = th;
    into.totalLo = tl;
    seal((n << 4) | TAG_RECORD, shape.digestHi!, shape.digestLo!, th, tl, out);
  }

  /**
   * Digests of `x` as field `i` of a record state, into `into` (what `fingerprint` leaves
   * there for a field that changed); throws InvalidValueError on non-state data.
   */
  fieldDigest(x: unknown, i: number, parent: FieldDigests | undefined, into: FieldDigests): void {
    into.reserve(i + 1);
    into.refs[i] = x;
    this.field(x, i, parent, into);
  }

  /** Digest of field i of a record state, into `into`; an array field reuses the parent's element sum when it can. */
  private field(x: unknown, i: number, parent: FieldDigests | undefined, into: FieldDigests): void {
    if (!Array.isArray(x)) {
      this.element(x);
      into.hi[i] = this.scratch.hi;
      into.lo[i] = this.scratch.lo;
      into.arrayLength[i] = -1;
      return;
    }
    const n = x.length, t = this.term, d = this.scratch;
    let sh = 0, sl = 0;
    const old = parent?.refs[i];
    if (parent !== undefined && parent.arrayLength[i] === n && Array.isArray(old)) {
      sh = parent.sumHi[i];
      sl = parent.sumLo[i];
      for (let k = 0; k < n; k++) {
        const a = x[k], b = old[k];
        if (a === b) continue;
        this.element(b);
        termOf(k, d.hi, d.lo, t);
        sh = (sh - t.hi) | 0;
        sl = (sl - t.lo) | 0;
        this.element(a);
        termOf(k, d.hi, d.lo, t);
        sh = (sh + t.hi) | 0;
        sl = (sl + t.lo) | 0;
      }
    } else {
      for (let k = 0; k < n; k++) {
        this.element(x[k]);
        termOf(k, d.hi, d.lo, t);
        sh = (sh + t.hi) | 0;
        sl = (sl + t.lo) | 0;
      }
    }
    into.arrayLength[i] = n;
    into.sumHi[i] = sh;
    into.sumLo[i] = sl;
    seal((n << 4) | TAG_ARRAY, 0, 0, sh, sl, d);
    into.hi[i] = d.hi;
    into.lo[i] = d.lo;
  }

  /**
   * Digest of a field, or of an element of an array field, into `scratch`: the walk's
   * digest of the value alone, except that a set contributes its own digest and short
   * strings' digests are cached (they repeat).
   */
  private element(x: unknown): void {
    if (x instanceof ValueSet) {
      // A set's digest already covers its tag and elements.
      this.ensureDigest(x);
      this.scratch.hi = x.digestHi!;
      this.scratch.lo = x.digestLo!;
      return;
    }
    if (typeof x === "string" && x.length <= DIRECT_STRING) {
      const at = this.shortStrings.get(x);
      if (at !== undefined) {
        this.scratch.hi = this.shortDigests[at];
        this.scratch.lo = this.shortDigests[at + 1];
        return;
      }
      this.digest(x, 2);
      if (this.shortStrings.size < MAX_CACHED_STRINGS) {
        const slot = 2 * this.shortStrings.size;
        if (slot + 1 >= this.shortDigests.length) {
          const bigger = new Int32Array(this.shortDigests.length * 2);
          bigger.set(this.shortDigests);
          this.shortDigests = bigger;
        }
        this.shortDigests[slot] = this.scratch.hi;
        this.shortDigests[slot + 1] = this.scratch.lo;
        this.shortStrings.set(x, slot);
      }
      return;
    }
    this.digest(x, 2);
  }

  /** The walk's digest of `x` alone, into `scratch` (the running hash is saved and restored). */
  private digest(x: unknown, depth: number): void {
    const h1 = this.h1, h2 = this.h2, count = this.count;
    this.h1 = 0x9747b28c | 0;
    this.h2 = 0x3c6ef372 | 0;
    this.count = 0;
    this.value(x, depth);
    finalize(this.h1, this.h2, this.count, this.scratch);
    this.h1 = h1;
    this.h2 = h2;
    this.count = count;
  }

  private shapeDigest(shape: RecordShape): void {
    if (shape.digestHi !== undefined) return;
    const n = this.encoder.encode(shape.sorted);
    hashWords(this.encoder.words, n, this.scratch);
    shape.digestHi = this.scratch.hi;
    shape.digestLo = this.scratch.lo;
  }

  /** Writes the fingerprint of `v` into `out`. Throws InvalidValueError (via the encoder) on non-state data. */
  fingerprint(v: unknown, out: Fingerprint, parent?: FieldDigests, into: FieldDigests = this.fields): void {
    if (typeof v === "object" && v !== null && isRecord(v)) {
      this.recordState(v as Record<string, unknown>, out, parent, into);
      return;
    }
    into.shape = undefined;
    this.h1 = 0x9747b28c | 0;
    this.h2 = 0x3c6ef372 | 0;
    this.count = 0;
    this.value(v, 0);
    finalize(this.h1, this.h2, this.count, out);
  }

  private mix(w: number): void {
    let k = Math.imul(w, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    let h1 = this.h1 ^ k;
    h1 = (h1 << 13) | (h1 >>> 19);
    this.h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let h2 = this.h2 ^ (Math.imul(k, 0x38b34ae5) ^ (k >>> 11));
    h2 = (h2 << 17) | (h2 >>> 15);
    this.h2 = (Math.imul(h2, 5) + 0x561ccd1b) | 0;
    this.count++;
  }

  private string(s: string): void {
    const n = s.length;
    if (n <= DIRECT_STRING) {
      // Short strings: hash their code words directly (cheaper than a cache lookup).
      this.mix((n << 4) | TAG_STRING);
      let i = 0;
      for (; i + 1 < n; i += 2) this.mix(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
      if (i < n) this.mix(s.charCodeAt(i));
      return;
    }
    let d = this.strings.get(s);
    if (d === undefined) {
      const n = this.encoder.encode(s);
      d = { hi: 0, lo: 0 };
      hashWords(this.encoder.words, n, d);
      if (this.strings.size < MAX_CACHED_STRINGS) this.strings.set(s, d);
    }
    this.mix(TAG_LONG_STRING);
    this.mix(d.hi);
    this.mix(d.lo);
  }

  /** Sets and maps: digest of their canonical code, computed once per instance. */
  private collection(v: (ValueSet | ValueMap) & DigestCache, tag: number): void {
    this.ensureDigest(v);
    this.mix(tag);
    this.mix(v.digestHi!);
    this.mix(v.digestLo!);
  }

  private ensureDigest(v: (ValueSet | ValueMap) & DigestCache): void {
    if (v.digestHi !== undefined) return;
    if (v instanceof ValueSet) {
      // The sum of the elements' terms, which `add` and `delete` keep up to date once known.
      v.elementSum(this.scratch);
      seal((v.size << 4) | TAG_SET, 0, 0, this.scratch.hi, this.scratch.lo, this.scratch);
    } else {
      const n = this.encoder.encode(v);
      hashWords(this.encoder.words, n, this.scratch);
    }
    v.digestHi = this.scratch.hi;
    v.digestLo = this.scratch.lo;
  }

  private value(v: unknown, depth: number): void {
    switch (typeof v) {
      case "number":
        if ((v | 0) === v && v >= SMALL_MIN && v <= SMALL_MAX) return this.mix((v << 4) | TAG_INT);
        if (!Number.isFinite(v)) return void this.encoder.encode(v); // throws the encoder's error
        f64[0] = v;
        this.mix(TAG_FLOAT);
        this.mix(f64Words[0]);
        return this.mix(f64Words[1]);
      case "string":
        return this.string(v);
      case "boolean":
        return this.mix(v ? TAG_TRUE : TAG_FALSE);
      case "object": {
        if (v === null) return this.mix(TAG_NULL);
        if (depth > 200) return void this.encoder.encode(v);
        if (Array.isArray(v)) {
          this.mix((v.length << 4) | TAG_ARRAY);
          for (let i = 0; i < v.length; i++) this.value(v[i], depth + 1);
          return;
        }
        if (v instanceof ValueSet) return this.collection(v, TAG_SET);
        if (v instanceof ValueMap) return this.collection(v, TAG_MAP);
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return void this.encoder.encode(v);
        return this.record(v as Record<string, unknown>, depth);
      }
      default:
        this.encoder.encode(v); // throws InvalidValueError naming what it is
    }
  }

  /** A record contributes the digest of its sorted key list (computed once per key list), then its values in key order. */
  private record(o: Record<string, unknown>, depth: number): void {
    const values = (this.valueStack[depth] ??= []);
    const shape = this.keyOrder.shapeOf(o, values);
    const keys = shape.sorted;
    this.shapeDigest(shape);
    this.mix((keys.length << 4) | TAG_RECORD);
    this.mix(shape.digestHi!);
    this.mix(shape.digestLo!);
    // shapeOf left the values in sorted key order, in room of this depth's own.
    const n = keys.length;
    for (let i = 0; i < n; i++) this.value(values[i], depth + 1);
  }

}

function isRecord(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
