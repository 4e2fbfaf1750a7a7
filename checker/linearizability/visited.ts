/**
 * The search cache of WGL: configurations (set of operations already placed, model state)
 * seen before. Reaching one again cannot lead anywhere new, so the branch is cut. State
 * hashes are interned to small integers; records [next, stateId, ...bitset words] live in
 * one growable Uint32Array (next: the next record's offset + 1, 0 at the end) chained per
 * numeric key from an open-addressing table, so the hot path allocates nothing per
 * configuration. Bitsets and state ids are compared exactly: a hash collision never prunes
 * a configuration that was not really visited. Nothing is allocated before the first
 * record: most searches never backtrack and never store one.
 */
/** Slots of the first table: a search that backtracks at all usually stores hundreds. */
const FIRST_SLOTS = 1 << 8;
/** Tables of a cache that holds nothing yet (never written). */
const NO_SLOTS = new Int32Array(0);
const NO_RECORDS = new Uint32Array(0);

export class VisitedConfigurations {
  private stateIds: Map<string, number> | undefined;
  /** Open addressing: slot -> first record offset + 1 (0 = empty), slots keyed by `key`. */
  private slotKeys = NO_SLOTS;
  private slotHeads = NO_SLOTS;
  private slotsUsed = 0;
  private arena = NO_RECORDS;
  private used = 0;
  private readonly stride: number;
  /** Configurations recorded. */
  size = 0;
  /** The last state hash looked up and its id: consecutive steps often reach the same state. */
  private lastHash: string | undefined;
  private lastId = 0;

  constructor(words: number) {
    this.stride = words + 2;
  }

  /** Distinct model states seen (interned hashes). */
  get states(): number {
    return this.stateIds?.size ?? 0;
  }

  /** The small integer standing for a state hash. */
  idOf(stateHash: string): number {
    if (stateHash === this.lastHash) return this.lastId;
    const ids = (this.stateIds ??= new Map());
    let id = ids.get(stateHash);
    if (id === undefined) {
      id = ids.size;
      ids.set(stateHash, id);
    }
    this.lastHash = stateHash;
    this.lastId = id;
    return id;
  }

  /** Records (words, state id) unless recorded already (then false); `setHash` is the set's Zobrist hash. */
  add(words: Uint32Array, setHash: number, id: number): boolean {
    if (this.slotsUsed * 2 >= this.slotKeys.length) this.growSlots();
    const key = (setHash ^ Math.imul(id + 1, 0x9e3779b1)) & 0x3fffffff;
    const s = this.slotOf(key);
    const arena = this.arena;
    const n = words.length;
    for (let r = this.slotHeads[s] - 1; r >= 0; ) {
      const link = arena[r];
      if (arena[r + 1] === id) {
        let k = 0;
        while (k < n && arena[r + 2 + k] === words[k]) k++;
        if (k === n) return false;
      }
      r = link - 1;
    }
    this.record(words, id, key, s);
    return true;
  }

  /** Records (words, state id), which must not be recorded yet. */
  insert(words: Uint32Array, setHash: number, id: number): void {
    if (this.slotsUsed * 2 >= this.slotKeys.length) this.growSlots();
    const key = (setHash ^ Math.imul(id + 1, 0x9e3779b1)) & 0x3fffffff;
    this.record(words, id, key, this.slotOf(key));
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  private slotOf(key: number): number {
    const keys = this.slotKeys;
    const heads = this.slotHeads;
    const mask = keys.length - 1;
    let s = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
    while (heads[s] !== 0 && keys[s] !== key) s = (s + 1) & mask;
    return s;
  }

  /** Adds a record at the head of slot `s`'s chain. */
  private record(words: Uint32Array, id: number, key: number, s: number): void {
    if (this.used + this.stride > this.arena.length) {
      const grown = new Uint32Array(Math.max(this.arena.length * 2, this.stride * 64));
      grown.set(this.arena);
      this.arena = grown;
    }
    const arena = this.arena;
    const r = this.used;
    const head = this.slotHeads[s];
    arena[r] = head;
    arena[r + 1] = id;
    arena.set(words, r + 2);
    if (head === 0) {
      this.slotKeys[s] = key;
      this.slotsUsed++;
    }
    this.slotHeads[s] = r + 1;
    this.used += this.stride;
    this.size++;
  }

  private growSlots(): void {
    const oldKeys = this.slotKeys;
    const oldHeads = this.slotHeads;
    const keys = new Int32Array(Math.max(oldKeys.length * 2, FIRST_SLOTS));
    const heads = new Int32Array(keys.length);
    const mask = keys.length - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] === 0) continue;
      let s = (Math.imul(oldKeys[i], 0x9e3779b1) >>> 0) & mask;
      while (heads[s] !== 0) s = (s + 1) & mask;
      keys[s] = oldKeys[i];
      heads[s] = oldHeads[i];
    }
    this.slotKeys = keys;
    this.slotHeads = heads;
  }
}
