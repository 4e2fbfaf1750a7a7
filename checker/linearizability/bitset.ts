/**
 * A fixed-size bitset over Uint32 words that keeps a 32-bit Zobrist hash up to date on every
 * set/clear, so keying the search cache costs O(1) rather than hashing the whole set each
 * step. The Zobrist values are one table shared by every search, made once per process.
 */

/** Deterministic 32-bit mixing (splitmix-style) so hashes are the same on every run. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

let zobrist = new Uint32Array(0);

/** The Zobrist value of each element 0..size-1 (the table may be longer). */
export function zobristTable(size: number): Uint32Array {
  if (zobrist.length < size) {
    const grown = new Uint32Array(Math.max(size, 2 * zobrist.length, 256));
    grown.set(zobrist);
    for (let i = zobrist.length; i < grown.length; i++) grown[i] = mix32(2 * i + 1);
    zobrist = grown;
  }
  return zobrist;
}

export class Bitset {
  readonly words: Uint32Array;
  hashLo = 0;
  private readonly zLo: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) || 1);
    this.zLo = zobristTable(size);
  }

  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Sets bit i; it must be clear. */
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hashLo ^= this.zLo[i];
  }

  /** Clears bit i; it must be set. */
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
    this.hashLo ^= this.zLo[i];
  }
}
