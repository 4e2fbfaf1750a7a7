/**
 * State values: immutable data with one canonical form.
 * Numbers, strings, booleans, null, arrays, plain records, and the two helpers below,
 * whose elements are kept sorted by `compareValues` so that two equal sets (or maps)
 * have the same element order, and hence the same encoding, whatever the insertion order.
 */
export type Value =
  | null
  | boolean
  | number
  | string
  | readonly Value[]
  | ValueSet<Value>
  | ValueMap<Value, Value>
  | { readonly [key: string]: Value };

import { CodeList } from "./codes.ts";
import { Encoder } from "./encode.ts";
import { setElementTerm, type Fingerprint } from "./hash.ts";

// Scratch encoder for the canonical codes of set elements and map keys. Created lazily (the
// two modules import each other); each thread has its own module instance, so it is never shared.
let scratch: Encoder | undefined;

/** The canonical encoding of `v`, as a fresh array. */
export function canonicalCode(v: unknown): Int32Array {
  scratch ??= new Encoder();
  scratch.encode(v);
  return scratch.copy();
}

/** Position of `v` in `codes` (as CodeList.search). Leaves v's code in the scratch encoder. */
function find(codes: CodeList, v: unknown): number {
  scratch ??= new Encoder();
  const n = scratch.encode(v);
  return codes.search(scratch.words, n);
}

// Scratch for element terms; each thread has its own module instance.
const termScratch: Fingerprint = { hi: 0, lo: 0 };

/** The code `find` just computed (valid until the next encoding), and its length. */
function lastCode(): { words: Int32Array; length: number } {
  return scratch!;
}

