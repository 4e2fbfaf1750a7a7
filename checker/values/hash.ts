/**
 * 64-bit fingerprint of an encoded value, as two 32-bit halves (JavaScript has no fast
 * 64-bit integer arithmetic). Two MurmurHash3-style lanes with different seeds, crossed and
 * finalised like MurmurHash3's 128-bit variant. Deterministic across runs and machines.
 */
const C1 = 0xcc9e2d51 | 0, C2 = 0x1b873593 | 0;

/** MurmurHash3's 32-bit finaliser. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Receives the fingerprint; reused to avoid allocating a pair per state. */
export interface Fingerprint {
  hi: number;
  lo: number;
}

export function hashWords(words: Int32Array, length: number, out: Fingerprint): void {
  hashRange(words, 0, length, out);
}

/** The hash of `words[from..to)` (as hashWords of that slice). */
function hashRange(words: ArrayLike<number>, from: number, to: number, out: Fingerprint): void {
  let h1 = 0x9747b28c | 0, h2 = 0x3c6ef372 | 0;
  for (let i = from; i < to; i++) {
    let k = Math.imul(words[i], C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 ^= Math.imul(k, 0x38b34ae5) ^ (k >>> 11);
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (Math.imul(h2, 5) + 0x561ccd1b) | 0;
  }
  finalize(h1, h2, to - from, out);
}

/**
 * The term of digest (hi, lo) at position i, into `out`: for each i a bijection of the
 * digest in which every output bit depends on every input bit, so that sums of terms (the
 * incremental digests of record states, arrays and sets) do not cancel by structure.
 */
export function termOf(i: number, hi: number, lo: number, out: Fingerprint): void {
  const a = fmix(hi ^ Math.imul(i + 1, 0x9e3779b1));
  const b = fmix(lo ^ a ^ Math.imul(i + 1, 0x7feb352d));
  out.hi = fmix((a + b) | 0);
  out.lo = b;
}

/**
 * Seals a sum of terms under a header and a digest (an array's length; a record's key
 * list) into `out`; for a given header and digest a bijection of the sum.
 */
export function seal(header: number, dHi: number, dLo: number, sumHi: number, sumLo: number, out: Fingerprint): void {
  let a = fmix(sumHi ^ dHi ^ Math.imul(header, 0x85ebca6b));
  let b = fmix(sumLo ^ dLo ^ a);
  a = fmix((a + b) | 0);
  b = fmix(b ^ a);
  out.hi = a;
  out.lo = b;
}

/** Position index of set elements' terms (a set's elements have no position). */
const SET_ELEMENT = 0x5e7;

/** The term of one set element, given its canonical code `words[from..to)`, into `out`. */
export function setElementTerm(words: ArrayLike<number>, from: number, to: number, out: Fingerprint): void {
  hashRange(words, from, to, out);
  termOf(SET_ELEMENT, out.hi, out.lo, out);
}

/** Mixes two 32-bit lanes and the input length into a 64-bit result (MurmurHash3's x86_128 ending). */
export function finalize(h1: number, h2: number, length: number, out: Fingerprint): void {
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out.hi = h1;
  out.lo = h2;
}
