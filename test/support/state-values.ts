// fast-check arbitrary for state values (records, arrays, sets, maps over `leaf`), shared by
// the encoding, fingerprint and field-store property tests.
import fc from "fast-check";
import { ValueMap, ValueSet, type Value } from "../../checker/index.ts";

export function stateValues(leaf: fc.Arbitrary<Value>, options: { maps?: boolean; keyLength?: number; maxKeys?: number; crossShrink?: boolean } = {}): fc.Arbitrary<Value> {
  const { maps = true, keyLength = 3, maxKeys = 3, crossShrink = false } = options;
  return fc.letrec<{ value: Value }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: crossShrink },
      leaf,
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: keyLength }), tie("value"), { maxKeys }),
      fc.array(tie("value"), { maxLength: 4 }).map((xs) => ValueSet.from(xs)),
      ...(maps ? [fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 }).map((es) => ValueMap.from(es))] : []),
    ),
  })).value;
}
