// checker/cuts against brute force on small generated computations (fast-check): every cut's
// consistency against downward closure under happens-before (a transitive closure computed
// here, sharing no code with the checker), vector and Lamport clocks against the same
// closure, the recovery line as the maximum over every consistent candidate cut, and useless
// checkpoints as those in no consistent global checkpoint.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildComputation, type Computation, type RawEvent } from "../../checker/cuts/computation.ts";
import { vectorClocks, verifyClocks } from "../../checker/cuts/clocks.ts";
import { isConsistent, orphans } from "../../checker/cuts/cut.ts";
import { consistentCuts } from "../../checker/cuts/lattice.ts";
import { recoveryLine, uselessCheckpoints } from "../../checker/cuts/rollback.ts";

type Step = { p: number; act: number; q: number; pick: number };

/** A computation generated as one global execution, so it is causally valid by construction. */
function generate(n: number, steps: Step[]): RawEvent[] {
  const out: RawEvent[] = [];
  const pending: { id: string; from: number; to: number }[] = [];
  let msg = 0, ck = 0;
  for (const s of steps) {
    const p = s.p % n, line = out.length + 1, process = `p${p}`;
    const mine = pending.filter((m) => m.to === p);
    if (s.act === 0 && mine.length > 0) {
      const m = mine[s.pick % mine.length]; // any order: channels need not be FIFO
      pending.splice(pending.indexOf(m), 1);
      out.push({ process, kind: "receive", msg: m.id, from: `p${m.from}`, line });
    } else if (s.act <= 1) {
      const q = s.q % n, id = `m${msg++}`;
      pending.push({ id, from: p, to: q });
      out.push({ process, kind: "send", msg: id, to: `p${q}`, line });
    } else if (s.act === 2) {
      out.push({ process, kind: "checkpoint", id: `c${ck++}`, line });
    } else {
      out.push({ process, kind: "internal", line });
    }
  }
  return out;
}

const arbComputation = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    steps: fc.array(fc.record({ p: fc.nat(5), act: fc.nat(3), q: fc.nat(5), pick: fc.nat(5) }), { maxLength: 11 }),
  })
  .map(({ n, steps }) => buildComputation("gen", generate(n, steps), Array.from({ length: n }, (_, i) => `p${i}`)));

/** hb[a][b]: event a happens before or is event b (global ids), by closing the direct edges. */
function closure(comp: Computation): { id: (p: number, i: number) => number; hb: boolean[][] } {
  const base: number[] = [];
  let total = 0;
  for (const evs of comp.events) {
    base.push(total);
    total += evs.length;
  }
  const id = (p: number, i: number) => base[p] + i;
  const hb = Array.from({ length: total }, (_, a) => Array.from({ length: total }, (_, b) => a === b));
  comp.events.forEach((evs, p) => evs.forEach((_, i) => i > 0 && (hb[id(p, i - 1)][id(p, i)] = true)));
  for (const m of comp.messages) if (m.recvIndex >= 0) hb[id(m.from, m.sendIndex)][id(m.to, m.recvIndex)] = true;
  for (let k = 0; k < total; k++) for (let a = 0; a < total; a++) if (hb[a][k]) for (let b = 0; b < total; b++) if (hb[k][b]) hb[a][b] = true;
  return { id, hb };
}

/** Consistent = downward closed under happens-before. */
function closedCut(comp: Computation, c: { id: (p: number, i: number) => number; hb: boolean[][] }, cut: readonly number[]): boolean {
  for (let p = 0; p < cut.length; p++)
    for (let i = 0; i < cut[p]; i++)
      for (let q = 0; q < cut.length; q++)
        for (let j = cut[q]; j < comp.events[q].length; j++) if (c.hb[c.id(q, j)][c.id(p, i)]) return false;
  return true;
}

function allCuts(choices: readonly (readonly number[])[]): number[][] {
  let out: number[][] = [[]];
  for (const ch of choices) out = out.flatMap((c) => ch.map((k) => [...c, k]));
  return out;
}
const upTo = (n: number) => Array.from({ length: n + 1 }, (_, i) => i);

