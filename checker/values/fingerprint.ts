/**
 * 64-bit fingerprints of state values, computed by walking the value (no buffer).
 *
 * The fingerprint is a hash of the canonical encoding (encode.ts) in which some pieces are
 * replaced by their own 64-bit digests: a string longer than 24 characters contributes the
 * digest of its code (shorter ones are hashed word by word), a record the digest of its
 * sorted key list (kept per key list) before its values, a
 * ValueSet or ValueMap the digest of its code (computed once per instance and kept on it,
 * so a set shared between a state and its successor costs nothing to fingerprint again).
 * Equal values therefore get equal fingerprints (record keys in sorted order, set and map
 * elements in canonical order), and distinct values collide only with the probability of a
 * 64-bit hash collision. Strings' digests are cached per Fingerprinter.
 */
import { Encoder } from "./encode.ts";
import { KeyOrder } from "./key-order.ts";
import { finalize, hashWords, type Fingerprint } from "./hash.ts";
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

export class Fingerprinter {
  private h1 = 0;
  private h2 = 0;
  private count = 0;
  private readonly strings = new Map<string, Fingerprint>();
  private readonly encoder = new Encoder();
  private readonly scratch: Fingerprint = { hi: 0, lo: 0 };
  private readonly keyOrder = new KeyOrder();

  /** Writes the fingerprint of `v` into `out`. Throws InvalidValueError (via the encoder) on non-state data. */
  fingerprint(v: unknown, out: Fingerprint): void {
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
    if (v.digestHi === undefined) {
      const n = this.encoder.encode(v);
      hashWords(this.encoder.words, n, this.scratch);
      v.digestHi = this.scratch.hi;
      v.digestLo = this.scratch.lo;
    }
    this.mix(tag);
    this.mix(v.digestHi);
    this.mix(v.digestLo!);
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
    const shape = this.keyOrder.shapeOf(o);
    const keys = shape.sorted;
    if (shape.digestHi === undefined) {
      const n = this.encoder.encode(keys);
      hashWords(this.encoder.words, n, this.scratch);
      shape.digestHi = this.scratch.hi;
      shape.digestLo = this.scratch.lo;
    }
    this.mix((keys.length << 4) | TAG_RECORD);
    this.mix(shape.digestHi);
    this.mix(shape.digestLo!);
    for (let i = 0; i < keys.length; i++) this.value(o[keys[i]], depth + 1);
  }

}
