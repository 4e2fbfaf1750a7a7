/**
 * The search cache of WGL: configurations (set of operations already placed, model state)
 * seen before. Reaching one again cannot lead anywhere new, so the branch is cut. State
 * hashes are interned to small integers; records [next, stateId, ...bitset words] live in
 * one growable Uint32Array chained per numeric key from an open-addressing table, so the hot
 * path allocates nothing per configuration. Bitsets and state ids are compared exactly: a hash collision never prunes
 * a configuration that was not really visited.
 */
import type { Bitset } from "./bitset.ts";

const NIL = 0xffffffff;

export class VisitedConfigurations {
  private readonly stateIds = new Map<string, number>();
  /** Open addressing: slot -> first record offset + 1 (0 = empty), slots keyed by `key`. */
  // Small at first: most searches (one per file and key) visit a few hundred configurations.
  private slotKeys = new Int32Array(1 << 6);
  private slotHeads = new Int32Array(1 << 6);
  private slotsUsed = 0;
  private arena: Uint32Array;
  private used = 0;
  private readonly stride: number;
  size = 0;

  constructor(words: number) {
    this.stride = words + 2;
    this.arena = new Uint32Array(this.stride * 64);
  }

  /** The last state hash looked up and its id: consecutive steps often reach the same state. */
  private lastHash: string | undefined;
  private lastSid = 0;

  /** Distinct model states seen (interned hashes). */
  get states(): number {
    return this.stateIds.size;
  }

  /** Records (bits, stateHash); returns false when it had been recorded already. */
  add(bits: Bitset, stateHash: string): boolean {
    let sid: number | undefined;
    if (stateHash === this.lastHash) sid = this.lastSid;
    else {
      sid = this.stateIds.get(stateHash);
      if (sid === undefined) {
        sid = this.stateIds.size;
        this.stateIds.set(stateHash, sid);
      }
      this.lastHash = stateHash;
      this.lastSid = sid;
    }
    const key = (bits.hashLo ^ Math.imul(sid + 1, 0x9e3779b1)) & 0x3fffffff;
    const words = bits.words;
    const slot = this.findSlot(key);
    const head = this.slotHeads[slot] - 1;
    const arena = this.arena;
    for (let r = head < 0 ? NIL : head; r !== NIL; r = arena[r]) {
      if (arena[r + 1] !== sid) continue;
      let same = true;
      for (let k = 0; k < words.length; k++) {
        if (arena[r + 2 + k] !== words[k]) {
          same = false;
          break;
        }
      }
      if (same) return false;
    }
    if (this.used + this.stride > arena.length) {
      const grown = new Uint32Array(arena.length * 2);
      grown.set(arena);
      this.arena = grown;
    }
    const r = this.used;
    this.arena[r] = head < 0 ? NIL : head;
    this.arena[r + 1] = sid;
    this.arena.set(words, r + 2);
    if (head < 0) {
      this.slotKeys[slot] = key;
      this.slotsUsed++;
    }
    this.slotHeads[slot] = r + 1;
    this.used += this.stride;
    this.size++;
    if (this.slotsUsed * 2 > this.slotKeys.length) this.growSlots();
    return true;
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  private findSlot(key: number): number {
    const mask = this.slotKeys.length - 1;
    let s = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    while (this.slotHeads[s] !== 0 && this.slotKeys[s] !== key) s = (s + 1) & mask;
    return s;
  }

  private growSlots(): void {
    const oldKeys = this.slotKeys;
    const oldHeads = this.slotHeads;
    this.slotKeys = new Int32Array(oldKeys.length * 2);
    this.slotHeads = new Int32Array(oldKeys.length * 2);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] === 0) continue;
      const s = this.findSlot(oldKeys[i]);
      this.slotKeys[s] = oldKeys[i];
      this.slotHeads[s] = oldHeads[i];
    }
  }
}
