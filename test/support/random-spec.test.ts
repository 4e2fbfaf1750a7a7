// The random-spec generator (random-spec.ts) itself: its specs have the shape it promises
// (size, branching, depth, violations deep enough that "shortest" means something, breaches
// past the first 1,024 states, every feature present in a fair share), and each spec's own
// functions, run by a plain BFS written here, give what the oracle computes from the plan.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomSpecArb, type GeneratedSpec, type RecordState } from "./random-spec.ts";

const SAMPLES = 300;
const samples: GeneratedSpec[] = fc.sample(randomSpecArb(), { numRuns: SAMPLES, seed: 0x5eed });

const fraction = (pred: (g: GeneratedSpec) => boolean) => samples.filter(pred).length / samples.length;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const violationDepth = (g: GeneratedSpec) => g.oracle.violationDepths?.[0];

describe("random specs: distribution over 300 samples", () => {
  it("sizes: median 50-300 reachable states, all at least 8, a share past 1,024", () => {
    const sizes = samples.map((g) => g.oracle.distinct);
    expect(median(sizes)).toBeGreaterThanOrEqual(50);
    expect(median(sizes)).toBeLessThanOrEqual(300);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(8);
    expect(fraction((g) => g.oracle.distinct > 1024)).toBeGreaterThanOrEqual(0.06);
    expect(fraction((g) => g.oracle.distinct > 1100)).toBeGreaterThanOrEqual(0.05);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4000);
  });

  it("shape: an edge leaves an initial state, branching 1.5-4 on average, real depth", () => {
    expect(fraction((g) => g.oracle.initHasSuccessor)).toBeGreaterThanOrEqual(0.8);
    const branching = samples.map((g) => g.oracle.branching);
    const mean = branching.reduce((a, b) => a + b, 0) / branching.length;
    expect(mean).toBeGreaterThanOrEqual(1.5);
    expect(mean).toBeLessThanOrEqual(4);
    expect(fraction((g) => g.oracle.branching >= 1.2 && g.oracle.branching <= 5.5)).toBeGreaterThanOrEqual(0.8);
    expect(median(samples.map((g) => g.oracle.maxDepth))).toBeGreaterThanOrEqual(5);
    expect(fraction((g) => g.oracle.maxDepth >= 10)).toBeGreaterThanOrEqual(0.25);
    // Self-loops and duplicate successors make generated exceed distinct + edges into new states.
    expect(fraction((g) => g.oracle.generated > 2 * g.oracle.distinct)).toBeGreaterThanOrEqual(0.3);
  });

  it("verdicts: violations at depth 2, 3, 4 and more; holding specs; sometimes failures", () => {
    expect(fraction((g) => violationDepth(g) !== undefined)).toBeGreaterThanOrEqual(0.4);
    expect(fraction((g) => violationDepth(g) === undefined)).toBeGreaterThanOrEqual(0.25);
    expect(fraction((g) => (violationDepth(g) ?? -1) >= 2)).toBeGreaterThanOrEqual(0.25);
    expect(fraction((g) => (violationDepth(g) ?? -1) >= 3)).toBeGreaterThanOrEqual(0.2);
    expect(fraction((g) => (violationDepth(g) ?? -1) >= 4)).toBeGreaterThanOrEqual(0.1);
    expect(fraction((g) => violationDepth(g) === 0)).toBeLessThanOrEqual(0.1);
    // A counterexample with several bad states at the least depth, or bad states further on too.
    expect(fraction((g) => g.oracle.always !== undefined && g.oracle.violable.size >= 1)).toBeGreaterThanOrEqual(0.3);
    const some = (g: GeneratedSpec) => Object.values(g.oracle.sometimes);
    expect(fraction((g) => some(g).some((d) => d !== undefined))).toBeGreaterThanOrEqual(0.2);
    expect(fraction((g) => some(g).some((d) => d === undefined))).toBeGreaterThanOrEqual(0.05);
    expect(fraction((g) => g.plan.deadlockIsError && g.oracle.deadlock !== undefined)).toBeGreaterThanOrEqual(0.03);
    expect(fraction((g) => !g.plan.deadlockIsError)).toBeGreaterThanOrEqual(0.8);
  });

  it("features: both action forms, fixed and state-dependent arguments, reads through copies", () => {
    const has = (g: GeneratedSpec, pred: (a: GeneratedSpec["plan"]["actions"][number]) => boolean) => g.plan.actions.some(pred);
    expect(fraction((g) => has(g, (a) => a.form === "update"))).toBeGreaterThanOrEqual(0.6);
    expect(fraction((g) => has(g, (a) => a.form === "next"))).toBeGreaterThanOrEqual(0.5);
    expect(fraction((g) => has(g, (a) => a.kind === "from"))).toBeGreaterThanOrEqual(0.5);
    expect(fraction((g) => has(g, (a) => a.kind === "slots" || a.kind === "local"))).toBe(1);
    expect(fraction((g) => has(g, (a) => a.kind === "breach" && a.form === "update"))).toBeGreaterThanOrEqual(0.3);
    expect(fraction((g) => g.plan.actions.length >= 3)).toBeGreaterThanOrEqual(0.5);
    // Memo hits are possible: an update action that reads part of the state (locals or pc fields only), on a spec with locals.
    expect(fraction((g) => g.plan.locals.length > 0 && has(g, (a) => a.form === "update" && a.kind !== "breach" && !["entries", "rest"].includes(a.read)))).toBeGreaterThanOrEqual(0.25);
    expect(fraction((g) => g.plan.memoize)).toBeGreaterThanOrEqual(0.3);
    const fieldCounts = samples.map((g) => g.plan.fields.length);
    expect(Math.min(...fieldCounts)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...fieldCounts)).toBeLessThanOrEqual(5);
    expect(new Set(fieldCounts).size).toBe(4);
    expect(Math.max(...samples.map((g) => Math.max(...g.plan.range)))).toBeLessThanOrEqual(32);
    expect(median(samples.map((g) => Math.max(...g.plan.range)))).toBeLessThanOrEqual(12);
  });

  it("constraints and views: states outside the constraint, injective and merging views", () => {
    expect(fraction((g) => g.oracle.outOfConstraint > 0)).toBeGreaterThanOrEqual(0.2);
    expect(fraction((g) => g.plan.constraint !== undefined && g.oracle.violable.size > 0 && [...g.oracle.violable].some((p) => g.plan.properties.find((x) => x.name === p)?.intent.includes("outside")))).toBeGreaterThan(0);
    expect(fraction((g) => g.plan.view !== undefined && g.oracle.view!.injective)).toBeGreaterThanOrEqual(0.1);
    expect(fraction((g) => g.plan.view !== undefined && !g.oracle.view!.injective)).toBeGreaterThanOrEqual(0.04);
    expect(fraction((g) => g.exact)).toBeGreaterThanOrEqual(0.8);
  });

  it("breaches: in most big specs first enabled past the 1,024th state in BFS order", () => {
    const big = samples.filter((g) => g.plan.info.big);
    expect(big.length).toBeGreaterThanOrEqual(20);
    const late = big.filter((g) => g.oracle.firstBreachAt !== undefined && g.oracle.firstBreachAt > 1024);
    expect(late.length / big.length).toBeGreaterThanOrEqual(0.8);
    // ... and the breach matters there: without the breach actions the spec has fewer states or another verdict.
    expect(samples.filter((g) => g.oracle.firstBreachAt !== undefined).length / samples.length).toBeGreaterThanOrEqual(0.3);
  });
});

