// The explorer fingerprints a successor against its parent's field digests and stores states
// as frames (record-frames.ts). Both shortcuts must be invisible: the fingerprint computed
// against any parent equals the one computed from scratch, and a frame decodes to the state
// it was made from, with the digests a fresh fingerprint would give.
import fc from "fast-check";
import { stateValues } from "../support/state-values.ts";
import { describe, expect, it } from "vitest";
import { compareValues, ValueSet, type Value } from "../../checker/index.ts";
import { Fingerprinter } from "../../checker/values/fingerprint.ts";
import { FieldDigests } from "../../checker/values/fingerprint.ts";
import { ParentFields, RecordFrames } from "../../checker/explore/store/record-frames.ts";

const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 3 }), fc.integer(), fc.constantFrom("working", "prepared", "a", ""), fc.string({ maxLength: 30 }));
const valueArb = stateValues(leaf, { maps: false });
const fieldArb = fc.oneof(valueArb, fc.array(leaf, { minLength: 1, maxLength: 6 }));
const keyArb = fc.constantFrom("msgs", "rmState", "tmState", "b", "a", "zz");
const setArb = fc.array(leaf, { maxLength: 5 }).map((xs) => ValueSet.from(xs));
const stateArb = fc.dictionary(keyArb, fc.oneof(fieldArb, setArb), { minKeys: 1, maxKeys: 5 });

/** Edits that an action might make: each keeps the untouched fields as the same objects. */
type Edit =
  | { kind: "replace"; key: string; value: Value }
  | { kind: "setAt"; key: string; at: number; value: Value }
  | { kind: "delete"; key: string }
  | { kind: "setAdd" | "setDelete"; key: string; value: Value }
  | { kind: "same" };
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), key: keyArb, value: fieldArb }),
  fc.record({ kind: fc.constant("setAt" as const), key: keyArb, at: fc.nat(7), value: leaf }),
  fc.record({ kind: fc.constant("delete" as const), key: keyArb }),
  fc.record({ kind: fc.constantFrom("setAdd" as const, "setDelete" as const), key: keyArb, value: leaf }),
  fc.constant({ kind: "same" as const }),
);

function apply(s: Record<string, Value>, edits: Edit[]): Record<string, Value> {
  let out: Record<string, Value> = { ...s };
  for (const e of edits) {
    if (e.kind === "replace") out = { ...out, [e.key]: e.value };
    else if (e.kind === "delete") {
      const { [e.key]: _, ...rest } = out;
      out = rest;
    } else if (e.kind === "setAdd" || e.kind === "setDelete") {
      const set = out[e.key];
      if (set instanceof ValueSet) out = { ...out, [e.key]: e.kind === "setAdd" ? set.add(e.value) : set.delete(e.value) };
    } else if (e.kind === "setAt") {
      const a = out[e.key];
      if (Array.isArray(a) && a.length > 0) {
        const copy = a.slice();
        copy[e.at % a.length] = e.value;
        out = { ...out, [e.key]: copy };
      }
    }
  }
  return out;
}

function fresh(v: unknown): [number, number] {
  const fp = { hi: 0, lo: 0 };
  new Fingerprinter().fingerprint(v, fp);
  return [fp.hi, fp.lo];
}

