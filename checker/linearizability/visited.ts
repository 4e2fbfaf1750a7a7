/**
 * The search cache of WGL: configurations (set of operations already placed, model state)
 * seen before. Reaching one again cannot lead anywhere new, so the branch is cut. Keys are
 * the bitset's Zobrist hash plus the state hash; bitsets are compared exactly, so a hash
 * collision never prunes a configuration that was not really visited.
 */
import type { Bitset } from "./bitset.ts";

export class VisitedConfigurations {
  private readonly buckets = new Map<string, Uint32Array[]>();
  size = 0;

  /** Records (bits, stateHash); returns false when it had been recorded already. */
  add(bits: Bitset, stateHash: string): boolean {
    const key = `${bits.hashLo}.${bits.hashHi}|${stateHash}`;
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, [bits.words.slice()]);
      this.size++;
      return true;
    }
    for (const words of bucket) if (bits.equalsWords(words)) return false;
    bucket.push(bits.words.slice());
    this.size++;
    return true;
  }
}
