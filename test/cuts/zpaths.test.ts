// Useless checkpoints by the interval graph (checker/cuts/zpaths.ts) against two oracles on
// generated computations (fast-check): the previous algorithm, one rollback propagation per
// checkpoint (useless-by-rollback.ts), and Netzer and Xu's definition searched directly here
// (searches over messages, sharing no code with the checker). Each reported Z-cycle is
// checked against the definition message by message, and for being as short as promised.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildComputation, type Computation } from "../../checker/cuts/computation.ts";
import { uselessCheckpoints } from "../../checker/cuts/rollback.ts";
import { zCycles } from "../../checker/cuts/zpaths.ts";
import { generate, names, type Step } from "./brute-force.ts";
import { uselessByRollback } from "./useless-by-rollback.ts";

// Receives and sends (acts 0 and 1) outnumber checkpoints (2) and internal events (3), so
// that messages cross checkpoint intervals both ways and Z-cycles are common.
const act = fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, { arbitrary: fc.constant(1), weight: 8 }, { arbitrary: fc.constant(2), weight: 3 }, { arbitrary: fc.constant(3), weight: 1 });

const arbComp = (maxProcesses: number, maxSteps: number): fc.Arbitrary<Computation> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: maxProcesses }),
      steps: fc.array(fc.record({ p: fc.nat(7), act, q: fc.nat(7), pick: fc.nat(7) }), { maxLength: maxSteps, size: "max" }),
    })
    .map(({ n, steps }: { n: number; steps: Step[] }) => buildComputation("gen", generate(n, steps), names(n)));

/** The checkpoint interval of event i of p: how many checkpoint events of p come before it. */
const intervalOf = (comp: Computation, p: number, i: number) => comp.events[p].slice(0, i).filter((e) => e.kind === "checkpoint").length;

/**
 * Netzer and Xu, directly: the Z-paths that start after checkpoint number x of p (its
 * interval x on) as a search over messages, each next message sent by the receiver of the
 * previous in the interval of that receive or a later one. Returns, for the earliest interval
 * of p that such a path arrives in (if any), that interval and the fewest messages to it.
 */
function earliestReturn(comp: Computation, p: number, x: number): { interval: number; messages: number } | undefined {
  const received = comp.messages.map((m, i) => ({ m, i })).filter(({ m }) => m.recvIndex >= 0);
  const depth = new Map<number, number>();
  let frontier = received.filter(({ m }) => m.from === p && intervalOf(comp, p, m.sendIndex) >= x).map(({ i }) => i);
  for (let d = 1; frontier.length > 0; d++) {
    const next: number[] = [];
    for (const i of frontier) {
      if (depth.has(i)) continue;
      depth.set(i, d);
      const m = comp.messages[i], at = intervalOf(comp, m.to, m.recvIndex);
      for (const r of received) if (r.m.from === m.to && intervalOf(comp, m.to, r.m.sendIndex) >= at && !depth.has(r.i)) next.push(r.i);
    }
    frontier = next;
  }
  let best: { interval: number; messages: number } | undefined;
  for (const [i, d] of depth) {
    const m = comp.messages[i];
    if (m.to !== p) continue;
    const b = intervalOf(comp, p, m.recvIndex);
    if (!best || b < best.interval || (b === best.interval && d < best.messages)) best = { interval: b, messages: d };
  }
  return best;
}

/** Steps of a Z-path from interval x of p in the interval graph: its messages plus the checkpoint intervals it moves forward across. */
function steps(comp: Computation, p: number, x: number, zCycle: readonly number[]): number {
  let at = x, q = p, n = 0;
  for (const i of zCycle) {
    const m = comp.messages[i];
    n += 1 + intervalOf(comp, q, m.sendIndex) - at;
    q = m.to;
    at = intervalOf(comp, q, m.recvIndex);
  }
  return n;
}

/** The fewest steps (as `steps` counts them) of a Z-path from interval x of p back to an earlier interval of p (Bellman-Ford over messages), or undefined. */
function fewestSteps(comp: Computation, p: number, x: number): number | undefined {
  const received = comp.messages.map((_, i) => i).filter((i) => comp.messages[i].recvIndex >= 0);
  const dist = new Map<number, number>();
  for (const i of received) {
    const m = comp.messages[i];
    if (m.from === p && intervalOf(comp, p, m.sendIndex) >= x) dist.set(i, 1 + intervalOf(comp, p, m.sendIndex) - x);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [i, d] of [...dist]) {
      const m = comp.messages[i], at = intervalOf(comp, m.to, m.recvIndex);
      for (const j of received) {
        const s = comp.messages[j];
        if (s.from !== m.to || intervalOf(comp, m.to, s.sendIndex) < at) continue;
        const nd = d + 1 + intervalOf(comp, m.to, s.sendIndex) - at;
        if (nd < (dist.get(j) ?? Infinity)) (dist.set(j, nd), (changed = true));
      }
    }
  }
  let best: number | undefined;
  for (const [i, d] of dist) if (comp.messages[i].to === p && intervalOf(comp, p, comp.messages[i].recvIndex) < x && (best === undefined || d < best)) best = d;
  return best;
}