function compareCodes(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

/**
 * The canonical total order on state values: lexicographic order of their canonical
 * encodings. Any fixed total order would do; this one makes set and map operations a
 * comparison of small integer arrays.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  return compareCodes(canonicalCode(a), canonicalCode(b));
}

// Preallocated and filled by index: measurably cheaper than slicing and pushing (6-12% of a
// whole TwoPhase rms=8 run together with the same change in CodeList, runs alternated).
function insertAt<T>(xs: readonly T[], at: number, x: T): T[] {
  const out: T[] = new Array(xs.length + 1);
  for (let i = 0; i < at; i++) out[i] = xs[i];
  out[at] = x;
  for (let i = at; i < xs.length; i++) out[i + 1] = xs[i];
  return out;
}

function removeAt<T>(xs: readonly T[], at: number): T[] {
  const out: T[] = new Array(xs.length - 1);
  for (let i = 0; i < at; i++) out[i] = xs[i];
  for (let i = at + 1; i < xs.length; i++) out[i - 1] = xs[i];
  return out;
}

function sortedPairs<T>(xs: Iterable<T>, codeOf: (x: T) => unknown): { x: T; code: Int32Array }[] {
  const pairs = [...xs].map((x) => ({ x, code: canonicalCode(codeOf(x)) })).sort((a, b) => compareCodes(a.code, b.code));
  const out: { x: T; code: Int32Array }[] = [];
  for (const p of pairs) {
    // Later duplicates win (a map built from entries keeps the last value for a key).
    if (out.length && compareCodes(out[out.length - 1].code, p.code) === 0) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** An immutable set of state values; every operation returns a new set. */
export class ValueSet<T extends Value = Value> implements Iterable<T> {
  /** Elements in canonical order (do not mutate). */
  readonly items: readonly T[];
  /** Canonical encodings of the elements, same order (the encoder copies these). */
  readonly codes: CodeList;

  /** Digest of this set, filled in by the fingerprinter (declared here so every set has one shape). */
  digestHi: number | undefined = undefined;
  digestLo: number | undefined = undefined;
  /** Sum of the elements' terms (hash.ts), once known: `add` and `delete` carry it over, so a grown set is not rehashed whole. */
  private sumHi: number | undefined = undefined;
  private sumLo = 0;
  // A one-entry memo for has(); safe because both the set and (by contract) states are immutable.
  private lastProbe: unknown = undefined;
  private lastAnswer = false;

  private constructor(items: readonly T[], codes: CodeList) {
    this.items = items;
    this.codes = codes;
  }

  static empty<T extends Value>(): ValueSet<T> {
    return new ValueSet<T>([], CodeList.EMPTY);
  }

  /** For decoders: items already in canonical order with their codes. Not validated. */
  static fromCanonical<T extends Value>(items: readonly T[], codes: CodeList): ValueSet<T> {
    return new ValueSet(items, codes);
  }

  static of<T extends Value>(...xs: T[]): ValueSet<T> {
    return ValueSet.from(xs);
  }

  static from<T extends Value>(xs: Iterable<T>): ValueSet<T> {
    const pairs = sortedPairs(xs, (x) => x);
    return new ValueSet(pairs.map((p) => p.x), CodeList.fromSorted(pairs.map((p) => p.code)));
  }

  get size(): number {
    return this.items.length;
  }
  /** Membership. An object passed here must not be mutated afterwards (states and their parts are immutable). */
  has(x: T): boolean {
    if (typeof x === "object" && x !== null) {
      // The same object (a constant message, say) is found without encoding it, and the
      // answer for the last object asked about is remembered: actions often ask one set
      // about one constant once per argument instance.
      if (x === this.lastProbe) return this.lastAnswer;
      const answer = (this.items.length <= 32 && this.items.indexOf(x) >= 0) || find(this.codes, x) >= 0;
      this.lastProbe = x;
      this.lastAnswer = answer;
      return answer;
    }
    return find(this.codes, x) >= 0;
  }
  add(x: T): ValueSet<T> {
    if (typeof x === "object" && x !== null && this.items.length <= 32 && this.items.indexOf(x) >= 0) return this;
    const i = find(this.codes, x);
    if (i >= 0) return this;
    const code = lastCode();
    const out = new ValueSet(insertAt(this.items, -i - 1, x), this.codes.insert(-i - 1, code.words, code.length));
    if (this.sumHi !== undefined) {
      setElementTerm(code.words, 0, code.length, termScratch);
      out.sumHi = (this.sumHi + termScratch.hi) | 0;
      out.sumLo = (this.sumLo + termScratch.lo) | 0;
    }
    return out;
  }
  delete(x: T): ValueSet<T> {
    const i = find(this.codes, x);
    if (i < 0) return this;
    const out = new ValueSet(removeAt(this.items, i), this.codes.remove(i));
    if (this.sumHi !== undefined) {
      setElementTerm(this.codes.words, this.codes.offsets[i], this.codes.offsets[i + 1], termScratch);
      out.sumHi = (this.sumHi - termScratch.hi) | 0;
      out.sumLo = (this.sumLo - termScratch.lo) | 0;
    }
    return out;
  }

  /** For decoders: the element sum of this set as computed before it was encoded. */
  primeElementSum(hi: number, lo: number): void {
    if (this.sumHi !== undefined) return;
    this.sumHi = hi;
    this.sumLo = lo;
  }

  /** The sum of the elements' terms, into `out` (computed from the codes the first time). */
  elementSum(out: Fingerprint): void {
    if (this.sumHi === undefined) {
      let sh = 0, sl = 0;
      const { words, offsets } = this.codes;
      for (let i = 0; i < this.items.length; i++) {
        setElementTerm(words, offsets[i], offsets[i + 1], termScratch);
        sh = (sh + termScratch.hi) | 0;
        sl = (sl + termScratch.lo) | 0;
      }
      this.sumHi = sh;
      this.sumLo = sl;
    }
    out.hi = this.sumHi;
    out.lo = this.sumLo;
  }
  union(other: ValueSet<T>): ValueSet<T> {
    let out: ValueSet<T> = this;
    for (const x of other.items) out = out.add(x);
    return out;
  }
  filter(keep: (x: T) => boolean): ValueSet<T> {
    const kept = this.items.map((x) => keep(x));
    return new ValueSet(this.items.filter((_, i) => kept[i]), this.codes.filter((i) => kept[i]));
  }
  some(test: (x: T) => boolean): boolean {
    return this.items.some(test);
  }
  every(test: (x: T) => boolean): boolean {
    return this.items.every(test);
  }
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
  toJSON(): unknown {
    return { "#set": this.items };
  }
}

/** An immutable map from state values to state values, keys in canonical order. */
export class ValueMap<K extends Value = Value, V extends Value = Value> implements Iterable<readonly [K, V]> {
  readonly keys: readonly K[];
  readonly values: readonly V[];
  /** Canonical encodings of the keys, same order. */
  readonly codes: CodeList;

  /** Digest of this map's code, filled in by the fingerprinter. */
  digestHi: number | undefined = undefined;
  digestLo: number | undefined = undefined;

  private constructor(keys: readonly K[], values: readonly V[], codes: CodeList) {
    this.keys = keys;
    this.values = values;
    this.codes = codes;
  }

  static empty<K extends Value, V extends Value>(): ValueMap<K, V> {
    return new ValueMap<K, V>([], [], CodeList.EMPTY);
  }

  /** For decoders: keys already in canonical order with their codes. Not validated. */
  static fromCanonical<K extends Value, V extends Value>(keys: readonly K[], values: readonly V[], codes: CodeList): ValueMap<K, V> {
    return new ValueMap(keys, values, codes);
  }

  static from<K extends Value, V extends Value>(entries: Iterable<readonly [K, V]>): ValueMap<K, V> {
    const pairs = sortedPairs(entries, (e) => e[0]);
    return new ValueMap(pairs.map((p) => p.x[0]), pairs.map((p) => p.x[1]), CodeList.fromSorted(pairs.map((p) => p.code)));
  }

  get size(): number {
    return this.keys.length;
  }
  has(k: K): boolean {
    return find(this.codes, k) >= 0;
  }
  get(k: K): V | undefined {
    const i = find(this.codes, k);
    return i >= 0 ? this.values[i] : undefined;
  }
  set(k: K, v: V): ValueMap<K, V> {
    const i = find(this.codes, k);
    if (i >= 0) {
      const values = this.values.slice();
      values[i] = v;
      return new ValueMap(this.keys, values, this.codes);
    }
    const at = -i - 1;
    const code = lastCode();
    return new ValueMap(insertAt(this.keys, at, k), insertAt(this.values, at, v), this.codes.insert(at, code.words, code.length));
  }
  delete(k: K): ValueMap<K, V> {
    const i = find(this.codes, k);
    if (i < 0) return this;
    return new ValueMap(removeAt(this.keys, i), removeAt(this.values, i), this.codes.remove(i));
  }
  *[Symbol.iterator](): Iterator<readonly [K, V]> {
    for (let i = 0; i < this.keys.length; i++) yield [this.keys[i], this.values[i]] as const;
  }
  toJSON(): unknown {
    return { "#map": this.keys.map((k, i) => [k, this.values[i]]) };
  }
}
