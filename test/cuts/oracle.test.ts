// checker/cuts against brute force on small generated computations (fast-check): every cut's
// consistency against downward closure under happens-before (a transitive closure computed
// here, sharing no code with the checker), vector and Lamport clocks against the same
// closure, the recovery line as the maximum over every consistent candidate cut, and useless
// checkpoints as those in no consistent global checkpoint.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildComputation, type RawEvent } from "../../checker/cuts/computation.ts";
import { vectorClocks, verifyClocks } from "../../checker/cuts/clocks.ts";
import { isConsistent, orphans } from "../../checker/cuts/cut.ts";
import { consistentCuts } from "../../checker/cuts/lattice.ts";
import { recoveryLine, uselessCheckpoints } from "../../checker/cuts/rollback.ts";
import { allCuts, arbComputation, closedCut, closure, upTo } from "./brute-force.ts";

const arb = arbComputation();

describe("cuts against brute force", () => {
  it("every cut: consistent iff downward closed under happens-before; the lattice count agrees", () => {
    fc.assert(
      fc.property(arb, (comp) => {
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
      fc.property(arb, (comp) => {
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
      fc.property(arb, fc.nat(), fc.integer({ min: -2, max: 2 }), fc.array(fc.nat(6), { maxLength: 40 }), (comp, pick, delta, lamport) => {
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
      fc.property(arb, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (comp, failMask) => {
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
      fc.property(arb, (comp) => {
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
