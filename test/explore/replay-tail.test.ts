// rebuildTraceTail (the last steps of a long witness, replayed with a bounded window) must
// give exactly the tail of the full rebuild: same actions, arguments, states and changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundSpec, rebuildTrace, rebuildTraceTail } from "../../checker/index.ts";
import raft from "../../specs/raft-election.ts";

const model = new BoundSpec(raft as never, { servers: 3, maxTerm: 2 });

/** A random walk: at each state, the enabled instance chosen by the next number. */
function walk(choices: readonly number[]): number[] {
  const path = [0];
  let state = model.initialStates()[0];
  for (const c of choices) {
    const enabled: number[] = [];
    for (let i = 0; i < model.instanceCount(state); i++) if (model.successorAt(state, i) !== undefined) enabled.push(i);
    if (enabled.length === 0) break;
    const pick = enabled[c % enabled.length];
    path.push(pick);
    state = model.successorAt(state, pick);
  }
  return path;
}

describe("rebuildTraceTail", () => {
  it("is the tail of the full trace, for every tail length", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), fc.integer({ min: 1, max: 45 }), (choices, count) => {
        const path = walk(choices);
        const full = rebuildTrace(model, path).steps;
        const { steps, start } = rebuildTraceTail(model, path, count);
        expect(start).toBe(Math.max(0, path.length - count));
        expect(steps).toEqual(full.slice(start));
      }),
      { numRuns: 150 },
    );
  });

  it("throws a bad-path error as the full replay does", () => {
    expect(() => rebuildTraceTail(model, [0, 999], 1)).toThrow(/out of range/);
  });
});
