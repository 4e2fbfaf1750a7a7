// Memoized actions (checker/explore/expand/action-memo.ts) must be exact by construction:
// memoized BFS gives the plain BFS's verdict, counts and counterexample, and both equal an
// independent brute force, whatever an update action reads and however it reads it
// (by name, destructuring, a spread copy, Object.values/entries, JSON, for...in, a cache
// keyed by the state object). Every run here has the sampled purity check OFF, so nothing
// can lean on sampling.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { always, defineSpec, explore, exploreParallel, range, setAt, ValueSet, type ExploreResult, type Spec } from "../../checker/index.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { bruteForceReach } from "../support/brute-force-reach.ts";

type S = Readonly<Record<string, number>>;

/** Ways an update action can read field `f` of the state: each must count as a read. */
const READS: readonly ((s: S, f: string) => number)[] = [
  (s, f) => s[f],
  (s, f) => {
    const { [f]: v } = s;
    return v;
  },
  (s, f) => ({ ...s })[f],
  (s, f) => Object.assign({}, s)[f],
  (s, f) => Object.entries(s).find(([k]) => k === f)![1],
  (s, f) => (JSON.parse(JSON.stringify(s)) as S)[f],
  (s, f) => {
    for (const k in s) if (k === f) return s[k];
    return -1;
  },
  (s, f) => (Object.hasOwn(s, f) ? s[f] : -1),
];

interface ActionPlan {
  readonly guardField: number;
  readonly guardValue: number;
  readonly readStyle: number;
  readonly writeField: number;
  readonly sourceField: number;
  readonly sourceStyle: number;
  readonly delta: number;
  /** Return a spread of the whole state (reads every field) instead of just the written field. */
  readonly spread: boolean;
  /** Derive the guard through a cache keyed by the state object (exact only if the stand-in is fresh). */
  readonly cached: boolean;
}

/**
 * Half the uncached actions write their guard as a named guard (ActionDef.guards). Derived
 * from fields already drawn, so the plans (and their measured distribution) stay the same.
 */
const named = (a: ActionPlan) => !a.cached && (a.guardField + a.writeField) % 2 === 0;

interface Plan {
  readonly fields: number;
  readonly domain: number;
  readonly actions: readonly ActionPlan[];
  readonly bad: readonly number[];
}

const planArb: fc.Arbitrary<Plan> = fc
  .record({ fields: fc.integer({ min: 3, max: 6 }), domain: fc.integer({ min: 3, max: 5 }) })
  .chain(({ fields, domain }) =>
    fc.record({
      fields: fc.constant(fields),
      domain: fc.constant(domain),
      actions: fc.array(
        fc.record({
          guardField: fc.nat(fields - 1),
          // -1: never equal, so always enabled (keeps many state spaces large).
          guardValue: fc.integer({ min: -1, max: domain - 1 }),
          readStyle: fc.nat(READS.length - 1),
          writeField: fc.nat(fields - 1),
          sourceField: fc.nat(fields - 1),
          sourceStyle: fc.nat(READS.length - 1),
          delta: fc.integer({ min: 1, max: domain - 1 }),
          spread: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
          cached: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
        }),
        { minLength: 3, maxLength: 8 },
      ),
      bad: fc.array(fc.nat(domain - 1), { minLength: fields, maxLength: fields }),
    }),
  );

