/**
 * Canonical binary encoding of state values as 32-bit words.
 *
 * Equal values (see value.ts) encode to identical words: record keys are written in sorted
 * order, set and map elements in their canonical order. Each value starts with a header word
 * `(payload << 4) | tag`; the fingerprint of a state is a hash of these words, so the
 * encoding *is* the state's identity. The encoder reuses one growable buffer and allocates
 * nothing on the hot path except when a record's keys are not already sorted.
 */
import { KeyOrder } from "./key-order.ts";
import { ValueMap, ValueSet } from "./value.ts";

export const TAG_NULL = 0, TAG_FALSE = 1, TAG_TRUE = 2, TAG_INT = 3, TAG_FLOAT = 4, TAG_STRING = 5;
export const TAG_ARRAY = 6, TAG_RECORD = 7, TAG_SET = 8, TAG_MAP = 9;
const SMALL_MIN = -(2 ** 27), SMALL_MAX = 2 ** 27 - 1;
const MAX_DEPTH = 200;
/** Decoded strings up to this length are shared through a StringTable. */
export const MAX_CACHED_STRING = 64;
export const MAX_CACHED_STRINGS = 1 << 14;

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

/** A value a spec returned that is not state data (undefined, a function, NaN, a cycle...). */
export class InvalidValueError extends Error {
  constructor(readonly path: string, readonly what: string) {
    super(`${path}: ${what} is not a state value (states hold numbers, strings, booleans, null, arrays, plain records, ValueSet, ValueMap)`);
    this.name = "InvalidValueError";
  }
}

/** Encodes values into a reusable word buffer. Not shared between threads. */
export class Encoder {
  words = new Int32Array(1024);
  length = 0;
  private readonly keyOrder = new KeyOrder();
  /** Per nesting depth, room for a record's values (see `record`). */
  private readonly valueStack: unknown[][] = [];

  /** Encodes `v` from position 0; returns the number of words (also in `length`). */
  encode(v: unknown): number {
    this.length = 0;
    this.value(v, 0);
    return this.length;
  }

  /** A copy of the last encoding. */
  copy(): Int32Array {
    return this.words.slice(0, this.length);
  }

  private push(w: number): void {
    if (this.length === this.words.length) {
      const bigger = new Int32Array(this.words.length * 2);
      bigger.set(this.words);
      this.words = bigger;
    }
    this.words[this.length++] = w;
  }

  /** A record is its key count, its sorted keys (their code is kept per key list), then its values in key order. */
  private record(o: Record<string, unknown>, depth: number): void {
    const values = (this.valueStack[depth] ??= []);
    const shape = this.keyOrder.shapeOf(o, values);
    const keys = shape.sorted;
    this.push((keys.length << 4) | TAG_RECORD);
    if (shape.keysCode === undefined) {
      const start = this.length;
      for (let i = 0; i < keys.length; i++) this.string(keys[i]);
      shape.keysCode = Array.from(this.words.subarray(start, this.length));
    } else this.copyWords(shape.keysCode);
    // shapeOf left the values in sorted key order, in room of this depth's own.
    const n = keys.length;
    for (let i = 0; i < n; i++) this.value(values[i], depth + 1);
  }


  private copyWords(code: ArrayLike<number>): void {
    const n = code.length;
    while (this.length + n > this.words.length) {
      const bigger = new Int32Array(this.words.length * 2);
      bigger.set(this.words);
      this.words = bigger;
    }
    // A loop beats TypedArray.prototype.set for the short codes copied here.
    const words = this.words, at = this.length;
    for (let i = 0; i < n; i++) words[at + i] = code[i];
    this.length = at + n;
  }

  private string(s: string): void {
    const n = s.length;
    // Room for the header and every char pair, checked once rather than per word.
    const need = this.length + 1 + ((n + 1) >> 1);
    if (need > this.words.length) this.reserve(need);
    const words = this.words;
    let at = this.length;
    words[at++] = (n << 4) | TAG_STRING;
    let i = 0;
    for (; i + 1 < n; i += 2) words[at++] = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    if (i < n) words[at++] = s.charCodeAt(i);
    this.length = at;
  }

