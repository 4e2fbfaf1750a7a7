/**
 * The canonical codes of a set's elements (or a map's keys), kept sorted and concatenated in
 * one Int32Array with an offset table: one allocation per set instead of one per element,
 * a set's whole encoding is a single copy, and decoding a set slices it once.
 */
export class CodeList {
  /** `offsets[i]..offsets[i+1]` are the words of element i; `offsets.length` = count + 1. */
  constructor(
    readonly words: Int32Array,
    readonly offsets: Int32Array,
  ) {}

  static readonly EMPTY = new CodeList(new Int32Array(0), new Int32Array(1));

  get count(): number {
    return this.offsets.length - 1;
  }

  /** Compares element i with `code[0..n)` (lexicographic on words, then length). */
  compareAt(i: number, code: Int32Array, n: number): number {
    const words = this.words, from = this.offsets[i], len = this.offsets[i + 1] - from;
    const m = Math.min(len, n);
    for (let k = 0; k < m; k++) {
      const a = words[from + k], b = code[k];
      if (a !== b) return a < b ? -1 : 1;
    }
    return len - n;
  }

  /** Index of `code[0..n)`, or -(insertion point) - 1. */
  search(code: Int32Array, n: number): number {
    let lo = 0, hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAt(mid, code, n);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  element(i: number): Int32Array {
    return this.words.subarray(this.offsets[i], this.offsets[i + 1]);
  }

  insert(at: number, code: Int32Array, n: number): CodeList {
    const cut = this.offsets[at];
    const words = new Int32Array(this.words.length + n);
    words.set(this.words.subarray(0, cut), 0);
    for (let k = 0; k < n; k++) words[cut + k] = code[k];
    words.set(this.words.subarray(cut), cut + n);
    const count = this.count;
    const offsets = new Int32Array(count + 2);
    for (let i = 0; i <= at; i++) offsets[i] = this.offsets[i];
    for (let i = at; i <= count; i++) offsets[i + 1] = this.offsets[i] + n;
    return new CodeList(words, offsets);
  }

  remove(at: number): CodeList {
    const from = this.offsets[at], to = this.offsets[at + 1], n = to - from;
    const words = new Int32Array(this.words.length - n);
    words.set(this.words.subarray(0, from), 0);
    words.set(this.words.subarray(to), from);
    const count = this.count;
    const offsets = new Int32Array(count);
    for (let i = 0; i < at; i++) offsets[i] = this.offsets[i];
    for (let i = at + 1; i <= count; i++) offsets[i - 1] = this.offsets[i] - n;
    return new CodeList(words, offsets);
  }

  /** Keeps the elements whose index passes `keep`. */
  filter(keep: (i: number) => boolean): CodeList {
    const parts: Int32Array[] = [];
    for (let i = 0; i < this.count; i++) if (keep(i)) parts.push(this.element(i));
    return CodeList.fromSorted(parts);
  }

  /** From codes already in canonical order. */
  static fromSorted(codes: readonly Int32Array[]): CodeList {
    let total = 0;
    for (const c of codes) total += c.length;
    const words = new Int32Array(total);
    const offsets = new Int32Array(codes.length + 1);
    let at = 0;
    codes.forEach((c, i) => {
      words.set(c, at);
      at += c.length;
      offsets[i + 1] = at;
    });
    return new CodeList(words, offsets);
  }
}