/** Checks `zCycle` against the definition of a Z-cycle through checkpoint number x of p. */
function expectZCycle(comp: Computation, p: number, x: number, zCycle: readonly number[]): void {
  const ms = zCycle.map((i) => comp.messages[i]);
  expect(ms.length).toBeGreaterThan(0);
  for (const m of ms) expect(m.recvIndex).toBeGreaterThanOrEqual(0);
  expect(ms[0].from).toBe(p);
  expect(intervalOf(comp, p, ms[0].sendIndex)).toBeGreaterThanOrEqual(x);
  for (let k = 1; k < ms.length; k++) {
    expect(ms[k].from).toBe(ms[k - 1].to);
    expect(intervalOf(comp, ms[k].from, ms[k].sendIndex)).toBeGreaterThanOrEqual(intervalOf(comp, ms[k - 1].to, ms[k - 1].recvIndex));
  }
  expect(ms[ms.length - 1].to).toBe(p);
  expect(intervalOf(comp, p, ms[ms.length - 1].recvIndex)).toBeLessThan(x);
}

describe("useless checkpoints by the interval graph", () => {
  it("agree with the definition searched over messages; each Z-cycle is one and a shortest one", () => {
    let useless = 0, kept = 0;
    fc.assert(
      fc.property(arbComp(3, 60), (comp) => {
        const got = uselessCheckpoints(comp);
        const byId = new Map(got.map((u) => [u.id, u]));
        for (const cs of comp.checkpoints) {
          for (const c of cs) {
            if (c.position === 0) continue;
            const x = intervalOf(comp, c.process, c.position);
            const back = earliestReturn(comp, c.process, x);
            const u = byId.get(c.id);
            // On a Z-cycle iff some Z-path from C returns to its process before C.
            expect(u !== undefined).toBe(back !== undefined && back.interval < x);
            if (!u) {
              kept++;
              continue;
            }
            useless++;
            expectZCycle(comp, c.process, x, u.zCycle);
            expect(steps(comp, c.process, x, u.zCycle)).toBe(fewestSteps(comp, c.process, x));
          }
        }
      }),
      { numRuns: 1000 },
    );
    // Not vacuous: both verdicts occur (about 160 useless and 4,000 other checkpoints in 1,000 runs).
    expect(useless).toBeGreaterThan(60);
    expect(kept).toBeGreaterThan(1000);
  });

  it("beyond the search budget: a Z-cycle with the fewest messages to the earliest interval its checkpoint can return to", () => {
    let useless = 0;
    fc.assert(
      fc.property(arbComp(3, 60), fc.nat(40), (comp, searchBudget) => {
        const got = zCycles(comp, { searchBudget });
        expect(got.map((z) => comp.checkpoints[z.process][z.checkpoint].id)).toEqual(uselessCheckpoints(comp).map((u) => u.id));
        for (const z of got) {
          const x = intervalOf(comp, z.process, comp.checkpoints[z.process][z.checkpoint].position);
          expectZCycle(comp, z.process, x, z.messages);
          const back = earliestReturn(comp, z.process, x)!;
          const toEarliest = intervalOf(comp, z.process, comp.messages[z.messages[z.messages.length - 1]].recvIndex) === back.interval && z.messages.length === back.messages;
          const shortest = steps(comp, z.process, x, z.messages) === fewestSteps(comp, z.process, x);
          // Budget 0: never a search of its own; otherwise either kind, checkpoint by checkpoint.
          expect(searchBudget === 0 ? toEarliest : toEarliest || shortest).toBe(true);
        }
        useless += got.length;
      }),
      { numRuns: 1000 },
    );
    expect(useless).toBeGreaterThan(60);
  });

  it("agree with the previous algorithm (a rollback propagation per checkpoint) on longer computations", () => {
    let useless = 0;
    fc.assert(
      fc.property(arbComp(6, 300), (comp) => {
        const got = uselessCheckpoints(comp);
        expect(got.map((u) => u.id)).toEqual(uselessByRollback(comp).map((u) => u.id));
        for (const u of got) expectZCycle(comp, u.process, intervalOf(comp, u.process, u.position), u.zCycle);
        useless += got.length;
      }),
      { numRuns: 200 },
    );
    expect(useless).toBeGreaterThan(160); // about 460 in 200 runs
  });
});
