import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FingerprintSet, collisionProbability } from "../../checker/explore/store/fingerprint-set.ts";

describe("FingerprintSet", () => {
  it("agrees with a Set of strings on random inserts and lookups", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -8, max: 8 })), { maxLength: 300 }), (pairs) => {
        const table = new FingerprintSet(16);
        const oracle = new Set<string>();
        for (const [hi, lo] of pairs) {
          // (0,0) is stored as (0,1): the two are one fingerprint, documented.
          const key = hi === 0 && lo === 0 ? "0:1" : `${hi}:${lo}`;
          expect(table.add(hi, lo)).toBe(!oracle.has(key));
          oracle.add(key);
        }
        expect(table.size).toBe(oracle.size);
        for (const [hi, lo] of pairs) expect(table.has(hi, lo)).toBe(true);
      }),
    );
  });

  it("grows under load and stays within 16 bytes a fingerprint", () => {
    const table = new FingerprintSet(16);
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) | 0);
    const n = 1_000_000;
    const his = new Int32Array(n), los = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      his[i] = next();
      los[i] = next();
      table.add(his[i], los[i]);
    }
    expect(table.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(table.has(his[i], los[i])).toBe(true);
    expect(table.has(1, 2)).toBe(false);
    expect(table.byteLength / table.size).toBeLessThanOrEqual(16);
    expect(table.byteLength / table.size).toBeGreaterThanOrEqual(10);
  });

  it("estimates collision probability like TLC", () => {
    const p = collisionProbability(1_000_000, 10_000_000);
    expect(p.optimistic).toBeCloseTo((1e6 * 9e6) / 2 ** 64, 20);
    expect(p.birthday).toBeCloseTo(1e12 / 2 ** 65, 20);
  });
});
