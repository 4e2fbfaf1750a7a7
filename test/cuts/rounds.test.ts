// Coordinated rounds against brute force (fast-check): each process's k-th checkpoint is
// tagged round k, and a complete round is consistent iff its cut is downward closed under
// happens-before (the transitive closure of brute-force.ts); its orphans are those of the cut.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundReports } from "../../checker/cuts/analyze.ts";
import { buildComputation } from "../../checker/cuts/computation.ts";
import { orphans } from "../../checker/cuts/cut.ts";
import { closedCut, closure, generate, names, type Step } from "./brute-force.ts";

// Mostly sends and receives (acts 0 and 1), so that messages cross rounds.
const act = fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.constant(1), weight: 4 }, { arbitrary: fc.constant(2), weight: 3 }, { arbitrary: fc.constant(3), weight: 1 });
const arb = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  steps: fc.array(fc.record({ p: fc.nat(5), act, q: fc.nat(5), pick: fc.nat(5) }), { maxLength: 20, size: "max" }),
});

describe("coordinated rounds against brute force", () => {
  it("a complete round is consistent iff its cut is downward closed; an incomplete one is not judged", () => {
    let consistent = 0, inconsistent = 0;
    fc.assert(
      fc.property(arb, ({ n, steps }: { n: number; steps: Step[] }) => {
        const taken = new Map<string, number>();
        const raw = generate(n, steps).map((e) => {
          if (e.kind !== "checkpoint") return e;
          const round = (taken.get(e.process) ?? 0) + 1;
          taken.set(e.process, round);
          return { ...e, round };
        });
        const comp = buildComputation("gen", raw, names(n));
        const c = closure(comp);
        for (const r of roundReports(comp)) {
          const ks = comp.processes.map((_, p) => comp.checkpoints[p].find((x) => x.round === r.round));
          expect(r.complete).toBe(ks.every((k) => k !== undefined));
          if (!r.complete) {
            expect(r.consistent).toBeUndefined();
            continue;
          }
          const cut = ks.map((k) => k!.position);
          expect(r.consistent).toBe(closedCut(comp, c, cut));
          expect(r.orphans!.map((o) => o.msg)).toEqual(orphans(comp, cut).map((m) => comp.messages[m].id));
          if (r.consistent) consistent++;
          else inconsistent++;
        }
      }),
      { numRuns: 2000 },
    );
    // Not vacuous: about 2,100 consistent and 60 inconsistent complete rounds in 2,000 runs.
    expect(consistent).toBeGreaterThan(500);
    expect(inconsistent).toBeGreaterThan(20);
  });
});
