/**
 * The search cache of WGL: configurations (set of operations already placed, model state)
 * seen before. Reaching one again cannot lead anywhere new, so the branch is cut. State
 * hashes are interned to small integers; records [next, stateId, ...bitset words] live in
 * one growable Uint32Array chained per numeric key, so the hot path allocates nothing per
 * configuration. Bitsets and state ids are compared exactly: a hash collision never prunes
 * a configuration that was not really visited.
 */
import type { Bitset } from "./bitset.ts";

const NIL = 0xffffffff;

export class VisitedConfigurations {
  private readonly stateIds = new Map<string, number>();
  private readonly heads = new Map<number, number>();
  private arena: Uint32Array;
  private used = 0;
  private readonly stride: number;
  size = 0;

  constructor(words: number) {
    this.stride = words + 2;
    this.arena = new Uint32Array(this.stride * 1024);
  }

  /** Records (bits, stateHash); returns false when it had been recorded already. */
  add(bits: Bitset, stateHash: string): boolean {
    let sid = this.stateIds.get(stateHash);
    if (sid === undefined) {
      sid = this.stateIds.size;
      this.stateIds.set(stateHash, sid);
    }
    // Kept within 30 bits so V8 stores the key as a small integer (fast Map hashing).
    const key = (bits.hashLo ^ Math.imul(sid + 1, 0x9e3779b1)) & 0x3fffffff;
    const words = bits.words;
    const head = this.heads.get(key);
    const arena = this.arena;
    for (let r = head ?? NIL; r !== NIL; r = arena[r]) {
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
    this.arena[r] = head ?? NIL;
    this.arena[r + 1] = sid;
    this.arena.set(words, r + 2);
    this.heads.set(key, r);
    this.used += this.stride;
    this.size++;
    return true;
  }
}
