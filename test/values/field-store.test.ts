// FieldStore (checker/explore/store/field-store.ts) interns field values by their canonical code:
// equal values get one ref, different values different refs (even when their digests
// collide), each ref decodes to a value with the original's canonical code, and the per-ref
// digest columns hold what was given; all of it across column growth, table rehashes, code
// chunks and the decode cache's evictions.
import fc from "fast-check";
import { stateValues } from "../support/state-values.ts";
import { describe, expect, it } from "vitest";
import { ValueMap, ValueSet, type Value } from "../../checker/index.ts";
import { Encoder } from "../../checker/values/encode.ts";
import { Fingerprinter } from "../../checker/values/fingerprint.ts";
import { FieldStore } from "../../checker/explore/store/field-store.ts";
import { FieldDigests } from "../../checker/values/fingerprint.ts";

const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom("working", "prepared", "a", ""),
  fc.string({ maxLength: 12 }),
);
const valueArb = stateValues(leaf);

/** The canonical code of `v` as text (the oracle for equality of values). */
function codeText(v: unknown): string {
  const e = new Encoder();
  const n = e.encode(v);
  return Array.from(e.words.subarray(0, n)).join(",");
}

interface Digests {
  hi: number;
  lo: number;
  sumHi: number;
  sumLo: number;
  arrayLength: number;
}

/** What the explorer passes to `intern` for `v` as a record field: its digest, element sum and array length. */
function digestsOf(v: Value, f = new Fingerprinter()): Digests {
  const into = new FieldDigests();
  f.fingerprint({ x: v }, { hi: 0, lo: 0 }, undefined, into);
  let sumHi = 0, sumLo = 0;
  if (into.arrayLength[0] >= 0) {
    sumHi = into.sumHi[0];
    sumLo = into.sumLo[0];
  } else if (v instanceof ValueSet) {
    const s = { hi: 0, lo: 0 };
    v.elementSum(s);
    sumHi = s.hi;
    sumLo = s.lo;
  }
  return { hi: into.hi[0], lo: into.lo[0], sumHi, sumLo, arrayLength: into.arrayLength[0] };
}

/**
 * Interns `v` through one shared Encoder (its buffer is longer than the code and is
 * overwritten by the next value, as in the explorer); `digests` overrides the digests.
 */
function intern(store: FieldStore, encoder: Encoder, v: Value, d: Digests): number {
  const n = encoder.encode(v);
  return store.intern(encoder.words, n, d.hi, d.lo, d.sumHi, d.sumLo, d.arrayLength);
}

/** Checks the store against a plain Map from code text to first ref, over `values` in order. */
function checkAgainstMap(values: readonly Value[], digests: (v: Value, i: number) => Digests): void {
  const store = new FieldStore();
  const encoder = new Encoder();
  const byCode = new Map<string, number>();
  const refs: number[] = [];
  const given: Digests[] = [];
  values.forEach((v, i) => {
    const d = digests(v, i);
    const ref = intern(store, encoder, v, d);
    const key = codeText(v);
    const first = byCode.get(key);
    if (first === undefined) {
      // New values get the next ref.
      expect(ref).toBe(byCode.size);
      byCode.set(key, ref);
      given[ref] = d;
    } else expect(ref).toBe(first);
    refs.push(ref);
  });
  expect(store.size).toBe(byCode.size);
  values.forEach((v, i) => {
    const ref = refs[i];
    expect(codeText(store.value(ref))).toBe(codeText(v));
    expect(store.hi[ref]).toBe(given[ref].hi);
    expect(store.lo[ref]).toBe(given[ref].lo);
    expect(store.sumHi[ref]).toBe(given[ref].sumHi);
    expect(store.sumLo[ref]).toBe(given[ref].sumLo);
    expect(store.arrayLength[ref]).toBe(given[ref].arrayLength);
  });
  // Interning again finds every value.
  values.forEach((v, i) => expect(intern(store, encoder, v, digests(v, i))).toBe(refs[i]));
  expect(store.size).toBe(byCode.size);
}

