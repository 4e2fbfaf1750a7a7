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

  it("states outside the constraint are found and checked but not expanded", () => {
    const r = explore(counter({ constraint: 3 }));
    // steps 0..3 are expanded; the state with steps 4 is found (and counted) but not expanded.
    expect(r.distinctStates).toBe(5);
    expect(r.bounded?.byConstraint).toBe(1);
    expect(r.status).toBe("ok");
  });
});
