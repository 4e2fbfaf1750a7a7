// Brute-force helpers the cuts oracles share: computations generated as one global execution
// (causally valid by construction), happens-before as a transitive closure computed here
// (sharing no code with the checker), and the enumeration of every cut.
import fc from "fast-check";
import { buildComputation, type Computation, type RawEvent } from "../../checker/cuts/computation.ts";

export type Step = { p: number; act: number; q: number; pick: number };

/** A computation as one global execution; `logged` marks a receive logged when its pick is even. */
export function generate(n: number, steps: Step[], options: { logging?: boolean } = {}): RawEvent[] {
  const out: RawEvent[] = [];
  const pending: { id: string; from: number; to: number }[] = [];
  let msg = 0, ck = 0;
  for (const s of steps) {
    const p = s.p % n, line = out.length + 1, process = `p${p}`;
    const mine = pending.filter((m) => m.to === p);
    if (s.act === 0 && mine.length > 0) {
      const m = mine[s.pick % mine.length]; // any order: channels need not be FIFO
      pending.splice(pending.indexOf(m), 1);
      out.push({ process, kind: "receive", msg: m.id, from: `p${m.from}`, line, ...(options.logging && s.pick % 2 === 0 ? { logged: true } : {}) });
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

export const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);

export function arbComputation(options: { logging?: boolean; minSteps?: number; maxSteps?: number } = {}): fc.Arbitrary<Computation> {
  const length = { minLength: options.minSteps ?? 0, maxLength: options.maxSteps ?? 11, ...(options.minSteps ? { size: "max" as const } : {}) };
  return fc
    .record({
      n: fc.integer({ min: 1, max: 3 }),
      steps: fc.array(fc.record({ p: fc.nat(5), act: fc.nat(3), q: fc.nat(5), pick: fc.nat(5) }), length),
    })
    .map(({ n, steps }) => buildComputation("gen", generate(n, steps, options), names(n)));
}

export interface Closure {
  readonly id: (p: number, i: number) => number;
  /** hb[a][b]: event a happens before or is event b (global ids). */
  readonly hb: boolean[][];
}

/** Happens-before by closing the direct edges (process order, send before receive). */
export function closure(comp: Computation): Closure {
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
export function closedCut(comp: Computation, c: Closure, cut: readonly number[]): boolean {
  for (let p = 0; p < cut.length; p++)
    for (let i = 0; i < cut[p]; i++)
      for (let q = 0; q < cut.length; q++)
        for (let j = cut[q]; j < comp.events[q].length; j++) if (c.hb[c.id(q, j)][c.id(p, i)]) return false;
  return true;
}

/** Every combination of one choice per process. */
export function allCuts(choices: readonly (readonly number[])[]): number[][] {
  let out: number[][] = [[]];
  for (const ch of choices) out = out.flatMap((c) => ch.map((k) => [...c, k]));
  return out;
}

export const upTo = (n: number) => Array.from({ length: n + 1 }, (_, i) => i);