describe("FieldStore", () => {
  it("one ref per distinct value, decoding to an equal value (real digests)", () => {
    const f = new Fingerprinter();
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), (distinct, picks) => {
        // Repeats of earlier values, some rebuilt (equal but not the same object).
        const values = [...distinct, ...picks.map((p) => structuredCopy(distinct[p % distinct.length]))];
        checkAgainstMap(values, (v) => digestsOf(v, f));
      }),
      { numRuns: 300 },
    );
  });

  it("tells values apart by their code when their digests collide", () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 40 }), fc.nat(3), (values, classes) => {
        // Every value gets one of at most 4 digests: probing must compare codes.
        checkAgainstMap([...values, ...values], (v) => {
          const h = codeText(v).length % (classes + 1);
          return { hi: h, lo: 3 * h, sumHi: 0, sumLo: 0, arrayLength: Array.isArray(v) ? v.length : -1 };
        });
      }),
      { numRuns: 200 },
    );
  });

  it("codes that are prefixes of each other under one digest are different values", () => {
    const values: Value[] = [[], [1], [1, 2], [1, 2, 3], "ab", "abc", "abcd", { a: 1 }, { a: 1, b: 2 }, ValueSet.from([1]), ValueSet.from([1, 2])];
    checkAgainstMap(values, () => ({ hi: 7, lo: 7, sumHi: 0, sumLo: 0, arrayLength: -1 }));
  });

  it("a decoded set carries its element sum, so sets grown from it fingerprint as fresh ones", () => {
    const f = new Fingerprinter();
    fc.assert(
      fc.property(fc.array(leaf, { maxLength: 6 }), leaf, (xs, x) => {
        const store = new FieldStore();
        const set = ValueSet.from(xs);
        const ref = intern(store, new Encoder(), set, digestsOf(set, f));
        const decoded = store.value(ref) as ValueSet;
        expect(decoded).toBeInstanceOf(ValueSet);
        const grown = decoded.add(x), shrunk = decoded.delete(x);
        const fp = (v: Value) => {
          const out = { hi: 0, lo: 0 };
          new Fingerprinter().fingerprint({ s: v }, out);
          return [out.hi, out.lo];
        };
        expect(fp(grown)).toEqual(fp(ValueSet.from([...xs, x])));
        expect(fp(shrunk)).toEqual(fp(ValueSet.from(xs.filter((y) => codeText(y) !== codeText(x)))));
      }),
      { numRuns: 200 },
    );
  });

  it("200,000 values: growth, rehashes, several code chunks and decode-cache evictions keep refs and values", () => {
    const store = new FieldStore();
    const encoder = new Encoder();
    const N = 200_000;
    // About 13 words each: 2.6 M words, three chunks of 2^20.
    const valueOf = (k: number): Value => (k % 3 === 0 ? [k, -k, k % 7, "s" + (k % 11), k * 0.5, null] : k % 3 === 1 ? { id: k, tag: "t" + (k % 5), even: k % 2 === 0 } : ValueSet.from([k, k + 1, "x"]));
    const digest = (k: number): Digests => ({ hi: Math.imul(k, 0x9e3779b1), lo: k ^ 0x5bd1e995, sumHi: k, sumLo: -k | 0, arrayLength: k % 3 === 0 ? 6 : -1 });
    for (let k = 0; k < N; k++) expect(intern(store, encoder, valueOf(k), digest(k))).toBe(k);
    expect(store.size).toBe(N);
    // Again, in reverse: every value is found, nothing new is stored.
    for (let k = N - 1; k >= 0; k--) {
      const ref = intern(store, encoder, valueOf(k), digest(k));
      if (ref !== k) expect(ref).toBe(k);
    }
    expect(store.size).toBe(N);
    // Every ref decodes to its value; refs 65,536 apart share a cache slot, so alternate them.
    const expected = (k: number) => codeText(valueOf(k));
    for (let k = 0; k < N; k++) {
      const got = codeText(store.value(k));
      if (got !== expected(k)) expect(got).toBe(expected(k));
      if (store.hi[k] !== digest(k).hi || store.sumLo[k] !== (-k | 0) || store.arrayLength[k] !== digest(k).arrayLength) {
        expect([store.hi[k], store.lo[k], store.sumHi[k], store.sumLo[k], store.arrayLength[k]]).toEqual(Object.values(digest(k)));
      }
    }
    for (const k of [5, 5 + 65_536, 5, 5 + 131_072, 5 + 65_536, 199_999, 199_999 - 65_536, 199_999]) expect(codeText(store.value(k))).toBe(expected(k));
    // A cached value is handed out as the same object.
    expect(store.value(12_345)).toBe(store.value(12_345));
  });

  it("a value longer than a code chunk (2^20 words), between small ones", () => {
    const store = new FieldStore();
    const encoder = new Encoder();
    const d: Digests = { hi: 1, lo: 2, sumHi: 0, sumLo: 0, arrayLength: -1 };
    const big = Array.from({ length: (1 << 20) + 5 }, (_, i) => i % 100);
    const small = [1, 2, 3];
    const a = intern(store, encoder, small, d);
    const b = intern(store, encoder, big, { ...d, hi: 3 });
    const c = intern(store, encoder, [4, 5], { ...d, hi: 4 });
    expect([a, b, c]).toEqual([0, 1, 2]);
    expect(intern(store, encoder, big, { ...d, hi: 3 })).toBe(1);
    expect(codeText(store.value(a))).toBe(codeText(small));
    expect(codeText(store.value(b))).toBe(codeText(big));
    expect(codeText(store.value(c))).toBe(codeText([4, 5]));
  });
});

/** An equal value built anew (records with reversed key order, sets from reversed items). */
function structuredCopy(v: Value): Value {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(structuredCopy);
  if (v instanceof ValueSet) return ValueSet.from([...v.items].reverse().map(structuredCopy));
  if (v instanceof ValueMap) return ValueMap.from([...v].reverse().map(([k, x]) => [structuredCopy(k), structuredCopy(x)] as const));
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, structuredCopy(x as Value)])) as Value;
}