function specOf(plan: Plan): Spec<S> {
  const names = range(plan.fields).map((i) => `f${i}`);
  const init = Object.fromEntries(names.map((n) => [n, 0]));
  return defineSpec({
    name: "RandomUpdates",
    params: {},
    memoize: true,
    init: (): S[] => [init],
    actions: plan.actions.map((a, k) => {
      const cache = new WeakMap<object, boolean>();
      const guard = (s: S) => READS[a.readStyle](s, names[a.guardField]) !== a.guardValue;
      const write = (s: S) => {
        const v = (READS[a.sourceStyle](s, names[a.sourceField]) + a.delta) % plan.domain;
        return a.spread ? { ...s, [names[a.writeField]]: v } : { [names[a.writeField]]: v };
      };
      if (named(a)) return { name: `A${k}`, guards: { open: guard }, update: write };
      return {
        name: `A${k}`,
        update: (s: S) => {
          let open: boolean;
          if (a.cached) {
            const known = cache.get(s);
            open = known ?? guard(s);
            if (known === undefined) cache.set(s, open);
          } else open = guard(s);
          return open ? write(s) : null;
        },
      };
    }),
    properties: { NotBad: always((s: S) => names.some((n, i) => s[n] !== plan.bad[i])) },
    deadlockIsError: false,
  });
}

/** What must agree across modes: the verdict, the counts, the depth, the counterexample. */
function essentials(r: ExploreResult) {
  const v = r.violation;
  return {
    status: r.status,
    distinct: r.distinctStates,
    generated: r.generatedStates,
    depth: r.maxDepth,
    property: v?.property,
    path: v && "path" in v ? v.path.join("/") : undefined,
    error: r.error?.kind,
  };
}

describe("memoized BFS vs plain BFS vs brute force, on random update specs", () => {
  it("same status, counts, depth and counterexample; memo hits in most runs", () => {
    let runs = 0, withHits = 0, large = 0;
    fc.assert(
      fc.property(planArb, (plan) => {
        const spec = specOf(plan);
        const plain = explore(spec, { memoize: false, checkDeterminism: false });
        const memo = explore(spec, { memoize: true, checkDeterminism: false });
        expect(plain.status).not.toBe("error");
        expect(essentials(memo)).toEqual(essentials(plain));
        runs++;
        if ((memo.memo?.hits ?? 0) > 0) withHits++;
        if (plain.distinctStates > 1024) large++;
        if (plain.status === "ok") {
          const oracle = bruteForceReach(spec);
          expect(plain.distinctStates).toBe(oracle.distinct);
          expect(plain.generatedStates).toBe(oracle.generated);
        }
      }),
      { numRuns: 150, seed: 20261201 },
    );
    // The memo is exercised, not bypassed (actions that spread the state read every field
    // and so never hit: that is their price, not a fault), and some runs go past the sampled
    // states. Measured with this seed: 64% of runs hit, 4 pass 1,024 states.
    expect(withHits / runs).toBeGreaterThan(0.55);
    expect(large).toBeGreaterThanOrEqual(2);
  });
});

/** A counter that sets `flag` only after 1,200 states, so a missed read matters only past the sampled states. */
function lateFlag(read: (s: { c: number; flag: boolean; z: number }) => boolean) {
  type T = { readonly c: number; readonly flag: boolean; readonly z: number };
  return defineSpec({
    name: "LateFlag",
    params: {},
    memoize: true,
    init: (): T[] => [{ c: 0, flag: false, z: 0 }],
    actions: [
      { name: "Count", update: (s: T) => (s.c < 1500 ? { c: s.c + 1, flag: s.c + 1 >= 1200 } : null) },
      { name: "Mark", update: (s: T) => (read(s) && s.z === 0 ? { z: 1 } : null) },
      { name: "Unmark", update: (s: T) => (s.z === 1 ? { z: 0 } : null) },
    ],
    properties: { NeverMarked: always((s: T) => s.z === 0) },
    deadlockIsError: false,
  });
}