describe("fingerprints against a parent", () => {
  it("equal the fingerprint computed from scratch, for any edit of the parent", () => {
    fc.assert(
      fc.property(stateArb, fc.array(editArb, { maxLength: 4 }), fc.array(editArb, { maxLength: 3 }), (parent, edits, more) => {
        const f = new Fingerprinter();
        const fp = { hi: 0, lo: 0 };
        const digests = new FieldDigests();
        f.fingerprint(parent, fp, undefined, digests);
        expect([fp.hi, fp.lo]).toEqual(fresh(parent));
        const child = apply(parent, edits);
        f.fingerprint(child, fp, digests, new FieldDigests());
        expect([fp.hi, fp.lo]).toEqual(fresh(child));
        // The same through a frame: the decoded parent shares its fields with its successors.
        const frames = new RecordFrames();
        const n = frames.encode(parent, digests, undefined);
        const decodedParent = new ParentFields();
        const decoded = frames.decode(frames.words.slice(0, n), 0, decodedParent) as Record<string, Value>;
        const grandchild = apply(decoded, more);
        const into = new FieldDigests();
        f.fingerprint(grandchild, fp, decodedParent, into);
        expect([fp.hi, fp.lo]).toEqual(fresh(grandchild));
        // And the grandchild's frame, built from its parent's codes, decodes to it.
        const m = frames.encode(grandchild, into, decodedParent);
        const again = frames.decode(frames.words.slice(0, m), 0, new ParentFields());
        expect(compareValues(again, grandchild)).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("separate values that differ in one array element or one field", () => {
    const f = new Fingerprinter();
    const parent = { rmState: ["working", "working", "working"], tmState: "init" };
    const digests = new FieldDigests();
    const fp = { hi: 0, lo: 0 };
    f.fingerprint(parent, fp, undefined, digests);
    const seen = new Set<string>([`${fp.hi}:${fp.lo}`]);
    const variants = [
      { ...parent, rmState: ["prepared", "working", "working"] },
      { ...parent, rmState: ["working", "prepared", "working"] },
      { ...parent, rmState: ["working", "working", "prepared"] },
      { ...parent, rmState: ["prepared", "prepared", "working"] },
      { ...parent, tmState: "committed" },
      { ...parent, rmState: ["working", "working"] },
      { rmState: parent.rmState, tmState: parent.rmState },
    ];
    for (const v of variants) {
      f.fingerprint(v, fp, digests, new FieldDigests());
      const key = `${fp.hi}:${fp.lo}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });
});

describe("frames", () => {
  it("decode to the state, with the field digests of a fresh fingerprint", () => {
    fc.assert(
      fc.property(fc.oneof(stateArb, valueArb), (state) => {
        const f = new Fingerprinter();
        const digests = new FieldDigests();
        const fp = { hi: 0, lo: 0 };
        f.fingerprint(state, fp, undefined, digests);
        const frames = new RecordFrames();
        const n = frames.encode(state, digests, undefined);
        const parent = new ParentFields();
        // Decode twice: the second time fields come from the decoder's cache.
        for (let i = 0; i < 2; i++) {
          const decoded = frames.decode(frames.words.slice(0, n), 0, parent);
          expect(compareValues(decoded, state)).toBe(0);
          expect(fresh(decoded)).toEqual([fp.hi, fp.lo]);
        }
        if (digests.shape) {
          const k = digests.shape.sorted.length;
          expect(Array.from(parent.hi.subarray(0, k))).toEqual(Array.from(digests.hi.subarray(0, k)));
          expect(Array.from(parent.lo.subarray(0, k))).toEqual(Array.from(digests.lo.subarray(0, k)));
          expect([parent.totalHi, parent.totalLo]).toEqual([digests.totalHi, digests.totalLo]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("set digests carried through add and delete", () => {
  it("equal the digest of the same set built from scratch", () => {
    const op = fc.tuple(fc.boolean(), valueArb, fc.boolean());
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 5 }), fc.array(op, { maxLength: 12 }), (start, ops) => {
        const f = new Fingerprinter();
        const fp = { hi: 0, lo: 0 };
        let set = ValueSet.from(start);
        f.fingerprint(set, fp); // the digest is known from here on, so edits carry it
        for (const [isAdd, x, look] of ops) {
          set = isAdd ? set.add(x) : set.delete(x);
          if (look) f.fingerprint({ s: set }, fp);
        }
        f.fingerprint({ s: set }, fp);
        expect([fp.hi, fp.lo]).toEqual(fresh({ s: ValueSet.from([...set]) }));
      }),
      { numRuns: 500 },
    );
  });
});

describe("frames of wide records", () => {
  it("round-trip records with more fields than the decoder caches", () => {
    const f = new Fingerprinter();
    const frames = new RecordFrames();
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i % 3 ? [i, "x"] : ValueSet.of(i, i + 1)]));
    const digests = new FieldDigests();
    const fp = { hi: 0, lo: 0 };
    f.fingerprint(wide, fp, undefined, digests);
    const n = frames.encode(wide, digests, undefined);
    const parent = new ParentFields();
    for (let k = 0; k < 2; k++) {
      const decoded = frames.decode(frames.words.slice(0, n), 0, parent) as Record<string, Value>;
      expect(compareValues(decoded, wide)).toBe(0);
      const child = { ...decoded, f39: [0], f0: (decoded.f0 as ValueSet<number>).add(7) };
      f.fingerprint(child, fp, parent, new FieldDigests());
      expect([fp.hi, fp.lo]).toEqual(fresh(child));
    }
  });
});
