/**
 * A visited set that also remembers each fingerprint's state id: three words a slot
 * (hi, lo, id + 1), linear probing. Used where a search must know which state a duplicate
 * successor is (the state graph's edges, DFS re-expanding a state found on a shorter path);
 * the plain FingerprintSet stays the default, at two words a slot.
 */
const MAX_LOAD = 0.75;

export class FingerprintIndex {
  private slots: Int32Array;
  private capacity: number;
  private limit: number;
  size = 0;

  constructor(initialCapacity = 1 << 12) {
    this.capacity = Math.max(16, Math.ceil(initialCapacity));
    this.slots = new Int32Array(this.capacity * 3);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
  }

  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** Adds (hi, lo) with `id` when absent and returns -1; else returns the id it has. */
  addOrGet(hi: number, lo: number, id: number): number {
    if (this.size >= this.limit) this.grow();
    const slots = this.slots, cap = this.capacity;
    let i = slotOf(hi, cap);
    for (;;) {
      const stored = slots[3 * i + 2];
      if (stored === 0) {
        slots[3 * i] = hi;
        slots[3 * i + 1] = lo;
        slots[3 * i + 2] = id + 1;
        this.size++;
        return -1;
      }
      if (slots[3 * i] === hi && slots[3 * i + 1] === lo) return stored - 1;
      if (++i === cap) i = 0;
    }
  }

  private grow(): void {
    const old = this.slots, oldCap = this.capacity;
    this.capacity = Math.ceil(oldCap * 1.5);
    this.slots = new Int32Array(this.capacity * 3);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
    const slots = this.slots, cap = this.capacity;
    for (let j = 0; j < oldCap; j++) {
      if (old[3 * j + 2] === 0) continue;
      let i = slotOf(old[3 * j], cap);
      while (slots[3 * i + 2] !== 0) if (++i === cap) i = 0;
      slots[3 * i] = old[3 * j];
      slots[3 * i + 1] = old[3 * j + 1];
      slots[3 * i + 2] = old[3 * j + 2];
    }
  }
}

function slotOf(hi: number, capacity: number): number {
  const i = Math.floor(((hi >>> 0) / 4294967296) * capacity);
  return i < capacity ? i : capacity - 1;
}
