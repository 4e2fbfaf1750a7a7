// Differential test of the search modes on generated specs (test/support/random-spec.ts):
// BFS (the spec's own memoize setting, memo forced on, memo forced off), DFS, parallel BFS on
// two workers and seeded simulation, against each other and against the generator's oracle,
// which computes the answers from the explicit graph the spec was built from.
//
// - BFS (all three), DFS and parallel BFS agree on the verdict; when the whole space was
//   searched without a counterexample (ok, or a sometimes-property with no example) they
//   report the oracle's distinct and generated counts (TLC's, constraint included).
// - BFS and parallel BFS counterexamples are shortest (the oracle's least depth); the three
//   BFS runs are the same search, so they return the same path.
// - Every counterexample and example is a real run (checked against the plan, step by step),
//   reproduced, replays with `replay` to a violation at its last step, and its last state
//   really fails (or satisfies) the property by the spec's own check.
// - Simulation is not exhaustive: it never reports a violation the oracle says cannot
//   happen, never reports a sometimes-property as violated (a pending one makes the result
//   "incomplete"), and stays inside the constraint.
//
// Views: with a view, the search keeps the first state it meets of each view, so which
// states are expanded, the counts and even the verdict depend on the order of the search.
// The oracle checks whether the spec's view is injective on every generated state (the
// generator's usual view drops the `shadow` field, a function of the others): then the view
// changes nothing and everything above is asserted. When it merges states, the modes are only
// checked for soundness (counts bounded by the oracle's, no impossible violation, every
// trace real), and the three BFS runs, one search order, must still agree exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explore, exploreParallel, replay, type Discovery, type ExploreResult } from "../../checker/index.ts";
import { isDeadlocked, randomSpecArb, traceProblem, type GeneratedSpec } from "../support/random-spec.ts";

type Violation = NonNullable<ExploreResult["violation"]>;
const withPath = (v: Violation | undefined): v is Discovery => v !== undefined && "path" in v;

function why(r: ExploreResult): string {
  return r.status === "error" ? ` error: ${JSON.stringify(r.error)}` : r.status === "incomplete" ? ` incomplete: ${r.incompleteReason}` : "";
}

/** A counterexample or example: a real run of the spec, reproduced. */
function checkDiscovery(g: GeneratedSpec, d: Discovery, label: string): void {
  expect(d.reproduced, `${label}: reproduced`).toBe(true);
  expect(traceProblem(g, d.path, d.trace), `${label}: trace`).toBeUndefined();
}

function checkCounterexample(g: GeneratedSpec, r: ExploreResult, label: string): void {
  const v = r.violation;
  if (!withPath(v)) return;
  checkDiscovery(g, v, `${label} counterexample`);
  const last = v.trace[v.trace.length - 1].state;
  if (v.kind === "always") expect(g.holds(v.property, last), `${label}: ${v.property} fails in the last state`).toBe(false);
  else if (v.kind === "deadlock") {
    expect(g.plan.deadlockIsError).toBe(true);
    expect(isDeadlocked(g, last), `${label}: the last state is deadlocked`).toBe(true);
  } else throw new Error(`${label}: unexpected counterexample kind ${v.kind}`);
  const rp = replay(g.spec, v.path);
  expect(rp.status, `${label}: replay ${v.path.join("/")}`).toBe("violation");
  expect(rp.violation?.step, `${label}: replay fails at the last step`).toBe(v.path.length - 1);
}

function checkExamples(g: GeneratedSpec, r: ExploreResult, label: string): void {
  for (const [name, ex] of Object.entries(r.examples)) {
    checkDiscovery(g, ex, `${label} example ${name}`);
    expect(g.holds(name, ex.trace[ex.trace.length - 1].state), `${label}: example of ${name}`).toBe(true);
  }
}

/** What an exhaustive search must answer, from the oracle (exact specs only). */
function checkExhaustive(g: GeneratedSpec, r: ExploreResult, label: string, shortest: boolean): void {
  const o = g.oracle;
  expect(r.status, `${label}:${why(r)}`).not.toBe("error");
  if (g.exact) {
    if (o.violationDepths) {
      expect(r.status, `${label}: status`).toBe("violation");
      const v = r.violation;
      expect(withPath(v), `${label}: a counterexample with a path`).toBe(true);
      if (!withPath(v)) return;
      const depth = v.path.length - 1;
      if (v.kind === "always") {
        expect(o.violable.has(v.property), `${label}: ${v.property} can fail`).toBe(true);
        if (shortest) expect(depth, `${label}: shortest always-counterexample`).toBe(o.always!.depth);
      } else {
        expect(v.kind, `${label}: kind`).toBe("deadlock");
        if (shortest) expect(depth, `${label}: shortest deadlock`).toBe(o.deadlock);
      }
      if (shortest) expect(o.violationDepths, `${label}: depth`).toContain(depth);
      else expect(depth).toBeGreaterThanOrEqual(Math.min(...o.violationDepths));
    } else {
      const missing = Object.entries(o.sometimes).filter(([, d]) => d === undefined).map(([n]) => n);
      expect(r.status, `${label}: status`).toBe(missing.length > 0 ? "violation" : "ok");
      if (missing.length > 0) {
        expect(r.violation?.kind).toBe("sometimes");
        expect(missing).toContain(r.violation!.property);
      }
      expect(r.exhaustive, `${label}: exhaustive`).toBe(true);
      expect(r.distinctStates, `${label}: distinct`).toBe(o.distinct);
      expect(r.generatedStates, `${label}: generated`).toBe(o.generated);
      if (g.plan.constraint) expect(r.bounded?.byConstraint ?? 0, `${label}: generated outside the constraint`).toBe(o.outOfConstraint);
      for (const [name, d] of Object.entries(o.sometimes)) {
        if (d === undefined) continue;
        expect(r.examples[name], `${label}: example of ${name}`).toBeDefined();
        if (shortest) expect(r.examples[name].path.length - 1, `${label}: shortest example of ${name}`).toBe(d);
      }
      if (shortest && !g.plan.constraint) expect(r.maxDepth, `${label}: depth`).toBe(o.maxDepth);
    }
  } else {
    // A merging view: sound, not exact.
    expect(r.distinctStates).toBeLessThanOrEqual(o.view!.distinct);
    expect(r.generatedStates).toBeLessThanOrEqual(o.generated);
    if (withPath(r.violation)) {
      expect(o.violationDepths, `${label}: a counterexample the oracle says is impossible`).toBeDefined();
      expect(r.violation.path.length - 1).toBeGreaterThanOrEqual(Math.min(...o.violationDepths!));
    }
  }
  checkCounterexample(g, r, label);
  checkExamples(g, r, label);
}

