/**
 * The visited set: 64-bit fingerprints in an open-addressing table over one Int32Array
 * (two words a slot, linear probing, the all-zero pair marks an empty slot).
 *
 * Slots are found by "fast range" (hi * capacity / 2^32) rather than a power-of-two mask, so
 * the table can grow by 1.5x: with a maximum load of 0.8 the table stays between 10 and 15
 * bytes a state once it has grown past its initial size.
 *
 * Multi-worker plan: the words can live in a SharedArrayBuffer (`shared: true`); inserts then
 * become a compare-and-swap on the hi word followed by a store of lo, with readers spinning on
 * a half-written slot, and growth a stop-the-world step between BFS levels. This class keeps
 * no state outside its fields, so one instance can be handed to each worker as a view.
 */
const MAX_LOAD = 0.8;

export class FingerprintSet {
  private slots: Int32Array;
  private capacity: number;
  private limit: number;
  private readonly shared: boolean;
  /** Number of fingerprints stored. */
  size = 0;

  constructor(initialCapacity = 1 << 16, options: { shared?: boolean } = {}) {
    this.shared = options.shared ?? false;
    this.capacity = Math.max(16, Math.ceil(initialCapacity));
    this.slots = this.allocate(this.capacity);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
  }

  /** Bytes held by the table (the figure behind "bytes/state"). */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** Adds the fingerprint; true when it was not there before. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1; // (0,0) is the empty marker
    if (this.size >= this.limit) this.grow();
    const slots = this.slots, cap = this.capacity;
    let i = slotOf(hi, cap);
    for (;;) {
      const h = slots[2 * i], l = slots[2 * i + 1];
      if (h === 0 && l === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        this.size++;
        return true;
      }
      if (h === hi && l === lo) return false;
      if (++i === cap) i = 0;
    }
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const slots = this.slots, cap = this.capacity;
    let i = slotOf(hi, cap);
    for (;;) {
      const h = slots[2 * i], l = slots[2 * i + 1];
      if (h === 0 && l === 0) return false;
      if (h === hi && l === lo) return true;
      if (++i === cap) i = 0;
    }
  }

  private allocate(capacity: number): Int32Array {
    const bytes = capacity * 8;
    return new Int32Array(this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  }

  private grow(): void {
    const old = this.slots, oldCap = this.capacity;
    this.capacity = Math.ceil(oldCap * 1.5);
    this.slots = this.allocate(this.capacity);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
    const slots = this.slots, cap = this.capacity;
    for (let j = 0; j < oldCap; j++) {
      const hi = old[2 * j], lo = old[2 * j + 1];
      if (hi === 0 && lo === 0) continue;
      let i = slotOf(hi, cap);
      while (slots[2 * i] !== 0 || slots[2 * i + 1] !== 0) if (++i === cap) i = 0;
      slots[2 * i] = hi;
      slots[2 * i + 1] = lo;
    }
  }
}

function slotOf(hi: number, capacity: number): number {
  // (hi / 2^32) * capacity, exact for capacities below 2^21 and monotone above.
  const i = Math.floor(((hi >>> 0) / 4294967296) * capacity);
  return i < capacity ? i : capacity - 1;
}

/**
 * Fingerprint collision estimates, as TLC reports them: the "optimistic" figure
 * n * (generated - n) / 2^64 (each duplicate successor could have been mistaken for a new
 * state), and the birthday bound n^2 / 2^65 (any two distinct states sharing a fingerprint).
 */
export function collisionProbability(distinct: number, generated: number): { optimistic: number; birthday: number } {
  const two64 = 2 ** 64;
  return {
    optimistic: (distinct * Math.max(0, generated - distinct)) / two64,
    birthday: (distinct * distinct) / (2 * two64),
  };
}