describe("the memo is exact whatever the action reads through", () => {
  it.each([
    ["a spread copy", (s: { flag: boolean }) => ({ ...s }).flag],
    ["Object.assign", (s: { flag: boolean }) => Object.assign({}, s).flag],
    ["Object.values", (s: { flag: boolean }) => Object.values(s).includes(true)],
    ["JSON.stringify", (s: { flag: boolean }) => JSON.stringify(s).includes("true")],
    ["structuredClone", (s: { flag: boolean }) => structuredClone(s).flag],
  ])("deciding on the flag through %s past 1,024 states: the plain verdict", (_how, read) => {
    const spec = lateFlag(read as never);
    const plain = explore(spec, { memoize: false, checkDeterminism: false });
    const memo = explore(spec, { memoize: true, checkDeterminism: false });
    expect(plain.status).toBe("violation");
    expect(essentials(memo)).toEqual(essentials(plain));
    expect(memo.memo!.hits).toBeGreaterThan(0);
  });

  it("a cache keyed by the state object (a fresh stand-in per evaluation): the plain verdict", () => {
    const seen = new WeakMap<object, boolean>();
    const spec = lateFlag((s) => {
      if (!seen.has(s)) seen.set(s, s.flag);
      return seen.get(s)!;
    });
    expect(essentials(explore(spec, { memoize: true, checkDeterminism: false }))).toEqual(essentials(explore(spec, { memoize: false })));
  });

  it("a state kept and read after its action returned: evaluated directly, the plain verdict", () => {
    let kept: { flag: boolean } | undefined;
    const spec = lateFlag((s) => {
      const before = kept?.flag;
      kept = s;
      return before ?? s.flag;
    });
    // The kept stand-in throws when read late, so Mark falls back to direct evaluation; a
    // spec like this is impure anyway, but the memo must not turn that into a wrong verdict.
    const memo = explore(spec, { memoize: true, checkDeterminism: false });
    expect(memo.status).not.toBe("ok");
  });

  it("parallel BFS with memo: the same verdict and counts", async () => {
    const spec = lateFlag((s) => ({ ...s }).flag);
    const plain = explore(spec, { memoize: false });
    const par = await exploreParallel(spec, { workers: 2, memoize: true, checkDeterminism: false });
    expect(par.workers).toBe(2);
    expect(par.status).toBe(plain.status);
    const v = par.violation!;
    expect("path" in v && v.reproduced).toBe(true);
    expect("path" in v && v.path.length).toBe("path" in plain.violation! && plain.violation.path.length);
  });
});

describe("the memo contract", () => {
  type T = { readonly a: number; readonly b: number };
  const base = (update: (s: T) => Record<string, unknown> | null) =>
    defineSpec({
      name: "Contract",
      params: {},
      memoize: true,
      init: (): T[] => [{ a: 0, b: 0 }],
      actions: [
        { name: "IncA", update: (s: T) => (s.a < 3 ? { a: s.a + 1 } : null) },
        { name: "Other", update },
      ],
      properties: { Small: always((s: T) => s.a < 10) },
      deadlockIsError: false,
    });

  it("an update that assigns to its state is a mutated-state error naming the action", () => {
    const r = explore(
      base((s) => {
        (s as { b: number }).b = 1;
        return null;
      }),
      { memoize: true },
    );
    expect(r.status).toBe("error");
    expect(r.error?.kind).toBe("mutated-state");
    expect(r.error?.action).toBe("Other");
  });

  it("an update that adds a field is evaluated directly, with the plain counts", () => {
    const spec = base((s) => (s.a === 2 && !("c" in s) ? { c: 1 } : null));
    const memo = explore(spec, { memoize: true, checkDeterminism: false });
    expect(essentials(memo)).toEqual(essentials(explore(spec, { memoize: false })));
    expect(memo.memo?.directActions).toContain("Other");
  });

  it("writes of the value a field already has, and of the parent's own objects, are no change", () => {
    const spec = base((s) => ({ a: s.a, b: s.b }));
    const memo = explore(spec, { memoize: true, checkDeterminism: false });
    expect(essentials(memo)).toEqual(essentials(explore(spec, { memoize: false })));
    expect(memo.distinctStates).toBe(4);
  });

  it("next actions are never memoized (they return the whole state, which reads every field)", () => {
    const spec = defineSpec({
      name: "NextOnly",
      params: {},
      memoize: true,
      init: () => [{ a: 0 }],
      actions: [{ name: "Inc", next: (s: { a: number }) => (s.a < 3 ? { a: s.a + 1 } : null) }],
      properties: {},
      deadlockIsError: false,
    });
    expect(explore(spec, { memoize: true }).memo).toBeUndefined();
  });

  it("an action with both next and update, or neither, is a spec error", () => {
    const both = { name: "X", next: () => null, update: () => null };
    const none = { name: "Y" };
    for (const action of [both, none]) {
      const r = explore(defineSpec({ name: "Bad", params: {}, init: () => [{ a: 0 }], actions: [action as never], properties: {} }));
      expect(r.status).toBe("error");
      expect(r.error?.message).toMatch(/exactly one of next/);
    }
  });
});

