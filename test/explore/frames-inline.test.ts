/**
 * Record frames switch a field position to inline values when its values are mostly new
 * (record-frames.ts: after 65,536 interned values and more than one per four states). These
 * runs cross that switch, with and without memoized actions, against counts worked out by hand.
 */
import { describe, expect, it } from "vitest";
import { always, defineSpec, explore, ValueSet } from "../../checker/index.ts";

interface S {
  readonly n: number;
  readonly flag: boolean;
  readonly seen: ValueSet<number>;
}

const N = 150_000;

// n counts up to N (every value new: n goes inline); flag toggles; seen holds n mod 3 (repeats).
const spec = (memoize: boolean, bad?: number) =>
  defineSpec({
    name: "Counter",
    params: {},
    memoize,
    init: (): S[] => [{ n: 0, flag: false, seen: ValueSet.empty<number>() }],
    actions: [
      { name: "Inc", next: (s: S) => (s.n < N ? { ...s, n: s.n + 1, seen: ValueSet.of((s.n + 1) % 3) } : null) },
      { name: "Toggle", next: (s: S) => ({ ...s, flag: !s.flag }) },
    ],
    properties: { NotBad: always((s: S) => !(s.n === bad && s.flag)) },
    deadlockIsError: false,
  });

describe("frames with a field stored inline", () => {
  // Distinct: (N + 1) values of n times 2 of flag. Generated: 1 initial, Inc from the 2N
  // states with n < N, Toggle from all 2(N + 1).
  for (const memoize of [false, true]) {
    it(`exact counts across the switch (memoize ${memoize})`, () => {
      const r = explore(spec(memoize));
      expect(r.status).toBe("ok");
      expect(r.distinctStates).toBe(2 * (N + 1));
      expect(r.generatedStates).toBe(1 + 2 * N + 2 * (N + 1));
      expect(r.maxDepth).toBe(N + 1);
    });
  }

  it("a violation past the switch has the shortest path, with and without memo", () => {
    for (const memoize of [false, true]) {
      const r = explore(spec(memoize, 140_000));
      expect(r.status).toBe("violation");
      const path = r.violation && "path" in r.violation ? r.violation.path : [];
      // init, 140,000 Incs and one Toggle (Toggle before the Incs is as short).
      expect(path.length).toBe(1 + 140_001);
    }
  });
});
