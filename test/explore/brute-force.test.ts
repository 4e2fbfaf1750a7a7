// The explorer against an independent brute force on generated specs
// (test/support/random-spec.ts): graphs of 8 to 3,000 states with guaranteed depth and
// branching, record states, both action forms, constraints and `sometimes` properties. The
// oracle is a plain BFS over the explicit graph the spec was built from: same reachable set,
// TLC's counts, shortest counterexamples, and counterexamples that are real runs and replay.
// (Views and the comparison between search modes: differential.test.ts.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explore, replay, type Discovery, type ExploreResult } from "../../checker/index.ts";
import { isDeadlocked, randomSpecArb, runOracle, traceProblem, type GeneratedSpec } from "../support/random-spec.ts";

const specs = randomSpecArb({ views: false });
const withPath = (v: ExploreResult["violation"]): v is Discovery => v !== undefined && "path" in v;
const why = (r: ExploreResult) => (r.status === "error" ? `: ${JSON.stringify(r.error)}` : r.status === "incomplete" ? `: ${r.incompleteReason}` : "");

/** A real run that reproduces, replays to a violation at its last step, and ends in a state that fails. */
function checkCounterexample(g: GeneratedSpec, v: Discovery): void {
  expect(v.reproduced).toBe(true);
  expect(traceProblem(g, v.path, v.trace)).toBeUndefined();
  const last = v.trace[v.trace.length - 1].state;
  if (v.kind === "deadlock") expect(isDeadlocked(g, last)).toBe(true);
  else expect(g.holds(v.property, last)).toBe(false);
  const rp = replay(g.spec, v.path);
  expect(rp.status).toBe("violation");
  expect(rp.violation?.step).toBe(v.path.length - 1);
}

const alwaysNames = (g: GeneratedSpec) => g.plan.properties.filter((p) => p.kind === "always").map((p) => p.name);
const missingExamples = (g: GeneratedSpec) => Object.entries(g.oracle.sometimes).filter(([, d]) => d === undefined).map(([n]) => n);

describe("explorer vs brute force", () => {
  it("BFS: same counts when the properties hold, a shortest counterexample when they do not", () => {
    fc.assert(
      fc.property(specs, (g) => {
        const o = g.oracle;
        const r = explore(g.spec);
        expect(r.status, `bfs${why(r)}`).not.toBe("error");
        if (o.violationDepths) {
          expect(r.status).toBe("violation");
          const v = r.violation;
          if (!withPath(v)) throw new Error(`expected a counterexample, got ${JSON.stringify(v)}`);
          expect(o.violationDepths).toContain(v.path.length - 1);
          expect(v.path.length - 1).toBe(v.kind === "deadlock" ? o.deadlock : o.always!.depth);
          checkCounterexample(g, v);
        } else {
          const missing = missingExamples(g);
          expect(r.status).toBe(missing.length > 0 ? "violation" : "ok");
          if (missing.length > 0) expect(missing).toContain(r.violation?.property);
          expect(r.distinctStates).toBe(o.distinct);
          expect(r.generatedStates).toBe(o.generated);
          if (!g.plan.constraint) expect(r.maxDepth).toBe(o.maxDepth);
          for (const [name, d] of Object.entries(o.sometimes)) {
            if (d === undefined) continue;
            const ex = r.examples[name];
            expect(ex, `example of ${name}`).toBeDefined();
            expect(ex.path.length - 1).toBe(d);
            expect(traceProblem(g, ex.path, ex.trace)).toBeUndefined();
            expect(g.holds(name, ex.trace[ex.trace.length - 1].state)).toBe(true);
          }
        }
      }),
      { seed: 0xb1, numRuns: 200 },
    );
  });

  it("DFS visits the same reachable set; simulation never reports a false violation", () => {
    fc.assert(
      fc.property(specs, fc.nat(), (g, seed) => {
        const o = g.oracle;
        const d = explore(g.spec, { strategy: "dfs" });
        expect(d.status, `dfs${why(d)}`).not.toBe("error");
        if (o.violationDepths) {
          expect(d.status).toBe("violation");
          const v = d.violation;
          if (!withPath(v)) throw new Error("expected a counterexample");
          expect(v.path.length - 1).toBeGreaterThanOrEqual(Math.min(...o.violationDepths));
          checkCounterexample(g, v);
        } else {
          expect(d.status).toBe(missingExamples(g).length > 0 ? "violation" : "ok");
          expect(d.distinctStates).toBe(o.distinct);
          expect(d.generatedStates).toBe(o.generated);
        }
        const sim = explore(g.spec, { strategy: "simulate", seed, runs: 20, maxDepth: 20 });
        expect(sim.status, `simulate${why(sim)}`).not.toBe("error");
        if (sim.status === "violation") {
          expect(o.violationDepths, "a violation the brute force says is unreachable").toBeDefined();
          if (!withPath(sim.violation)) throw new Error("simulation reported a violation without a counterexample");
          checkCounterexample(g, sim.violation);
        }
        if (!o.violationDepths) expect(sim.status).not.toBe("violation");
      }),
      { seed: 0xb2, numRuns: 150 },
    );
  });

  it("max-depth bounds BFS to the states within that distance", () => {
    fc.assert(
      fc.property(specs, fc.nat(12), (g, depth) => {
        // States at depth <= maxDepth are found (those at maxDepth are not expanded); only the always properties.
        const o = runOracle(g.plan, { maxDepth: depth });
        const r = explore(g.spec, { maxDepth: depth, properties: alwaysNames(g), checkDeadlock: false });
        expect(r.status, `bfs${why(r)}`).not.toBe("error");
        if (o.always) {
          expect(r.status).toBe("violation");
          if (!withPath(r.violation)) throw new Error("expected a counterexample");
          expect(r.violation.path.length - 1).toBe(o.always.depth);
          expect(r.violation.path.length - 1).toBeLessThanOrEqual(depth);
        } else {
          expect(r.status).toBe("ok");
          expect(r.distinctStates).toBe(o.distinct);
          expect(r.generatedStates).toBe(o.generated);
          expect(r.maxDepth).toBeLessThanOrEqual(depth);
        }
      }),
      { seed: 0xb3, numRuns: 150 },
    );
  });

  it("a simulation run is reproducible from its seed", () => {
    fc.assert(
      fc.property(specs, fc.nat(), (g, seed) => {
        const run = () => explore(g.spec, { strategy: "simulate", seed, runs: 10, maxDepth: 40 });
        const a = run();
        const b = run();
        expect(a.seed).toBe(seed);
        expect(a.status).toBe(b.status);
        expect(a.generatedStates).toBe(b.generatedStates);
        expect(a.maxDepth).toBe(b.maxDepth);
        expect(withPath(a.violation) ? a.violation.path : null).toEqual(withPath(b.violation) ? b.violation.path : null);
        expect(Object.fromEntries(Object.entries(a.examples).map(([n, d]) => [n, d.path]))).toEqual(Object.fromEntries(Object.entries(b.examples).map(([n, d]) => [n, d.path])));
      }),
      { seed: 0xb4, numRuns: 40 },
    );
  });
});
