/**
 * The short cuts of the timeline labels against the general code they skip: showEdn's scalar
 * and short-vector path against its walk (a value nested one level deeper takes the walk,
 * whose text holds the value's own), and describeCall's echo test against comparing the
 * canonical texts (stableStringify), the definition. On generated values of every class the
 * histories hold: numbers (-0 included), bigints, strings, booleans, nil, keywords, symbols,
 * sets, maps, tagged values, vectors of them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EdnAtom, EdnMap, EdnSet, EdnTagged, showEdn } from "../../checker/history/edn-value.ts";
import { describeCall, show } from "../../checker/linearizability/models/describe.ts";
import { stableStringify } from "../../checker/linearizability/stable-json.ts";

const scalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(-0, 0, 1.5, 2 ** 53, -1e21),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom("", "a", "1", "nil", ":a", 'x"y', "\n"),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("a", "1", "nil", "ok").map((n) => EdnAtom.keyword(n)),
  fc.constantFrom("a", "nil").map((n) => EdnAtom.of("symbol", n)),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    scalar,
    fc.array(tie("v"), { maxLength: 10 }),
    fc.array(scalar, { maxLength: 10 }),
    fc.array(scalar, { maxLength: 3 }).map((xs) => new EdnSet(xs)),
    fc.array(fc.tuple(scalar, tie("v")), { maxLength: 2 }).map((kvs) => EdnMap.of(kvs)),
    tie("v").map((v) => new EdnTagged("t", v)),
  ),
})).v;

describe("timeline label short cuts", () => {
  it("showEdn prints a value as its general walk does", () => {
    fc.assert(
      fc.property(value, (v) => {
        // In a vector beside a set, `v` is printed by the walk.
        const walked = showEdn([new EdnSet([]), v]);
        expect(showEdn(v)).toBe(walked.slice("[#{} ".length, -1));
      }),
      { numRuns: 3000 },
    );
  });

  it("describeCall leaves out an output exactly when its canonical text is the argument's", () => {
    const reference = (input: { f: string; value: unknown }, output: unknown) => {
      const arg = input.value === null || input.value === undefined ? "" : ` ${show(input.value)}`;
      const echoes = output !== null && output !== undefined && stableStringify(output) === stableStringify(input.value);
      return `${input.f}${arg}${output === undefined ? " -> ?" : echoes ? "" : ` -> ${show(output)}`}`;
    };
    const pair = fc.oneof(
      fc.tuple(value, value),
      value.map((v) => [v, v] as const),
      fc.array(scalar, { maxLength: 4 }).map((xs) => [xs, [...xs]] as const),
      fc.tuple(fc.array(scalar, { maxLength: 3 }), scalar).map(([xs, x]) => [[...xs, x], [...xs, x === 0 ? -0 : x]] as const),
    );
    fc.assert(
      fc.property(pair, fc.option(fc.constant(undefined), { freq: 5 }), ([a, b], none) => {
        const output = none === null ? b : undefined;
        expect(describeCall({ f: "write", value: a }, output)).toBe(reference({ f: "write", value: a }, output));
      }),
      { numRuns: 3000 },
    );
  });
});
