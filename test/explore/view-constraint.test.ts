// `view` (what is fingerprinted) and `constraint` (which states are expanded), checked on a
// spec small enough to count by hand.
import { describe, expect, it } from "vitest";
import { always, defineSpec, explore } from "../../checker/index.ts";

interface S {
  readonly x: number;
  readonly steps: number;
}

/** x cycles through 0..3; `steps` counts moves and only grows. */
function counter(options: { view?: boolean; constraint?: number }) {
  return defineSpec({
    name: "Cycle",
    params: {},
    init: (): S[] => [{ x: 0, steps: 0 }],
    actions: [{ name: "Step", next: (s: S) => (s.steps < 10 ? { x: (s.x + 1) % 4, steps: s.steps + 1 } : null) }],
    properties: { Small: always((s: S) => s.x < 4) },
    deadlockIsError: false,
    ...(options.view ? { view: (s: S) => s.x } : {}),
    ...(options.constraint !== undefined ? { constraint: (s: S) => s.steps <= options.constraint! } : {}),
  });
}

describe("view and constraint", () => {
  it("without a view every (x, steps) pair is a state: steps 0..10", () => {
    const r = explore(counter({}));
    expect(r.distinctStates).toBe(11);
    expect(r.generatedStates).toBe(11); // 1 initial + 10 successors
  });

  it("a view that keeps only x makes states that differ in steps the same state", () => {
    const r = explore(counter({ view: true }));
    // x = 0, 1, 2, 3 then back to 0 (seen): 4 states, 1 initial + 4 successors computed.
    expect(r.distinctStates).toBe(4);
    expect(r.generatedStates).toBe(5);
  });

  it("states outside the constraint are generated and checked, but neither distinct nor expanded (TLC's semantics)", () => {
    const r = explore(counter({ constraint: 3 }));
    // steps 0..3 are distinct and expanded; the successor with steps 4 is generated (TLC counts
    // it in "states generated" and checks the invariants on it) but is not a distinct state.
    expect(r.distinctStates).toBe(4);
    expect(r.generatedStates).toBe(5);
    expect(r.bounded?.byConstraint).toBe(1);
    expect(r.status).toBe("ok");
  });

  it("an invariant is checked on a successor outside the constraint, and its counterexample ends there", () => {
    const spec = { ...counter({ constraint: 3 }), properties: { Short: always((s: S) => s.steps < 4) } };
    const r = explore(spec);
    expect(r.status).toBe("violation");
    const v = r.violation!;
    if (!("trace" in v)) throw new Error("no trace");
    expect(v.path).toEqual([0, 0, 0, 0, 0]);
    expect((v.trace[v.trace.length - 1].state as S).steps).toBe(4);
  });
});