describe("cuts against brute force", () => {
  it("every cut: consistent iff downward closed under happens-before; the lattice count agrees", () => {
    fc.assert(
      fc.property(arbComputation, (comp) => {
        const c = closure(comp);
        const cuts = allCuts(comp.events.map((e) => upTo(e.length)));
        let count = 0;
        for (const cut of cuts) {
          const closed = closedCut(comp, c, cut);
          expect(isConsistent(comp, cut)).toBe(closed);
          if (closed) count++;
          // An orphan is exactly a message received inside and sent outside.
          for (const m of orphans(comp, cut)) expect(comp.messages[m].sendIndex).toBeGreaterThanOrEqual(cut[comp.messages[m].from]);
        }
        const lattice = consistentCuts(comp, vectorClocks(comp), { maxCuts: 1e6, list: true });
        expect(lattice.complete).toBe(true);
        expect(lattice.count).toBe(count);
        for (const cut of lattice.cuts!) expect(closedCut(comp, c, cut)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("vector clocks count the events of each process that happen before or are the event", () => {
    fc.assert(
      fc.property(arbComputation, (comp) => {
        const c = closure(comp), vc = vectorClocks(comp);
        comp.events.forEach((evs, p) => evs.forEach((_, i) => {
          for (let q = 0; q < comp.events.length; q++) {
            const known = comp.events[q].filter((_, j) => c.hb[c.id(q, j)][c.id(p, i)]).length;
            expect(vc[p][i][q]).toBe(known);
          }
        }));
      }),
      { numRuns: 200 },
    );
  });

  it("recorded clocks: the computed ones verify; a changed entry is reported at its event; Lamport errors iff some e -> f has L(e) >= L(f)", () => {
    fc.assert(
      fc.property(arbComputation, fc.nat(), fc.integer({ min: -2, max: 2 }), fc.array(fc.nat(6), { maxLength: 40 }), (comp, pick, delta, lamport) => {
        const vc = vectorClocks(comp);
        const named = (p: number, i: number) => Object.fromEntries(comp.processes.map((name, q) => [name, vc[p][i][q]]).filter(([, v]) => v !== 0));
        const events = comp.events.flat();
        if (events.length === 0) return;
        const raw = (clock: (p: number, i: number) => RawEvent["clock"]): RawEvent[] =>
          events.map((e) => {
            const m = e.receive >= 0 ? comp.messages[e.receive] : e.sends.length ? comp.messages[e.sends[0]] : undefined;
            const base = { process: comp.processes[e.process], line: e.line, clock: clock(e.process, e.index) };
            if (e.kind === "send") return { ...base, kind: "send", msg: m!.id, to: comp.processes[m!.to] } as RawEvent;
            if (e.kind === "receive") return { ...base, kind: "receive", msg: m!.id, from: comp.processes[m!.from] } as RawEvent;
            if (e.kind === "checkpoint") return { ...base, kind: "checkpoint", id: e.checkpoint! } as RawEvent;
            return { ...base, kind: "internal" } as RawEvent;
          }).sort((a, b) => a.line - b.line);
        const good = buildComputation("g", raw(named), comp.processes);
        expect(verifyClocks(good, vectorClocks(good)).total).toBe(0);
        // Change one entry of one event's clock.
        const target = events[pick % events.length];
        const q = pick % comp.processes.length;
        const changed = Math.max(0, vc[target.process][target.index][q] + delta);
        const bad = buildComputation("b", raw((p, i) => {
          const c = { ...named(p, i) };
          if (p === target.process && i === target.index) c[comp.processes[q]] = changed;
          return c;
        }), comp.processes);
        const errs = verifyClocks(bad, vectorClocks(bad)).errors;
        if (changed === vc[target.process][target.index][q]) expect(errs).toHaveLength(0);
        else expect(errs.map((e) => [e.event.process, e.event.index])).toEqual([[comp.processes[target.process], target.index + 1]]);
        // Lamport: arbitrary clocks, errors iff a happens-before pair is not increasing.
        const lam = (p: number, i: number) => lamport[(comp.events.slice(0, p).reduce((a, e) => a + e.length, 0) + i) % Math.max(1, lamport.length)] ?? i;
        const lc = buildComputation("l", raw(lam), comp.processes);
        const c = closure(lc);
        let violated = false;
        lc.events.forEach((ea, p) => ea.forEach((_, i) => lc.events.forEach((eb, q) => eb.forEach((_, j) => {
          if ((p !== q || i !== j) && c.hb[c.id(p, i)][c.id(q, j)] && lam(p, i) >= lam(q, j)) violated = true;
        }))));
        expect(verifyClocks(lc, vectorClocks(lc)).total > 0).toBe(violated);
      }),
      { numRuns: 200 },
    );
  });

  it("the recovery line is the maximum of every consistent candidate cut", () => {
    fc.assert(
      fc.property(arbComputation, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (comp, failMask) => {
        const failed = comp.processes.map((_, p) => p).filter((p) => failMask[p]);
        const c = closure(comp);
        const choices = comp.events.map((evs, p) => {
          const cps = comp.checkpoints[p].map((x) => x.position);
          return failed.includes(p) ? cps : [...new Set([...cps, evs.length])];
        });
        const consistent = allCuts(choices).filter((cut) => closedCut(comp, c, cut));
        // The initial cut is always a candidate and consistent.
        expect(consistent.length).toBeGreaterThan(0);
        const max = comp.processes.map((_, p) => Math.max(...consistent.map((cut) => cut[p])));
        expect(consistent.some((cut) => cut.every((k, p) => k === max[p]))).toBe(true); // closed under max
        expect(recoveryLine(comp, failed).cut).toEqual(max);
      }),
      { numRuns: 300 },
    );
  });

  it("useless checkpoints are those in no consistent global checkpoint; each comes with a real Z-cycle", () => {
    fc.assert(
      fc.property(arbComputation, (comp) => {
        const c = closure(comp);
        const choices = comp.events.map((evs, p) => [...new Set([...comp.checkpoints[p].map((x) => x.position), evs.length])]);
        const consistent = allCuts(choices).filter((cut) => closedCut(comp, c, cut));
        const expected = comp.checkpoints.flat().filter((k) => k.position > 0 && !consistent.some((cut) => cut[k.process] === k.position)).map((k) => k.id);
        const got = uselessCheckpoints(comp);
        expect(got.map((u) => u.id).sort()).toEqual(expected.sort());
        // The Z-cycle: starts after C at its process, each next message leaves the receiver of the
        // previous in the same or a later checkpoint interval, the last arrives before C.
        const interval = (p: number, index: number) => comp.checkpoints[p].filter((x) => x.position <= index).length;
        for (const u of got) {
          const ms = u.zCycle.map((m) => comp.messages[m]);
          expect(ms[0].from).toBe(u.process);
          expect(ms[0].sendIndex).toBeGreaterThanOrEqual(u.position);
          for (let k = 1; k < ms.length; k++) {
            expect(ms[k].from).toBe(ms[k - 1].to);
            expect(interval(ms[k].from, ms[k].sendIndex)).toBeGreaterThanOrEqual(interval(ms[k - 1].to, ms[k - 1].recvIndex));
          }
          expect(ms[ms.length - 1].to).toBe(u.process);
          expect(ms[ms.length - 1].recvIndex).toBeLessThan(u.position);
        }
      }),
      { numRuns: 300 },
    );
  });
});
