/**
 * Decoding the canonical word encoding (encode.ts) back into values. Decoders can share a
 * table of decoded strings and of record shapes across many states (the BFS frontier does).
 */
import { CodeList } from "./codes.ts";
import { MAX_CACHED_STRING, MAX_CACHED_STRINGS, TAG_ARRAY, TAG_FALSE, TAG_FLOAT, TAG_INT, TAG_MAP, TAG_NULL, TAG_RECORD, TAG_SET, TAG_STRING, TAG_TRUE } from "./encode.ts";
import { ValueMap, ValueSet, type Value } from "./value.ts";

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

/** Decodes words written by `Encoder` back into a value (records get sorted keys). */
export function decode(words: Int32Array, start = 0, strings?: StringTable, shapes?: RecordShapes, elements?: CodeCache): { value: Value; end: number } {
  const reader = new Reader(words, start, strings, shapes, elements);
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

/**
 * Decoded values by their code, in a direct-mapped table (a collision just replaces): values
 * decoded from many states then share one object instead of being built again. The caller
 * picks the slot from a hash of the code (`slotOf`); a hit needs the code itself to match.
 */
export class CodeCache {
  private readonly shift: number;
  private readonly codes: (Int32Array | undefined)[];
  private readonly values: Value[];

  constructor(bits = 14) {
    this.shift = 32 - bits;
    this.codes = new Array(1 << bits).fill(undefined);
    this.values = new Array(1 << bits).fill(null);
  }

  slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.shift;
  }

  /** The value in `slot` when its code is `words[at..at+n)`, else undefined. */
  get(slot: number, words: Int32Array, at: number, n: number): Value | undefined {
    const code = this.codes[slot];
    if (code === undefined || code.length !== n) return undefined;
    for (let i = 0; i < n; i++) if (code[i] !== words[at + i]) return undefined;
    return this.values[slot];
  }

  /** The stored copy of the code in `slot` (after a hit, or after `put`). */
  code(slot: number): Int32Array {
    return this.codes[slot]!;
  }

  put(slot: number, words: Int32Array, at: number, n: number, value: Value): void {
    this.codes[slot] = words.slice(at, at + n);
    this.values[slot] = value;
  }
}

/** The position just past the value encoded at `words[at]`. */
function skip(words: Int32Array, at: number): number {
  const h = words[at], tag = h & 15, n = h >> 4;
  switch (tag) {
    case TAG_FLOAT: return at + 3;
    case TAG_STRING: return at + 1 + ((n + 1) >> 1);
    case TAG_ARRAY:
    case TAG_SET:
    case TAG_RECORD:
    case TAG_MAP: {
      // Records are n keys then n values; maps n keys and values in turn.
      const count = tag === TAG_RECORD || tag === TAG_MAP ? 2 * n : n;
      let p = at + 1;
      for (let i = 0; i < count; i++) p = skip(words, p);
      return p;
    }
    default: return at + 1;
  }
}

function foldWords(words: Int32Array, at: number, n: number): number {
  let h = n;
  for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + words[at + i]) | 0;
  return h;
}

function buildRecord(keys: readonly string[], values: readonly Value[]): Record<string, Value> {
  const o: Record<string, Value> = {};
  // defineProperty: assigning to "__proto__" would set the prototype instead of a field.
  for (let i = 0; i < keys.length; i++) Object.defineProperty(o, keys[i], { value: values[i], enumerable: true, writable: true, configurable: true });
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
    return this.maker(keys)(values);
  }

  /** The function that builds records with these keys (in this order) from their values. */
  maker(keys: readonly string[]): (values: readonly Value[]) => Record<string, Value> {
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
    return node.make;
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
    private readonly elements?: CodeCache,
  ) {}

  /** A set element: shared through the element cache when it is a composite value. */
  private element(): Value {
    const tag = this.words[this.pos] & 15;
    if (!this.elements || tag < TAG_ARRAY) return this.read();
    const from = this.pos, end = skip(this.words, from), n = end - from;
    const slot = this.elements.slotOf(foldWords(this.words, from, n));
    const known = this.elements.get(slot, this.words, from, n);
    if (known !== undefined) {
      this.pos = end;
      return known;
    }
    const value = this.read();
    this.elements.put(slot, this.words, from, n, value);
    return value;
  }

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
          a[i] = this.element();
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