function checkSimulation(g: GeneratedSpec, sim: ExploreResult, maxDepth: number): void {
  const o = g.oracle;
  expect(sim.status, `simulate:${why(sim)}`).not.toBe("error");
  if (sim.status === "violation") {
    const v = sim.violation;
    expect(withPath(v), "simulate: a violation is a counterexample, never a sometimes failure").toBe(true);
    expect(o.violationDepths, "simulate: a violation the oracle says is impossible").toBeDefined();
    if (withPath(v)) {
      if (v.kind === "always") expect(o.violable.has(v.property)).toBe(true);
      expect(v.path.length - 1).toBeLessThanOrEqual(maxDepth);
      expect(v.path.length - 1).toBeGreaterThanOrEqual(Math.min(...o.violationDepths!));
    }
    checkCounterexample(g, sim, "simulate");
  } else {
    const pending = Object.keys(o.sometimes).filter((n) => sim.examples[n] === undefined);
    expect(sim.status, `simulate: pending sometimes-properties ${pending.join(", ")}`).toBe(pending.length > 0 ? "incomplete" : "ok");
  }
  checkExamples(g, sim, "simulate");
}

const sameSearch = (r: ExploreResult) => ({
  status: r.status,
  distinct: r.distinctStates,
  generated: r.generatedStates,
  maxDepth: r.maxDepth,
  violation: r.violation && { property: r.violation.property, kind: r.violation.kind, path: withPath(r.violation) ? r.violation.path : undefined },
  examples: Object.fromEntries(Object.entries(r.examples).map(([n, d]) => [n, d.path])),
});

describe("search modes agree on generated specs", () => {
  it("BFS (memo default, on, off), DFS, parallel BFS and simulation against the oracle", async () => {
    const stats = { runs: 0, violations: 0, big: 0, memoHits: 0 };
    await fc.assert(
      fc.asyncProperty(randomSpecArb(), fc.integer({ min: 0, max: 0xffffffff }), async (g, seed) => {
        const spec = g.spec;
        stats.runs++;
        if (g.oracle.violationDepths) stats.violations++;
        if (g.oracle.distinct > 1024) stats.big++;

        const bfs = explore(spec, { strategy: "bfs" });
        const memoOn = explore(spec, { strategy: "bfs", memoize: true });
        const memoOff = explore(spec, { strategy: "bfs", memoize: false });
        const dfs = explore(spec, { strategy: "dfs" });
        const par = await exploreParallel(spec, { workers: 2 });
        const simDepth = 30;
        const sim = explore(spec, { strategy: "simulate", seed, runs: 20, maxDepth: simDepth });
        stats.memoHits += memoOn.memo?.hits ?? 0;

        checkExhaustive(g, bfs, "bfs", true);
        checkExhaustive(g, memoOn, "bfs memo on", true);
        checkExhaustive(g, memoOff, "bfs memo off", true);
        checkExhaustive(g, dfs, "dfs", false);
        checkExhaustive(g, par, "parallel", true);
        expect(par.workers, "parallel: workers").toBe(2);
        checkSimulation(g, sim, simDepth);

        // One search order: memoization must not change anything, down to the path.
        expect(sameSearch(memoOn), "memo on = memo off").toEqual(sameSearch(memoOff));
        expect(sameSearch(bfs), "bfs = memo off").toEqual(sameSearch(memoOff));
        // The exhaustive modes agree with each other on the verdict (exact specs: above, against the oracle too).
        if (g.exact) {
          for (const r of [dfs, par]) {
            expect(r.status).toBe(bfs.status);
            expect(r.violation?.kind).toBe(bfs.violation?.kind);
            if (bfs.status !== "violation" || bfs.violation?.kind === "sometimes") {
              expect(r.distinctStates).toBe(bfs.distinctStates);
              expect(r.generatedStates).toBe(bfs.generatedStates);
            }
          }
        }
      }),
      { seed: 0xd1ff, numRuns: 150 },
    );
    // The sample is not degenerate (the generator's own test checks the distribution).
    expect(stats.violations).toBeGreaterThan(stats.runs / 4);
    expect(stats.big).toBeGreaterThan(0);
    expect(stats.memoHits).toBeGreaterThan(0);
  });
});
