// Canonical encoding: round trips, key-order independence, set/map canonical order, and the
// fingerprint being a function of the encoding.
import fc from "fast-check";
import { stateValues } from "../support/state-values.ts";
import { describe, expect, it } from "vitest";
import { compareValues, ValueMap, ValueSet, type Value } from "../../checker/index.ts";
import { decode } from "../../checker/values/decode.ts";
import { Encoder } from "../../checker/values/encode.ts";
import { Fingerprinter } from "../../checker/values/fingerprint.ts";
import { hashWords } from "../../checker/values/hash.ts";

const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 4 }),
);
const valueArb = stateValues(leaf, { keyLength: 5, maxKeys: 4, crossShrink: true });

/** The fingerprint the explorer uses (tree hash) and the plain hash of the encoding: both must separate values. */
function fingerprint(v: unknown): string {
  const fp = { hi: 0, lo: 0 };
  new Fingerprinter().fingerprint(v, fp);
  const e = new Encoder();
  const n = e.encode(v);
  const plain = { hi: 0, lo: 0 };
  hashWords(e.words, n, plain);
  return `${fp.hi}:${fp.lo}/${plain.hi}:${plain.lo}`;
}

/** Rebuilds records with their keys in reverse insertion order, sets from shuffled input. */
function permuted(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(permuted);
  if (v instanceof ValueSet) return ValueSet.from([...v.items].reverse().map((x) => permuted(x) as Value));
  if (v instanceof ValueMap) return ValueMap.from([...v].reverse().map(([k, x]) => [permuted(k) as Value, permuted(x) as Value] as const));
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, permuted(x)]));
}

describe("canonical encoding", () => {
  it("round-trips every value", () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const e = new Encoder();
        e.encode(v);
        const { value, end } = decode(e.copy());
        expect(end).toBe(e.length);
        expect(compareValues(value, v)).toBe(0);
        // Re-encoding the decoded value gives the same words.
        const again = new Encoder();
        again.encode(value);
        expect(Array.from(again.copy())).toEqual(Array.from(e.copy()));
      }),
      { numRuns: 500 },
    );
  });

  it("gives equal values the same fingerprint whatever the key or insertion order", () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        expect(fingerprint(permuted(v))).toBe(fingerprint(v));
      }),
      { numRuns: 500 },
    );
  });

  it("gives different values different encodings", () => {
    fc.assert(
      fc.property(valueArb, valueArb, (a, b) => {
        const same = JSON.stringify(canonicalJson(a)) === JSON.stringify(canonicalJson(b));
        expect(compareValues(a, b) === 0).toBe(same);
        if (!same) expect(fingerprint(a)).not.toBe(fingerprint(b));
      }),
      { numRuns: 500 },
    );
  });

  it("orders sets and maps canonically", () => {
    const a = ValueSet.of<number>(3, 1, 2).add(5).delete(1);
    const b = ValueSet.of<number>(5, 2, 3);
    expect(compareValues(a, b)).toBe(0);
    expect(b.has(2)).toBe(true);
    expect(b.has(1)).toBe(false);
    const m1 = ValueMap.empty<string, number>().set("x", 1).set("y", 2);
    const m2 = ValueMap.empty<string, number>().set("y", 2).set("x", 1);
    expect(fingerprint(m1)).toBe(fingerprint(m2));
    expect(m1.get("y")).toBe(2);
    expect(fingerprint({ a: 1, b: [1, 2] })).toBe(fingerprint({ b: [1, 2], a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: "1" }));
    expect(fingerprint(-0)).toBe(fingerprint(0));
    expect(fingerprint([1, [2]])).not.toBe(fingerprint([[1], 2]));
  });

  it("rejects values that are not state data", () => {
    const e = new Encoder();
    expect(() => e.encode({ a: undefined })).toThrow(/not a state value/);
    expect(() => e.encode([() => 1])).toThrow(/not a state value/);
    expect(() => e.encode(NaN)).toThrow(/not a state value/);
    expect(() => e.encode(new Date())).toThrow(/instance of Date/);
  });
});

/** An independent canonical form: JSON with sorted keys and sorted set/map entries. */
function canonicalJson(v: unknown): unknown {
  if (v === null || typeof v !== "object") return typeof v === "number" && Object.is(v, -0) ? 0 : v;
  if (Array.isArray(v)) return ["arr", v.map(canonicalJson)];
  if (v instanceof ValueSet) return ["set", v.items.map((x) => JSON.stringify(canonicalJson(x))).sort()];
  if (v instanceof ValueMap) return ["map", [...v].map(([k, x]) => JSON.stringify([canonicalJson(k), canonicalJson(x)])).sort()];
  return ["rec", Object.keys(v).sort().map((k) => [k, canonicalJson((v as Record<string, unknown>)[k])])];
}

describe("a record key named __proto__ (as JSON.parse makes it)", () => {
  it("round-trips as an own field, and is not the same value as a record without it", () => {
    const withKey = JSON.parse('{"__proto__": {"a": 1}, "b": 2}');
    const e = new Encoder();
    const n = e.encode(withKey);
    const back = decode(e.words, 0).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, "__proto__")).toBe(true);
    expect(JSON.stringify(back)).toBe(JSON.stringify(withKey));
    expect(n).toBeGreaterThan(0);
    expect(fingerprint(withKey)).not.toBe(fingerprint({ b: 2 }));
    expect(fingerprint(withKey)).not.toBe(fingerprint({ a: 1, b: 2 }));
  });
});