// ---------------------------------------------------------------------------------------
// The spec against the plan: a plain BFS over the spec's own functions (records keyed by
// sorted fields, `update` merged as { ...s, ...update }), nothing from dscheck.

function canon(s: RecordState): string {
  return Object.keys(s).sort().map((k) => `${k}=${s[k]}`).join(" ");
}

function canonValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonValue).join(",")}]`;
  if (v !== null && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${k}:${canonValue((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

interface AnyAction {
  name: string;
  args?: (p: unknown) => readonly (readonly unknown[])[];
  argsFrom?: (s: RecordState, p: unknown) => Iterable<readonly unknown[]>;
  next?: (s: RecordState, a: readonly unknown[], p: unknown) => RecordState | null | undefined;
  update?: (s: RecordState, a: readonly unknown[], p: unknown) => Partial<RecordState> | null | undefined;
}

function specBfs(g: GeneratedSpec) {
  const spec = g.spec;
  const params = g.plan.constraint ? { cap: g.plan.constraint[0].max } : {};
  const holds = (name: string, s: RecordState) => {
    const r = spec.properties[name].check(s, params as never);
    return typeof r === "boolean" ? r : r.holds;
  };
  const names = Object.keys(spec.properties);
  const dist = new Map<string, number>();
  const queue: RecordState[] = [];
  let generated = 0;
  let badDepth: number | undefined;
  let deadDepth: number | undefined;
  const someDepth: Record<string, number | undefined> = {};
  const found = (s: RecordState, d: number) => {
    generated++;
    for (const n of names) if (spec.properties[n].kind === "always" && !holds(n, s) && (badDepth === undefined || d < badDepth)) badDepth = d;
    if (spec.constraint && !spec.constraint(s, params as never)) return;
    const key = canon(s);
    if (dist.has(key)) return;
    dist.set(key, d);
    queue.push(s);
    for (const n of names) if (spec.properties[n].kind === "sometimes" && someDepth[n] === undefined && holds(n, s)) someDepth[n] = d;
  };
  for (const s of spec.init(params as never)) found(s, 0);
  for (let h = 0; h < queue.length; h++) {
    const s = queue[h];
    const d = dist.get(canon(s))!;
    let enabled = 0;
    for (const a of spec.actions as unknown as AnyAction[]) {
      const instances = a.argsFrom ? [...a.argsFrom(s, params)] : a.args ? a.args(params) : [[]];
      for (const args of instances) {
        let next: RecordState | null | undefined;
        if (a.update) {
          const u = a.update(s, args, params);
          next = u === null || u === undefined ? null : ({ ...s, ...u } as RecordState);
        } else next = a.next!(s, args, params);
        if (next === null || next === undefined) continue;
        enabled++;
        found(next, d + 1);
      }
    }
    if (enabled === 0 && deadDepth === undefined) deadDepth = d;
  }
  const views = spec.view ? new Set(queue.map((s) => canonValue(spec.view!(s, params as never)))).size : undefined;
  return { distinct: dist.size, generated, badDepth, deadDepth, someDepth, views };
}

describe("random specs: the spec's own functions agree with the oracle", () => {
  it("plain BFS over the spec's functions gives the oracle's counts, depths and examples", () => {
    fc.assert(
      fc.property(randomSpecArb({ bigPercent: 5 }), (g) => {
        const b = specBfs(g);
        const o = g.oracle;
        expect(b.distinct).toBe(o.distinct);
        expect(b.generated).toBe(o.generated);
        expect(b.badDepth).toBe(o.always?.depth);
        expect(b.deadDepth).toBe(o.deadlock);
        expect(b.someDepth).toEqual(Object.fromEntries(Object.entries(o.sometimes).filter(([, d]) => d !== undefined)));
        expect(b.views).toBe(o.view?.distinct);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("the `next` variant (forms: next) is the same spec", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 30 }), (seed) => {
        const a = fc.sample(randomSpecArb({ bigPercent: 0 }), { numRuns: 1, seed })[0];
        const b = fc.sample(randomSpecArb({ bigPercent: 0, forms: "next" }), { numRuns: 1, seed })[0];
        expect(b.plan.actions.every((x) => x.form === "next")).toBe(true);
        expect(specBfs(b)).toEqual(specBfs(a));
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it("update actions return only the fields they write", () => {
    let partial = 0;
    for (const g of samples.slice(0, 60)) {
      const s = g.spec.init({} as never)[0];
      for (const a of g.spec.actions as unknown as AnyAction[]) {
        if (!a.update) continue;
        const params = g.plan.constraint ? { cap: g.plan.constraint[0].max } : {};
        const instances = a.argsFrom ? [...a.argsFrom(s, params)] : a.args ? a.args(params) : [[]];
        for (const args of instances) {
          const u = a.update(s, args, params);
          if (!u) continue;
          expect(Object.keys(u).every((k) => g.plan.fields.includes(k))).toBe(true);
          if (Object.keys(u).length < g.plan.fields.length) partial++;
        }
      }
    }
    expect(partial).toBeGreaterThan(10);
  });
});