describe("TwoPhase with memoization", () => {
  it.each([
    [3, 288, 1146],
    [5, 8832, 58146],
  ])("rms=%i: %i distinct, %i generated with and without memo; one lookup per action and state", (rms, distinct, generated) => {
    const on = explore(twoPhase, { params: { rms }, memoize: true });
    const off = explore(twoPhase, { params: { rms }, memoize: false });
    for (const r of [on, off]) {
      expect(r.status).toBe("ok");
      expect(r.distinctStates).toBe(distinct);
      expect(r.generatedStates).toBe(generated);
    }
    expect(on.memo!.hits + on.memo!.misses).toBe(distinct * 7);
    expect(on.memo!.hits).toBeGreaterThan(on.memo!.misses);
    expect(off.memo).toBeUndefined();
  });

  it("the seeded bug gives the same shortest counterexample with and without memo", () => {
    const on = explore(twoPhase, { params: { rms: 4, bug: "commitWithoutVotes" }, memoize: true });
    const off = explore(twoPhase, { params: { rms: 4, bug: "commitWithoutVotes" }, memoize: false });
    expect(essentials(on)).toEqual(essentials(off));
    expect(on.status).toBe("violation");
  });

  it("a memo table far too small for the run starts over many times and keeps the counts and the counterexample", () => {
    const tiny = explore(twoPhase, { params: { rms: 4 }, memoize: true, memoTableWords: 64 });
    expect(tiny.distinctStates).toBe(1568);
    expect(tiny.generatedStates).toBe(8258);
    const bug = explore(twoPhase, { params: { rms: 4, bug: "commitWithoutVotes" }, memoize: true, memoTableWords: 64 });
    expect(essentials(bug)).toEqual(essentials(explore(twoPhase, { params: { rms: 4, bug: "commitWithoutVotes" } })));
  });

  it("DFS and simulation ignore memoize and report no memo figures", () => {
    expect(explore(twoPhase, { strategy: "dfs", memoize: true }).memo).toBeUndefined();
    expect(explore(twoPhase, { strategy: "simulate", memoize: true, runs: 5 }).memo).toBeUndefined();
  });

  it("a message set read element by element (argsFrom over a ValueSet) stays exact", () => {
    type M = { readonly msgs: ValueSet<number>; readonly got: readonly number[] };
    const spec = defineSpec({
      name: "Deliver",
      params: {},
      memoize: true,
      init: (): M[] => [{ msgs: ValueSet.of(0, 1, 2), got: [0, 0, 0] }],
      actions: [
        { name: "Deliver", argsFrom: (s: M) => [...s.msgs].map((m) => [m] as const), update: (s: M, [m]: readonly [number]) => ({ msgs: s.msgs.delete(m), got: setAt(s.got, m, 1) }) },
        { name: "Resend", args: () => [[0], [1], [2]] as const, update: (s: M, [m]: readonly [number]) => (s.got[m] === 1 && !s.msgs.has(m) ? { msgs: s.msgs.add(m) } : null) },
      ],
      properties: {},
      deadlockIsError: false,
    });
    expect(essentials(explore(spec, { memoize: true, checkDeterminism: false }))).toEqual(essentials(explore(spec, { memoize: false })));
  });
});
