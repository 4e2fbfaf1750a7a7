/**
 * Canonical binary encoding of state values as 32-bit words.
 *
 * Equal values (see value.ts) encode to identical words: record keys are written in sorted
 * order, set and map elements in their canonical order. Each value starts with a header word
 * `(payload << 4) | tag`; the fingerprint of a state is a hash of these words, so the
 * encoding *is* the state's identity. The encoder reuses one growable buffer and allocates
 * nothing on the hot path except when a record's keys are not already sorted.
 */
import { CodeList } from "./codes.ts";
import { KeyOrder } from "./key-order.ts";
import { ValueMap, ValueSet, type Value } from "./value.ts";

const TAG_NULL = 0, TAG_FALSE = 1, TAG_TRUE = 2, TAG_INT = 3, TAG_FLOAT = 4, TAG_STRING = 5;
const TAG_ARRAY = 6, TAG_RECORD = 7, TAG_SET = 8, TAG_MAP = 9;
const SMALL_MIN = -(2 ** 27), SMALL_MAX = 2 ** 27 - 1;
const MAX_DEPTH = 200;
const MAX_CACHED_STRING = 64;
const MAX_CACHED_STRINGS = 1 << 14;

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
    const shape = this.keyOrder.shapeOf(o);
    const keys = shape.sorted;
    this.push((keys.length << 4) | TAG_RECORD);
    if (shape.keysCode === undefined) {
      const start = this.length;
      for (let i = 0; i < keys.length; i++) this.string(keys[i]);
      shape.keysCode = Array.from(this.words.subarray(start, this.length));
    } else this.copyWords(shape.keysCode);
    for (let i = 0; i < keys.length; i++) this.value(o[keys[i]], depth + 1);
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

/** Decodes words written by `Encoder` back into a value (records get sorted keys). */
export function decode(words: Int32Array, start = 0, strings?: StringTable, shapes?: RecordShapes): { value: Value; end: number } {
  const reader = new Reader(words, start, strings, shapes);
  const value = reader.read();
  return { value, end: reader.pos };
}

/**
 * Decoded short strings by their code, so that a decoder hands out one string object per
 * distinct value instead of building it again for every state (much faster, less garbage).
 */
export class StringTable {
  private readonly byHash = new Map<number, { code: Int32Array; s: string }>();

  lookup(words: Int32Array, at: number, n: number): string | undefined {
    const e = this.byHash.get(foldWords(words, at, n));
    if (!e || e.code.length !== n) return undefined;
    for (let i = 0; i < n; i++) if (e.code[i] !== words[at + i]) return undefined;
    return e.s;
  }

  remember(words: Int32Array, at: number, n: number, s: string): string {
    // Hand out the engine's internalized copy (what a string literal is): Map lookups and
    // comparisons against literals in spec code then succeed on identity.
    const internal = Object.keys({ [s]: 0 })[0] ?? s;
    if (this.byHash.size < MAX_CACHED_STRINGS) this.byHash.set(foldWords(words, at, n), { code: words.slice(at, at + n), s: internal });
    return internal;
  }
}

function foldWords(words: Int32Array, at: number, n: number): number {
  let h = n;
  for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + words[at + i]) | 0;
  return h;
}

function buildRecord(keys: readonly string[], values: readonly Value[]): Record<string, Value> {
  const o: Record<string, Value> = {};
  for (let i = 0; i < keys.length; i++) o[keys[i]] = values[i];
  return o;
}

/**
 * Builds decoded records through one generated object literal per key list, so that they
 * are created as fast as literals and share one hidden class (adding keys one by one to `{}`
 * costs a keyed store per key and gives the engine many shapes to track).
 */
export class RecordShapes {
  private readonly root: ShapeNode = { next: new Map() };

  build(keys: readonly string[], values: readonly Value[]): Record<string, Value> {
    let node = this.root;
    for (let i = 0; i < keys.length; i++) {
      let child = node.next.get(keys[i]);
      if (!child) {
        child = { next: new Map() };
        node.next.set(keys[i], child);
      }
      node = child;
    }
    node.make ??= keys.some((k) => k === "__proto__")
      ? (v: readonly Value[]) => buildRecord(keys.slice(), v)
      : (new Function("v", `return {${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(", ")}};`) as (v: readonly Value[]) => Record<string, Value>);
    return node.make(values);
  }
}

interface ShapeNode {
  next: Map<string, ShapeNode>;
  make?: (values: readonly Value[]) => Record<string, Value>;
}

class Reader {
  constructor(
    readonly words: Int32Array,
    public pos: number,
    private readonly strings?: StringTable,
    private readonly shapes?: RecordShapes,
  ) {}

  private str(header: number): string {
    const n = header >> 4, words = this.words;
    const codeLength = (n + 1) >> 1;
    const start = this.pos - 1;
    if (this.strings && n <= MAX_CACHED_STRING) {
      const known = this.strings.lookup(words, start, codeLength + 1);
      if (known !== undefined) {
        this.pos += codeLength;
        return known;
      }
    }
    let s = "";
    for (let i = 0; i < n; i += 2) {
      const w = words[this.pos++];
      s += i + 1 < n ? String.fromCharCode(w & 0xffff, (w >>> 16) & 0xffff) : String.fromCharCode(w & 0xffff);
    }
    if (this.strings && n <= MAX_CACHED_STRING) return this.strings.remember(words, start, codeLength + 1, s);
    return s;
  }

  read(): Value {
    const words = this.words;
    const h = words[this.pos++];
    const tag = h & 15;
    const n = h >> 4;
    switch (tag) {
      case TAG_NULL: return null;
      case TAG_FALSE: return false;
      case TAG_TRUE: return true;
      case TAG_INT: return n;
      case TAG_FLOAT:
        f64Words[0] = words[this.pos++];
        f64Words[1] = words[this.pos++];
        return f64[0];
      case TAG_STRING: return this.str(h);
      case TAG_ARRAY: {
        const a: Value[] = new Array(n);
        for (let i = 0; i < n; i++) a[i] = this.read();
        return a;
      }
      case TAG_RECORD: {
        const keys: string[] = new Array(n), values: Value[] = new Array(n);
        for (let i = 0; i < n; i++) keys[i] = this.str(words[this.pos++]);
        for (let i = 0; i < n; i++) values[i] = this.read();
        return this.shapes ? this.shapes.build(keys, values) : buildRecord(keys, values);
      }
      case TAG_SET: {
        const a: Value[] = new Array(n), offsets: number[] = [0];
        const start = this.pos;
        for (let i = 0; i < n; i++) {
          a[i] = this.read();
          offsets.push(this.pos - start);
        }
        const code: number[] = [];
        for (let k = start; k < this.pos; k++) code.push(words[k]);
        return ValueSet.fromCanonical(a, new CodeList(code, offsets));
      }
      case TAG_MAP: {
        const ks: Value[] = new Array(n), vs: Value[] = new Array(n), keyCodes: Int32Array[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const from = this.pos;
          ks[i] = this.read();
          keyCodes[i] = words.subarray(from, this.pos);
          vs[i] = this.read();
        }
        return ValueMap.fromCanonical(ks, vs, CodeList.fromSorted(keyCodes));
      }
      default:
        throw new Error(`corrupt encoding: tag ${tag} at word ${this.pos - 1}`);
    }
  }
}
