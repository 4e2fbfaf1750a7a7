/**
 * A small seedable generator (SplitMix32), so that simulation runs are reproducible from
 * the seed printed in every report. The core never calls Math.random().
 */
export class SeededRandom {
  private s: number;
  constructor(seed: number) {
    this.s = seed | 0;
  }
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.s = (this.s + 0x9e3779b9) | 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}
