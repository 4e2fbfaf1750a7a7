/**
 * A fixed-size bitset over Uint32 words that keeps a 64-bit Zobrist hash (two 32-bit
 * halves) up to date on every set/clear, so keying the search cache costs O(1) rather
 * than hashing the whole set each step.
 */

/** Deterministic 32-bit mixing (splitmix-style) so hashes are the same on every run. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Bitset {
  readonly words: Uint32Array;
  hashLo = 0;
  hashHi = 0;
  private readonly zLo: Uint32Array;
  private readonly zHi: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) || 1);
    this.zLo = new Uint32Array(size);
    this.zHi = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      this.zLo[i] = mix32(2 * i + 1);
      this.zHi[i] = mix32(0x9e3779b9 ^ (2 * i + 2));
    }
  }

  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Sets bit i; it must be clear. */
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hashLo ^= this.zLo[i];
    this.hashHi ^= this.zHi[i];
  }

  /** Clears bit i; it must be set. */
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
    this.hashLo ^= this.zLo[i];
    this.hashHi ^= this.zHi[i];
  }

  equalsWords(other: Uint32Array): boolean {
    const w = this.words;
    for (let k = 0; k < w.length; k++) if (w[k] !== other[k]) return false;
    return true;
  }
}
