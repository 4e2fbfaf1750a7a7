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

import { Encoder } from "./encode.ts";

// Scratch encoder for the canonical codes of set elements and map keys. Created lazily (the
// two modules import each other); each thread has its own module instance, so it is never shared.
let scratch: Encoder | undefined;

/** The canonical encoding of `v`, as a fresh array. */
export function canonicalCode(v: unknown): Int32Array {
  scratch ??= new Encoder();
  scratch.encode(v);
  return scratch.copy();
}

/** Position of `v` among sorted `codes` (as `search`), without allocating its code. */
function find(codes: readonly Int32Array[], v: unknown): number {
  scratch ??= new Encoder();
  const n = scratch.encode(v);
  const words = scratch.words;
  let lo = 0, hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareWith(codes[mid], words, n);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function compareWith(a: Int32Array, b: Int32Array, bLength: number): number {
  const n = Math.min(a.length, bLength);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - bLength;
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

/** Index of `code` in sorted `codes`, or -(insertion point) - 1. */
function search(codes: readonly Int32Array[], code: Int32Array): number {
  let lo = 0, hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareCodes(codes[mid], code);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function insertAt<T>(xs: readonly T[], at: number, x: T): T[] {
  const out = xs.slice(0, at);
  out.push(x);
  for (let i = at; i < xs.length; i++) out.push(xs[i]);
  return out;
}

function removeAt<T>(xs: readonly T[], at: number): T[] {
  const out = xs.slice(0, at);
  for (let i = at + 1; i < xs.length; i++) out.push(xs[i]);
  return out;
}

/** An immutable set of state values; every operation returns a new set. */
export class ValueSet<T extends Value = Value> implements Iterable<T> {
  /** Elements in canonical order (do not mutate). */
  readonly items: readonly T[];
  /** Canonical encodings of the elements, same order (the encoder copies these). */
  readonly codes: readonly Int32Array[];

  private constructor(items: readonly T[], codes: readonly Int32Array[]) {
    this.items = items;
    this.codes = codes;
  }

  static empty<T extends Value>(): ValueSet<T> {
    return new ValueSet<T>([], []);
  }

  /** For decoders: items already in canonical order with their codes. Not validated. */
  static fromCanonical<T extends Value>(items: readonly T[], codes: readonly Int32Array[]): ValueSet<T> {
    return new ValueSet(items, codes);
  }

  static of<T extends Value>(...xs: T[]): ValueSet<T> {
    return ValueSet.from(xs);
  }

  static from<T extends Value>(xs: Iterable<T>): ValueSet<T> {
    const pairs = [...xs].map((x) => ({ x, code: canonicalCode(x) })).sort((a, b) => compareCodes(a.code, b.code));
    const items: T[] = [], codes: Int32Array[] = [];
    for (const p of pairs) {
      if (codes.length && compareCodes(codes[codes.length - 1], p.code) === 0) continue;
      items.push(p.x);
      codes.push(p.code);
    }
    return new ValueSet(items, codes);
  }

  get size(): number {
    return this.items.length;
  }
  has(x: T): boolean {
    return find(this.codes, x) >= 0;
  }
  add(x: T): ValueSet<T> {
    const i = find(this.codes, x);
    if (i >= 0) return this;
    const code = scratch!.copy();
    return new ValueSet(insertAt(this.items, -i - 1, x), insertAt(this.codes, -i - 1, code));
  }
  delete(x: T): ValueSet<T> {
    const i = find(this.codes, x);
    if (i < 0) return this;
    return new ValueSet(removeAt(this.items, i), removeAt(this.codes, i));
  }
  union(other: ValueSet<T>): ValueSet<T> {
    let out: ValueSet<T> = this;
    for (const x of other.items) out = out.add(x);
    return out;
  }
  filter(keep: (x: T) => boolean): ValueSet<T> {
    const items: T[] = [], codes: Int32Array[] = [];
    this.items.forEach((x, i) => {
      if (keep(x)) {
        items.push(x);
        codes.push(this.codes[i]);
      }
    });
    return new ValueSet(items, codes);
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
  readonly codes: readonly Int32Array[];

  private constructor(keys: readonly K[], values: readonly V[], codes: readonly Int32Array[]) {
    this.keys = keys;
    this.values = values;
    this.codes = codes;
  }

  static empty<K extends Value, V extends Value>(): ValueMap<K, V> {
    return new ValueMap<K, V>([], [], []);
  }

  /** For decoders: keys already in canonical order with their codes. Not validated. */
  static fromCanonical<K extends Value, V extends Value>(keys: readonly K[], values: readonly V[], codes: readonly Int32Array[]): ValueMap<K, V> {
    return new ValueMap(keys, values, codes);
  }

  static from<K extends Value, V extends Value>(entries: Iterable<readonly [K, V]>): ValueMap<K, V> {
    let m = ValueMap.empty<K, V>();
    for (const [k, v] of entries) m = m.set(k, v);
    return m;
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
    const code = canonicalCode(k);
    const i = search(this.codes, code);
    if (i >= 0) {
      const values = this.values.slice();
      values[i] = v;
      return new ValueMap(this.keys, values, this.codes);
    }
    const at = -i - 1;
    return new ValueMap(insertAt(this.keys, at, k), insertAt(this.values, at, v), insertAt(this.codes, at, code));
  }
  delete(k: K): ValueMap<K, V> {
    const i = find(this.codes, k);
    if (i < 0) return this;
    return new ValueMap(removeAt(this.keys, i), removeAt(this.values, i), removeAt(this.codes, i));
  }
  *[Symbol.iterator](): Iterator<readonly [K, V]> {
    for (let i = 0; i < this.keys.length; i++) yield [this.keys[i], this.values[i]] as const;
  }
  toJSON(): unknown {
    return { "#map": this.keys.map((k, i) => [k, this.values[i]]) };
  }
}