  private reserve(need: number): void {
    let size = this.words.length;
    while (size < need) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.words);
    this.words = bigger;
  }


  private value(v: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw invalidAt(v, "a value nested deeper than 200 levels (a cycle?)");
    switch (typeof v) {
      case "number":
        if ((v | 0) === v && v >= SMALL_MIN && v <= SMALL_MAX) {
          // -0 lands here too and encodes as 0: they are the same state value.
          this.push((v << 4) | TAG_INT);
        } else {
          if (!Number.isFinite(v)) throw invalidAt(v, String(v));
          f64[0] = v === 0 ? 0 : v;
          this.push(TAG_FLOAT);
          this.push(f64Words[0]);
          this.push(f64Words[1]);
        }
        return;
      case "string":
        this.string(v);
        return;
      case "boolean":
        this.push(v ? TAG_TRUE : TAG_FALSE);
        return;
      case "object": {
        if (v === null) return this.push(TAG_NULL);
        if (Array.isArray(v)) {
          this.push((v.length << 4) | TAG_ARRAY);
          for (let i = 0; i < v.length; i++) this.value(v[i], depth + 1);
          return;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto === Object.prototype || proto === null) {
          this.record(v as Record<string, unknown>, depth);
          return;
        }
        if (v instanceof ValueSet) {
          // Elements were encoded when they joined the set: copy their codes.
          this.push((v.size << 4) | TAG_SET);
          this.copyWords(v.codes.words);
          return;
        }
        if (v instanceof ValueMap) {
          this.push((v.size << 4) | TAG_MAP);
          for (let i = 0; i < v.size; i++) {
            this.copyWords(v.codes.element(i));
            this.value(v.values[i], depth + 1);
          }
          return;
        }
        throw invalidAt(v, `an instance of ${proto?.constructor?.name ?? "a class"}`);

      }
      default:
        throw invalidAt(v, typeof v === "undefined" ? "undefined" : `a ${typeof v}`);
    }
  }
}


/** Placeholder path; `findInvalid` recomputes the exact path when an error is reported. */
function invalidAt(_v: unknown, what: string): InvalidValueError {
  return new InvalidValueError("state", what);
}

/**
 * The path of the first non-state value inside `v` ("state.msgs[2].term"), or undefined
 * when `v` is valid. Slow; used only to explain an encoding error.
 */
export function findInvalid(v: unknown, path = "state", seen = new Set<unknown>()): { path: string; what: string } | undefined {
  if (v === null || typeof v === "string" || typeof v === "boolean") return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? undefined : { path, what: String(v) };
  if (typeof v !== "object") return { path, what: v === undefined ? "undefined" : `a ${typeof v}` };
  if (seen.has(v)) return { path, what: "a cyclic reference" };
  seen.add(v);
  try {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const r = findInvalid(v[i], `${path}[${i}]`, seen);
        if (r) return r;
      }
      return undefined;
    }
    if (v instanceof ValueSet) {
      for (const x of v.items) {
        const r = findInvalid(x, `${path}{${JSON.stringify(x) ?? "?"}}`, seen);
        if (r) return r;
      }
      return undefined;
    }
    if (v instanceof ValueMap) {
      for (const [k, x] of v) {
        const r = findInvalid(k, `${path}.keys`, seen) ?? findInvalid(x, `${path}.get(${JSON.stringify(k)})`, seen);
        if (r) return r;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return { path, what: `an instance of ${proto?.constructor?.name ?? "a class"}` };
    for (const [k, x] of Object.entries(v)) {
      const r = findInvalid(x, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, seen);
      if (r) return r;
    }
    return undefined;
  } finally {
    seen.delete(v);
  }
}
