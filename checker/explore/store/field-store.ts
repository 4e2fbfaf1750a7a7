/**
 * The distinct field values of the BFS frontier's record states, each stored once by its
 * canonical code and named by a number (a "ref"), so that a frame (record-frames.ts) is
 * one word per field. States of one spec combine few distinct field values: TwoPhase
 * rms=8's 1.7 M states use 7.6 k (6.8 k `rmState` arrays, 513 message sets). Fields whose
 * values are mostly new (Raft's message sets) are stored inline instead (record-frames.ts).
 *
 * Interning compares codes, not just digests: two refs are equal exactly when the values
 * are equal, so this adds no collision risk beyond the visited set's. Values are decoded
 * from their code through a direct-mapped cache by ref; a hit needs no comparison.
 */
import { CodeCache, decode, RecordShapes, StringTable } from "../../values/decode.ts";
import { ValueSet, type Value } from "../../values/value.ts";

const CHUNK_WORDS = 1 << 20;
const CACHE_BITS = 16;

export class FieldStore {
  /** Number of values stored; refs are 0..size-1. */
  size = 0;
  /** Per ref: the value's digest, its element sum (arrays and sets, else 0) and array length (-1 when not an array). */
  hi = new Int32Array(1024);
  lo = new Int32Array(1024);
  sumHi = new Int32Array(1024);
  sumLo = new Int32Array(1024);
  arrayLength = new Int32Array(1024);
  /** Per ref: where its code is (chunk, offset) and its length. */
  private chunkOf = new Int32Array(1024);
  private offsetOf = new Int32Array(1024);
  private lengthOf = new Int32Array(1024);
  private readonly chunks: Int32Array[] = [new Int32Array(CHUNK_WORDS)];
  private used = 0;
  /** Open addressing by digest: ref + 1, 0 when empty. */
  private table = new Int32Array(4096);
  private readonly cachedRef = new Int32Array(1 << CACHE_BITS).fill(-1);
  private readonly cachedValue: Value[] = new Array(1 << CACHE_BITS).fill(null);
  private readonly strings = new StringTable();
  private readonly records = new RecordShapes();
  /** Decoded set elements (messages, mostly), shared between the sets that hold them. */
  private readonly elements = new CodeCache();

  /** The ref of the value whose code is `code[0..n)`, storing it when new. */
  intern(code: Int32Array, n: number, hi: number, lo: number, sumHi: number, sumLo: number, arrayLength: number): number {
    const mask = this.table.length - 1;
    for (let slot = slotOf(hi, lo) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot];
      if (entry === 0) break;
      const ref = entry - 1;
      if (this.hi[ref] === hi && this.lo[ref] === lo && this.lengthOf[ref] === n && this.sameCode(ref, code, n)) return ref;
    }
    const ref = this.size++;
    if (ref === this.hi.length) this.growColumns();
    this.hi[ref] = hi;
    this.lo[ref] = lo;
    this.sumHi[ref] = sumHi;
    this.sumLo[ref] = sumLo;
    this.arrayLength[ref] = arrayLength;
    this.lengthOf[ref] = n;
    let chunk = this.chunks[this.chunks.length - 1];
    if (this.used + n > chunk.length) {
      chunk = new Int32Array(Math.max(CHUNK_WORDS, n));
      this.chunks.push(chunk);
      this.used = 0;
    }
    for (let i = 0; i < n; i++) chunk[this.used + i] = code[i];
    this.chunkOf[ref] = this.chunks.length - 1;
    this.offsetOf[ref] = this.used;
    this.used += n;
    if (2 * this.size > this.table.length) this.rehash(this.table.length * 2);
    else this.place(ref);
    return ref;
  }

  /** The value of `ref` (the same object while it stays cached). */
  value(ref: number): Value {
    const slot = ref & ((1 << CACHE_BITS) - 1);
    if (this.cachedRef[slot] === ref) return this.cachedValue[slot];
    const value = decode(this.chunks[this.chunkOf[ref]], this.offsetOf[ref], this.strings, this.records, this.elements).value;
    // A decoded set starts with its element sum, so the sets an action makes of it by `add`
    // and `delete` are digested incrementally.
    if (value instanceof ValueSet) value.primeElementSum(this.sumHi[ref], this.sumLo[ref]);
    this.cachedRef[slot] = ref;
    this.cachedValue[slot] = value;
    return value;
  }

  private sameCode(ref: number, code: Int32Array, n: number): boolean {
    const chunk = this.chunks[this.chunkOf[ref]], at = this.offsetOf[ref];
    for (let i = 0; i < n; i++) if (chunk[at + i] !== code[i]) return false;
    return true;
  }

  private place(ref: number): void {
    const mask = this.table.length - 1;
    let slot = slotOf(this.hi[ref], this.lo[ref]) & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = ref + 1;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    for (let ref = 0; ref < this.size; ref++) this.place(ref);
  }

  private growColumns(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hi = grow(this.hi);
    this.lo = grow(this.lo);
    this.sumHi = grow(this.sumHi);
    this.sumLo = grow(this.sumLo);
    this.arrayLength = grow(this.arrayLength);
    this.chunkOf = grow(this.chunkOf);
    this.offsetOf = grow(this.offsetOf);
    this.lengthOf = grow(this.lengthOf);
  }
}

function slotOf(hi: number, lo: number): number {
  return Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 15);
}
