// Action memoization (checker/explore/action-memo.ts) must be invisible: on random record
// specs, BFS with `memoize: true` gives exactly what BFS without it gives (status, TLC's
// counts, depth, the same counterexample path), and both agree with a plain brute-force BFS
// written here over canonical strings of the states. A spec that breaks the memo contract
// (decides on a field read through a copy of the state) is reported, not silently wrong on
// the states the explorer samples; an action that assigns to its state is an error naming it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { always, defineSpec, explore, Model, range, replayStates, setAt, ValueSet, type ExploreResult, type Spec } from "../../checker/index.ts";
import twoPhase from "../../specs/two-phase-commit.ts";

// ---------------------------------------------------------------------------------------
// An independent canonical form and brute-force BFS.

/** Canonical text of a state value: record keys sorted, set elements sorted by their own canonical text. */
function canon(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (v instanceof ValueSet) return `S{${[...v].map(canon).sort().join(",")}}`;
  if (Array.isArray(v)) return `[${v.map(canon).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canon(o[k])}`).join(",")}}`;
}

/** A small deterministic string hash (FNV-1a), non-negative. */
function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

interface OracleResult {
  distinct: number;
  generated: number;
  maxDepth: number;
  /** Number of states expanded (inside the constraint and above the depth bound). */
  expanded: number;
  /** Least depth of a state failing the invariant, if any is reachable. */
  badDepth?: number;
  /** Least depth of an expanded state with no enabled successor, if any. */
  deadDepth?: number;
}

interface AnyAction {
  name: string;
  args?: (p: never) => readonly (readonly unknown[])[];
  argsFrom?: (s: never, p: never) => Iterable<readonly unknown[]>;
  next: (s: never, a: never, p: never) => unknown;
}

/**
 * Plain BFS over the spec's own functions, states keyed by `canon`: TLC's counts (initial
 * states plus one per enabled successor of every expanded state), BFS depth, and the least
 * depths of bad and deadlocked states.
 */
function bruteForce(spec: Spec<unknown>, opts: { maxDepth?: number; bad?: (s: unknown) => boolean }): OracleResult {
  const actions = spec.actions as unknown as AnyAction[];
  const params = {} as never;
  const inits = spec.init(params);
  const depth = new Map<string, number>();
  const queue: { s: unknown; d: number }[] = [];
  let generated = 0, expanded = 0, maxDepth = 0;
  let badDepth: number | undefined, deadDepth: number | undefined;
  const discover = (s: unknown, d: number) => {
    const k = canon(s);
    if (depth.has(k)) return;
    depth.set(k, d);
    queue.push({ s, d });
    // The explorer's depth counts the states it queues, i.e. those inside the constraint.
    if (!spec.constraint || spec.constraint(s, params)) maxDepth = Math.max(maxDepth, d);
    if (opts.bad?.(s) && badDepth === undefined) badDepth = d;
  };
  for (const s of inits) {
    generated++;
    discover(s, 0);
  }
  for (let h = 0; h < queue.length; h++) {
    const { s, d } = queue[h];
    if (opts.maxDepth !== undefined && d >= opts.maxDepth) continue;
    if (spec.constraint && !spec.constraint(s, params)) continue;
    expanded++;
    let enabled = 0;
    for (const a of actions) {
      const list = a.argsFrom ? [...a.argsFrom(s as never, params)] : a.args ? a.args(params) : [[]];
      for (const args of list) {
        const t = a.next(s as never, args as never, params);
        if (t === null || t === undefined) continue;
        enabled++;
        generated++;
        discover(t, d + 1);
      }
    }
    if (enabled === 0 && deadDepth === undefined) deadDepth = d;
  }
  return { distinct: depth.size, generated, maxDepth, expanded, badDepth, deadDepth };
}

// ---------------------------------------------------------------------------------------
// Random record specs.

type Kind = "num" | "str" | "bool" | "arr" | "set";
interface FieldDef {
  name: string;
  kind: Kind;
  /** num: the modulus of the field's domain. */
  mod: number;
}
type WriteKind = "fn" | "const" | "same" | "update";
interface WriteDef {
  target: number;
  kind: WriteKind;
  constant: number;
  /** const: a fresh object per call (true) or one shared object. */
  fresh: boolean;
}
type Shape = "spread" | "rebuild";
type Body = { kind: "write"; writes: WriteDef[]; shape: Shape } | { kind: "selfloop" } | { kind: "spreadOnly" };
type ArgsDef = { kind: "none" } | { kind: "fixed"; count: number } | { kind: "fromSet"; field: number } | { kind: "fromArr"; field: number };
interface ActionSpec {
  reads: number[];
  /** Enabled when hash % guardMod < guardKeep. */
  guardMod: number;
  guardKeep: number;
  salt: number;
  args: ArgsDef;
  body: Body;
}
interface SpecDef {
  fields: FieldDef[];
  inits: number[];
  actions: ActionSpec[];
  invariant?: { field: number; value: number };
  constraint?: { field: number; value: number };
  /** Record key order of the states the actions build: a permutation of field indices. */
  keyOrder: number[];
}

const STRS = ["a", "b", "c"];

function valueFrom(f: FieldDef, h: number): unknown {
  h = Math.abs(h);
  switch (f.kind) {
    case "num":
      return h % f.mod;
    case "str":
      return STRS[h % 3];
    case "bool":
      return h % 2 === 0;
    case "arr":
      return [h % 3, Math.floor(h / 3) % 3];
    case "set":
      return ValueSet.from([0, 1, 2].filter((b) => ((h % 8) >> b) & 1));
  }
}

/** The "next" value of a field, computed from its current value (reads it). */
function updated(f: FieldDef, cur: unknown, h: number): unknown {
  switch (f.kind) {
    case "num":
      return ((cur as number) + 1 + (h % 2)) % f.mod;
    case "str":
      return STRS[(STRS.indexOf(cur as string) + 1 + (h % 2)) % 3];
    case "bool":
      return h % 3 === 0 ? cur : !(cur as boolean);
    case "arr":
      // setAt gives back the same array when the element is unchanged.
      return setAt(cur as readonly number[], h % 2, Math.floor(h / 2) % 3);
    case "set": {
      const s = cur as ValueSet<number>;
      return h % 2 === 0 ? s.add(Math.floor(h / 2) % 3) : s.delete(Math.floor(h / 2) % 3);
    }
  }
}

type St = Record<string, unknown>;

function buildSpec(def: SpecDef, memoize: boolean): Spec<St> {
  const names = def.fields.map((f) => f.name);
  const initOf = (seed: number): St => {
    const o: St = {};
    for (const i of def.keyOrder) o[names[i]] = valueFrom(def.fields[i], strHash(`${seed}/${i}`));
    return o;
  };
  const shared = def.fields.map((f, i) => valueFrom(f, 7 * i + 3));
  const actions = def.actions.map((a, ai) => {
    const next = (s: St, args: readonly unknown[]): St | null => {
      // Reads by name.
      const vals = a.reads.map((r) => s[names[r]]);
      const h = strHash(`${a.salt}|${canon(vals)}|${canon(args)}`);
      if (h % a.guardMod >= a.guardKeep) return null;
      const body = a.body;
      if (body.kind === "selfloop") return s;
      if (body.kind === "spreadOnly") return { ...s };
      const writes: St = {};
      for (const [k, w] of body.writes.entries()) {
        const f = def.fields[w.target];
        const hk = strHash(`${h}:${k}`);
        if (w.kind === "fn") writes[f.name] = valueFrom(f, hk);
        else if (w.kind === "const") writes[f.name] = w.fresh ? valueFrom(f, w.constant) : shared[w.target];
        else if (w.kind === "same") writes[f.name] = s[f.name];
        else writes[f.name] = updated(f, s[f.name], hk);
      }
      if (body.shape === "spread") return { ...s, ...writes };
      const out: St = {};
      for (const i of def.keyOrder.slice().reverse()) out[names[i]] = names[i] in writes ? writes[names[i]] : s[names[i]];
      return out;
    };
    const base = { name: `A${ai}`, next: (s: St, args: readonly unknown[]) => next(s, args) };
    switch (a.args.kind) {
      case "none":
        return base;
      case "fixed": {
        const n = a.args.count;
        return { ...base, args: () => range(n).map((i) => [i] as const) };
      }
      case "fromSet": {
        const name = names[a.args.field];
        return { ...base, argsFrom: (s: St) => [...(s[name] as ValueSet<number>)].map((x) => [x] as const) };
      }
      case "fromArr": {
        const name = names[a.args.field];
        return { ...base, argsFrom: (s: St) => (s[name] as number[]).map((x, i) => [i, x] as const) };
      }
    }
  });
  const inv = def.invariant;
  const con = def.constraint;
  return defineSpec({
    name: "Random",
    params: {},
    memoize,
    init: () => def.inits.map(initOf),
    actions,
    properties: inv ? { Inv: always((s: St) => canon(s[names[inv.field]]) !== canon(valueFrom(def.fields[inv.field], inv.value))) } : {},
    constraint: con ? (s: St) => canon(s[names[con.field]]) !== canon(valueFrom(def.fields[con.field], con.value)) : undefined,
    deadlockIsError: false,
  }) as Spec<St>;
}

const NAMES = ["msgs", "a", "rmState", "zz", "b2", "tm", "k"];

const specDefArb: fc.Arbitrary<SpecDef> = fc
  .record({
    names: fc.shuffledSubarray(NAMES, { minLength: 3, maxLength: 5 }),
    kinds: fc.array(fc.constantFrom<Kind>("num", "str", "bool", "arr", "set"), { minLength: 5, maxLength: 5 }),
    mods: fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 5, maxLength: 5 }),
  })
  .chain(({ names, kinds, mods }) => {
    const fields: FieldDef[] = names.map((name, i) => ({ name, kind: kinds[i], mod: mods[i] }));
    const n = fields.length;
    const fieldIdx = fc.nat(n - 1);
    const sets = fields.map((f, i) => (f.kind === "set" ? i : -1)).filter((i) => i >= 0);
    const arrs = fields.map((f, i) => (f.kind === "arr" ? i : -1)).filter((i) => i >= 0);
    const argsArb: fc.Arbitrary<ArgsDef> = fc.oneof(
      fc.constant<ArgsDef>({ kind: "none" }),
      fc.integer({ min: 1, max: 3 }).map((count): ArgsDef => ({ kind: "fixed", count })),
      ...(sets.length ? [fc.constantFrom(...sets).map((field): ArgsDef => ({ kind: "fromSet", field }))] : []),
      ...(arrs.length ? [fc.constantFrom(...arrs).map((field): ArgsDef => ({ kind: "fromArr", field }))] : []),
    );
    const writeArb: fc.Arbitrary<WriteDef> = fc.record({
      target: fieldIdx,
      kind: fc.oneof(
        { weight: 3, arbitrary: fc.constant<WriteKind>("update") },
        { weight: 3, arbitrary: fc.constant<WriteKind>("fn") },
        { weight: 1, arbitrary: fc.constantFrom<WriteKind>("const", "same") },
      ),
      constant: fc.nat(20),
      fresh: fc.boolean(),
    });
    const bodyArb: fc.Arbitrary<Body> = fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constant("write" as const), writes: fc.array(writeArb, { minLength: 1, maxLength: 2 }), shape: fc.constantFrom<Shape>("spread", "rebuild") }) },
      { weight: 1, arbitrary: fc.constant<Body>({ kind: "selfloop" }) },
      { weight: 1, arbitrary: fc.constant<Body>({ kind: "spreadOnly" }) },
    );
    const actionArb: fc.Arbitrary<ActionSpec> = fc
      .record({
        reads: fc.uniqueArray(fieldIdx, { maxLength: n }),
        guardMod: fc.integer({ min: 1, max: 4 }),
        guardDrop: fc.nat(1),
        salt: fc.nat(1000),
        args: argsArb,
        body: bodyArb,
      })
      // Mostly enabled: at most one residue in guardMod disables an instance.
      .map(({ guardDrop, ...a }) => ({ ...a, guardKeep: Math.max(1, a.guardMod - guardDrop) }));
    const pairArb = fc.record({ field: fieldIdx, value: fc.nat(20) });
    return fc.record({
      fields: fc.constant(fields),
      inits: fc.uniqueArray(fc.nat(50), { minLength: 1, maxLength: 2 }),
      actions: fc.array(actionArb, { minLength: 2, maxLength: 5 }),
      invariant: fc.option(pairArb, { freq: 2, nil: undefined }),
      // A constraint on a quarter of the specs (it often cuts off the initial state).
      constraint: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pairArb }),
      keyOrder: fc.shuffledSubarray(range(n), { minLength: n, maxLength: n }),
    });
  });

function pathOf(r: ExploreResult): readonly number[] | undefined {
  return r.violation && "path" in r.violation ? r.violation.path : undefined;
}

/** Memoized and plain BFS agree on everything a user sees of the search. */
function expectSameSearch(memo: ExploreResult, plain: ExploreResult): void {
  expect(memo.error).toBeUndefined();
  expect(plain.error).toBeUndefined();
  expect(memo.status).toBe(plain.status);
  expect(memo.distinctStates).toBe(plain.distinctStates);
  expect(memo.generatedStates).toBe(plain.generatedStates);
  expect(memo.maxDepth).toBe(plain.maxDepth);
  expect(memo.violation?.property).toBe(plain.violation?.property);
  expect(pathOf(memo)).toEqual(pathOf(plain));
  expect(plain.memo).toBeUndefined();
  expect(memo.memo).toBeDefined();
}

describe("memoized BFS vs plain BFS vs brute force, on random record specs", () => {
  it("same status, counts, depth and counterexample path", () => {
    fc.assert(
      fc.property(
        specDefArb,
        fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) }),
        fc.boolean(),
        fc.boolean(),
        (def, maxDepth, checkDeadlock, sampleMemo) => {
          const plain = explore(buildSpec(def, false), { maxDepth, checkDeadlock });
          // The sampled re-evaluation is on by default; off, nothing but the memo table decides.
          const memo = explore(buildSpec(def, true), { maxDepth, checkDeadlock, checkDeterminism: sampleMemo });
          // The explore option overrides the spec's setting, both ways.
          const viaOption = explore(buildSpec(def, false), { maxDepth, checkDeadlock, memoize: true });
          const offByOption = explore(buildSpec(def, true), { maxDepth, checkDeadlock, memoize: false });
          expectSameSearch(memo, plain);
          expectSameSearch(viaOption, plain);
          expect(offByOption.memo).toBeUndefined();
          expect(offByOption.distinctStates).toBe(plain.distinctStates);
          expect(offByOption.generatedStates).toBe(plain.generatedStates);

          const names = def.fields.map((f) => f.name);
          const inv = def.invariant;
          const bad = inv ? (s: unknown) => canon((s as St)[names[inv.field]]) === canon(valueFrom(def.fields[inv.field], inv.value)) : undefined;
          const ref = bruteForce(buildSpec(def, false) as Spec<unknown>, { maxDepth, bad });
          const deadlock = checkDeadlock && ref.deadDepth !== undefined;
          if (ref.badDepth === undefined && !deadlock) {
            expect(memo.status).toBe("ok");
            expect(memo.distinctStates).toBe(ref.distinct);
            expect(memo.generatedStates).toBe(ref.generated);
            expect(memo.maxDepth).toBe(ref.maxDepth);
            // Every expanded state looked up every action once (none went direct: all keep the key list).
            expect(memo.memo!.directActions).toEqual([]);
            expect(memo.memo!.hits + memo.memo!.misses).toBe(ref.expanded * def.actions.length);
            return;
          }
          expect(memo.status).toBe("violation");
          const path = pathOf(memo)!;
          expect(path).toBeDefined();
          // Which is found first: a bad state at depth b is found while expanding depth b-1;
          // a deadlock at depth d while expanding depth d.
          const b = ref.badDepth, d = deadlock ? ref.deadDepth : undefined;
          const expectInv = b !== undefined && (d === undefined || b === 0 || b - 1 < d);
          const expectDead = d !== undefined && (b === undefined || (b > 0 && d < b - 1));
          if (expectInv) {
            expect(memo.violation!.property).toBe("Inv");
            expect(path.length - 1).toBe(b);
          } else if (expectDead) {
            expect(memo.violation!.property).toBe("Deadlock");
            expect(path.length - 1).toBe(d);
          }
          // The path is real: replaying it reaches a state with the reported fault.
          const states = replayStates(new Model(buildSpec(def, false) as never), path);
          const last = states[states.length - 1];
          if (memo.violation!.property === "Inv") expect(bad!(last)).toBe(true);
          else expect(new Model(buildSpec(def, false) as never).successors(last, () => {})).toBe(0);
          if ("reproduced" in memo.violation!) expect(memo.violation.reproduced).toBe(true);
        },
      ),
      { numRuns: Number(process.env.DSCHECK_FUZZ_RUNS ?? 150) },
    );
  });

  it("a state space past the sampled states (unsampled hits), with and without the sampled check", () => {
    // Eight independent counters of which the action for counter i reads only counter i:
    // 3^7 * 2 = 4,374 states, most of them never re-evaluated.
    type C = Record<string, number>;
    const keys = range(8).map((i) => `c${i}`);
    const spec = (memoize: boolean) =>
      defineSpec({
        name: "Counters",
        params: {},
        memoize,
        init: (): C[] => [Object.fromEntries(keys.map((k) => [k, 0]))],
        actions: keys.map((k, i) => ({
          name: `Inc${i}`,
          next: (s: C) => (s[k] < (i === 7 ? 1 : 2) ? { ...s, [k]: s[k] + 1 } : null),
        })),
        properties: {},
        deadlockIsError: false,
      });
    const plain = explore(spec(false));
    expect(plain.distinctStates).toBe(3 ** 7 * 2);
    for (const checkDeterminism of [true, false]) {
      const memo = explore(spec(true), { checkDeterminism });
      expectSameSearch(memo, plain);
      // Each action's key is one counter: 3 (or 2) misses, every other lookup a hit.
      expect(memo.memo!.misses).toBe(7 * 3 + 2);
      expect(memo.memo!.hits).toBe(8 * plain.distinctStates - (7 * 3 + 2));
    }
  });
});

// ---------------------------------------------------------------------------------------
// The memo contract and its breaches.

type Flagged = { a: number; flag: boolean; z: number };

function flaggedSpec(mark: (s: Flagged) => Flagged | null, memoize: boolean, bound = 3) {
  return defineSpec({
    name: "Flagged",
    params: {},
    memoize,
    init: (): Flagged[] => [{ a: 0, flag: false, z: 0 }],
    actions: [
      { name: "Inc", next: (s: Flagged) => (s.a < bound ? { ...s, a: s.a + 1 } : null) },
      { name: "Flip", next: (s: Flagged) => (s.a === 2 ? { ...s, flag: !s.flag } : null) },
      { name: "Mark", next: mark },
    ],
    properties: {},
    deadlockIsError: false,
  });
}

describe("the memo contract", () => {
  it("deciding on a primitive read through a copy of the state is reported as a memoization error", () => {
    const mark = (s: Flagged): Flagged | null => {
      const t = { ...s };
      return t.flag === true ? { ...s, z: 1 } : null;
    };
    const plain = explore(flaggedSpec(mark, false));
    expect(plain.status).toBe("ok");
    // Mark is enabled in a real state (flag true), so a memo that never saw flag must be caught.
    expect(plain.distinctStates).toBe(10);
    const memo = explore(flaggedSpec(mark, true));
    expect(memo.status).toBe("error");
    expect(memo.error?.kind).toBe("nondeterministic");
    expect(memo.error?.action).toBe("Mark");
    expect(memo.error?.message).toMatch(/memoiz/i);
    // The reported state is a real state of the spec, with the flag set.
    expect(memo.error?.state).toMatchObject({ flag: true });
  });

  it("random specs deciding on fields read through a copy: the plain counts, or a nondeterministic error that mentions memoization", () => {
    // Copy reads of primitives (markers) and of objects (real values, but not tracked).
    const breakerArb = fc.record({
      field: fc.constantFrom<"flag" | "a" | "arr" | "tags">("flag", "a", "arr", "tags"),
      value: fc.nat(3),
      negate: fc.boolean(),
      via: fc.constantFrom<"spread" | "assign" | "entries">("spread", "assign", "entries"),
      target: fc.constantFrom<"z" | "a">("z", "a"),
      bound: fc.integer({ min: 2, max: 5 }),
    });
    type B = { a: number; flag: boolean; z: number; arr: readonly number[]; tags: ValueSet<number> };
    fc.assert(
      fc.property(breakerArb, (br) => {
        const copyOf = (s: B): B =>
          br.via === "spread" ? { ...s } : br.via === "assign" ? Object.assign({}, s) : (Object.fromEntries(Object.entries(s)) as B);
        const test = (t: B): boolean => {
          const x = t[br.field];
          const hit =
            br.field === "flag" ? x === (br.value % 2 === 0) : br.field === "a" ? x === br.value : br.field === "arr" ? (x as number[])[0] === br.value % 3 : (x as ValueSet<number>).has(br.value % 3);
          return br.negate ? !hit : hit;
        };
        const spec = (memoize: boolean) =>
          defineSpec({
            name: "Breaker",
            params: {},
            memoize,
            init: (): B[] => [{ a: 0, flag: false, z: 0, arr: [0, 0], tags: ValueSet.empty<number>() }],
            actions: [
              { name: "Inc", next: (s: B) => (s.a < br.bound ? { ...s, a: s.a + 1 } : null) },
              { name: "Flip", next: (s: B) => (s.a % 2 === 1 ? { ...s, flag: !s.flag } : null) },
              { name: "Push", next: (s: B) => (s.a > 0 ? { ...s, arr: setAt(s.arr, 0, s.a % 3), tags: s.tags.add(s.a % 3) } : null) },
              { name: "Breach", next: (s: B) => (test(copyOf(s)) ? { ...s, [br.target]: (s[br.target] + 1) % 3 } : null) },
            ],
            properties: {},
            deadlockIsError: false,
          });
        const plain = explore(spec(false));
        expect(plain.status).toBe("ok");
        const memo = explore(spec(true));
        if (memo.status === "error") {
          expect(memo.error?.kind).toBe("nondeterministic");
          expect(memo.error?.message).toMatch(/memoiz/i);
        } else {
          expect(memo.status).toBe("ok");
          expect(memo.distinctStates).toBe(plain.distinctStates);
          expect(memo.generatedStates).toBe(plain.generatedStates);
          expect(memo.maxDepth).toBe(plain.maxDepth);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("an action that assigns to, defines on or deletes from its state is an error naming it, not a crash", () => {
    const faults: [string, (s: Flagged) => void][] = [
      ["assign", (s) => void ((s as { z: number }).z = 1)],
      ["define", (s) => void Object.defineProperty(s, "extra", { value: 1, enumerable: true })],
      ["delete", (s) => void delete (s as Partial<Flagged>).z],
    ];
    for (const [, fault] of faults) {
      const r = explore(
        flaggedSpec((s) => {
          if (s.a === 1) fault(s);
          return null;
        }, true),
      );
      expect(r.status).toBe("error");
      expect(r.error?.kind).toBe("action-threw");
      expect(r.error?.action).toBe("Mark");
      expect(r.error?.message).toMatch(/Mark/);
      // The state reported is the state itself (a plain record), not the tracking view of it.
      expect(r.error?.state).toEqual({ a: 1, flag: false, z: 0 });
      expect(r.error?.path).toEqual([0, 0]);
    }
  });

  it("an action that changes the key list is evaluated directly, with the plain counts", () => {
    type K = { n: number; extra?: number };
    const spec = (memoize: boolean) =>
      defineSpec({
        name: "Keys",
        params: {},
        memoize,
        init: (): K[] => [{ n: 0 }],
        actions: [
          { name: "Inc", next: (s: K) => (s.n < 4 ? { ...s, n: s.n + 1 } : null) },
          { name: "AddField", next: (s: K) => (s.n % 2 === 1 && s.extra === undefined ? { ...s, extra: s.n } : null) },
          {
            name: "DropField",
            next: (s: K) => {
              if (s.extra === undefined || s.n < 3) return null;
              const { extra: _, ...rest } = s;
              return rest;
            },
          },
        ],
        properties: {},
        deadlockIsError: false,
      });
    const plain = explore(spec(false));
    const memo = explore(spec(true));
    expect(plain.status).toBe("ok");
    expect(memo.status).toBe("ok");
    expect(memo.distinctStates).toBe(plain.distinctStates);
    expect(memo.generatedStates).toBe(plain.generatedStates);
    expect(memo.maxDepth).toBe(plain.maxDepth);
    expect(plain.distinctStates).toBe(bruteForce(spec(false) as Spec<unknown>, {}).distinct);
    expect(memo.memo?.directActions).toContain("AddField");
  });

  it("states with up to 31 fields are memoized; more are evaluated directly; counts equal either way", () => {
    for (const width of [30, 31, 32]) {
      type W = Record<string, number>;
      const keys = range(width).map((i) => `f${String(i).padStart(2, "0")}`);
      const last = keys[width - 1], first = keys[0];
      const spec = (memoize: boolean) =>
        defineSpec({
          name: `Wide${width}`,
          params: {},
          memoize,
          init: (): W[] => [Object.fromEntries(keys.map((k) => [k, 0]))],
          actions: [
            // Reads only the last field in sorted order (bit 30 of the read mask at width 31).
            { name: "Last", next: (s: W) => (s[last] < 3 ? { ...s, [last]: s[last] + 1 } : null) },
            { name: "First", next: (s: W) => (s[first] < 2 && s[last] % 2 === 1 ? { ...s, [first]: s[first] + 1 } : null) },
          ],
          properties: {},
          deadlockIsError: false,
        });
      const plain = explore(spec(false));
      const memo = explore(spec(true), { checkDeterminism: false });
      expect(plain.distinctStates).toBe(bruteForce(spec(false) as Spec<unknown>, {}).distinct);
      expect(memo.distinctStates).toBe(plain.distinctStates);
      expect(memo.generatedStates).toBe(plain.generatedStates);
      if (width <= 31) expect(memo.memo!.hits).toBeGreaterThan(0);
    }
  });
});

// ---------------------------------------------------------------------------------------
// TwoPhase (specs/two-phase-commit.ts sets memoize: true).

describe("TwoPhase with memoization", () => {
  // ../shared/reference/README.md (TLC and SPIN agree).
  it.each([
    [3, 288, 1146],
    [4, 1568, 8258],
    [5, 8832, 58146],
  ])("rms=%i: %i distinct, %i generated, with memo hits and misses; the same without memo", (rms, distinct, generated) => {
    const memo = explore(twoPhase, { params: { rms } });
    expect(memo.status).toBe("ok");
    expect(memo.distinctStates).toBe(distinct);
    expect(memo.generatedStates).toBe(generated);
    expect(memo.memo).toBeDefined();
    expect(memo.memo!.hits).toBeGreaterThan(0);
    expect(memo.memo!.misses).toBeGreaterThan(0);
    // One lookup per action per state: every state is expanded.
    expect(memo.memo!.hits + memo.memo!.misses).toBe(distinct * twoPhase.actions.length);
    expect(memo.memo!.directActions).toEqual([]);

    const plain = explore(twoPhase, { params: { rms }, memoize: false });
    expect(plain.status).toBe("ok");
    expect(plain.distinctStates).toBe(distinct);
    expect(plain.generatedStates).toBe(generated);
    expect(plain.maxDepth).toBe(memo.maxDepth);
    expect(plain.memo).toBeUndefined();
    expect("memo" in plain && plain.memo !== undefined).toBe(false);
  });

  it("the seeded bug gives the same shortest counterexample with and without memo", () => {
    const memo = explore(twoPhase, { params: { bug: "commitWithoutVotes", rms: 4 } });
    const plain = explore(twoPhase, { params: { bug: "commitWithoutVotes", rms: 4 }, memoize: false });
    expect(memo.status).toBe("violation");
    expect(memo.violation?.property).toBe("TCConsistent");
    expectSameSearch(memo, plain);
  });

  it("a memo table far too small for the run starts over many times and keeps the counts and the counterexample", () => {
    // 2,048 words hold a few dozen entries: rms=5 fills the table again and again.
    const small = explore(twoPhase, { params: { rms: 5 }, memoTableWords: 2048 });
    expect(small.status).toBe("ok");
    expect(small.distinctStates).toBe(8832);
    expect(small.generatedStates).toBe(58146);
    expect(small.memo!.hits).toBeGreaterThan(0);
    const bug = explore(twoPhase, { params: { bug: "commitWithoutVotes", rms: 4 }, memoTableWords: 2048 });
    const plain = explore(twoPhase, { params: { bug: "commitWithoutVotes", rms: 4 }, memoize: false });
    expectSameSearch(bug, plain);
  });

  it("DFS and simulation ignore memoize and report no memo figures", () => {
    const d = explore(twoPhase, { params: { rms: 3 }, strategy: "dfs" });
    expect(d.distinctStates).toBe(288);
    expect(d.memo).toBeUndefined();
  });
});

type S = { a: number; flag: boolean; z: number };

/** A chain of 3,001 states; flag is true only at a = 2000 (state id 2000: past the first 1,024, not a multiple of 1,024). */
function chain(mark: (s: S) => S | null, memoize: boolean) {
  return defineSpec({
    name: "Chain",
    params: {},
    memoize,
    init: (): S[] => [{ a: 0, flag: false, z: 0 }],
    actions: [
      { name: "Inc", next: (s: S) => (s.a < 3000 ? { ...s, a: s.a + 1, flag: s.a + 1 === 2000 } : null) },
      { name: "Mark", next: mark },
    ],
    properties: { NeverMarked: always((s: S) => s.z === 0) },
    deadlockIsError: false,
  });
}

/** a counts up to `last` (flag stays false, z 0), beside the `extra` actions. */
function small(name: string, memoize: boolean, extra: Spec<S>["actions"], properties: Spec<S>["properties"], last = 3) {
  return defineSpec({
    name,
    params: {},
    memoize,
    init: (): S[] => [{ a: 0, flag: false, z: 0 }],
    actions: [{ name: "Inc", next: (s: S) => (s.a < last ? { ...s, a: s.a + 1 } : null) }, ...extra],
    properties,
    deadlockIsError: false,
  });
}

describe("memo regressions (reads the tracker must see, copies it must not misread)", () => {
  it("Object.hasOwn(s, k) before s[k] is a read, past the sampled states", () => {
    const mark = (s: S) => (Object.hasOwn(s, "flag") && s.flag === true ? { ...s, z: 1 } : null);
    const plain = explore(chain(mark, false));
    expect(plain.status).toBe("violation");
    const memo = explore(chain(mark, true));
    expect(memo.status === "violation" || memo.error?.kind === "nondeterministic").toBe(true);
  });

  it("Object.keys(s) then a read by name is a read, and the stand-in shows no extra key", () => {
    const mark = (s: S) => (Object.keys(s).length === 3 && s.z === 0 && s.flag ? { ...s, z: 1 } : null);
    const plain = explore(chain(mark, false));
    expect(plain.status).toBe("violation");
    const memo = explore(chain(mark, true));
    expect(memo.status === "violation" || memo.error?.kind === "nondeterministic").toBe(true);
  });

  it("deciding on a field of a copy that never changes: the plain result or a memoization error, never a false verdict", () => {
    // flag is never true, so reading it through a copy does no harm here.
    const mark = (s: S) => {
      const t = { ...s };
      return t.flag ? { ...s, z: 1 } : null;
    };
    const spec = (memoize: boolean) => small("CopyTruthy", memoize, [{ name: "Mark", next: mark }], { NeverMarked: always((s: S) => s.z === 0) });
    expect(explore(spec(false)).status).toBe("ok");
    const memo = explore(spec(true));
    // A breach of the memo contract: the plain result, or an error that says so.
    if (memo.status === "error") {
      expect(memo.error?.kind).toBe("nondeterministic");
      expect(memo.error?.message).toMatch(/memoiz/);
    } else {
      expect(memo.status).toBe("ok");
      expect(memo.distinctStates).toBe(4);
    }
  });

  it("a primitive of a copy written into another field is reported as a memoization error", () => {
    const copy = (s: S) => {
      const t = { ...s };
      return s.a === 1 ? { ...s, z: t.a } : null;
    };
    const spec = (memoize: boolean) => small("CopyWrite", memoize, [{ name: "Copy", next: copy }], {});
    expect(explore(spec(false)).status).toBe("ok");
    const memo = explore(spec(true));
    expect(memo.error?.kind).toBe("nondeterministic");
    expect(memo.error?.message).toMatch(/memoiz/);
  });

  it("properties are not memoized: one that decides on a copy of the state gives the plain verdict", () => {
    const notThree = always((s: S) => {
      const t = { ...s };
      return t.a !== 3;
    });
    const spec = (memoize: boolean) => small("CopyProperty", memoize, [], { NotThree: notThree }, 5);
    const plain = explore(spec(false));
    expect(plain.status).toBe("violation");
    expectSameSearch(explore(spec(true)), plain);
  });
});
