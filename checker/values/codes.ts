/**
 * The canonical codes of a set's elements (or a map's keys), kept sorted and concatenated in
 * one array with an offset table: two allocations per set instead of one per element, a
 * set's whole encoding is a single copy, and decoding a set copies it once. Plain arrays of
 * small integers, not typed arrays: sets are small and many, and a typed array costs far more
 * to allocate.
 */
export class CodeList {
  /** `offsets[i]..offsets[i+1]` are the words of element i; `offsets.length` = count + 1. */
  constructor(
    readonly words: readonly number[],
    readonly offsets: readonly number[],
  ) {}

  static readonly EMPTY = new CodeList([], [0]);

  get count(): number {
    return this.offsets.length - 1;
  }

  /** Compares element i with `code[0..n)` (lexicographic on words, then length). */
  compareAt(i: number, code: ArrayLike<number>, n: number): number {
    const words = this.words, from = this.offsets[i], len = this.offsets[i + 1] - from;
    const m = Math.min(len, n);
    for (let k = 0; k < m; k++) {
      const a = words[from + k], b = code[k];
      if (a !== b) return a < b ? -1 : 1;
    }
    return len - n;
  }

  /** Index of `code[0..n)`, or -(insertion point) - 1. */
  search(code: ArrayLike<number>, n: number): number {
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

  element(i: number): number[] {
    return this.words.slice(this.offsets[i], this.offsets[i + 1]);
  }

  insert(at: number, code: ArrayLike<number>, n: number): CodeList {
    // Preallocated and filled by index: cheaper than slicing and pushing word by word.
    const old = this.words, cut = this.offsets[at], total = old.length + n;
    const words: number[] = new Array(total);
    for (let k = 0; k < cut; k++) words[k] = old[k];
    for (let k = 0; k < n; k++) words[cut + k] = code[k];
    for (let k = cut; k < old.length; k++) words[k + n] = old[k];
    const count = this.count, oldOffsets = this.offsets;
    const offsets: number[] = new Array(count + 2);
    for (let i = 0; i <= at; i++) offsets[i] = oldOffsets[i];
    for (let i = at; i <= count; i++) offsets[i + 1] = oldOffsets[i] + n;
    return new CodeList(words, offsets);
  }

  remove(at: number): CodeList {
    const from = this.offsets[at], to = this.offsets[at + 1], n = to - from, old = this.words;
    const words: number[] = new Array(old.length - n);
    for (let k = 0; k < from; k++) words[k] = old[k];
    for (let k = to; k < old.length; k++) words[k - n] = old[k];
    const count = this.count, oldOffsets = this.offsets;
    const offsets: number[] = new Array(count);
    for (let i = 0; i < at; i++) offsets[i] = oldOffsets[i];
    for (let i = at + 1; i <= count; i++) offsets[i - 1] = oldOffsets[i] - n;
    return new CodeList(words, offsets);
  }

  /** Keeps the elements whose index passes `keep`. */
  filter(keep: (i: number) => boolean): CodeList {
    const parts: number[][] = [];
    for (let i = 0; i < this.count; i++) if (keep(i)) parts.push(this.element(i));
    return CodeList.fromSorted(parts);
  }

  /** From codes already in canonical order. */
  static fromSorted(codes: readonly ArrayLike<number>[]): CodeList {
    const words: number[] = [];
    const offsets: number[] = [0];
    for (const c of codes) {
      for (let k = 0; k < c.length; k++) words.push(c[k]);
      offsets.push(words.length);
    }
    return new CodeList(words, offsets);
  }
}
