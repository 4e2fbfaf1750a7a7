/**
 * Happens-before by vector clocks, computed from the message flow, and the verification of
 * the clocks a log records.
 *
 * Convention (ShiViz's and GoVector's): every logged event ticks its own process's entry,
 * checkpoints included (each is a line with its own clock in ShiViz); a receive first takes
 * the entrywise maximum with the send's clock. So VC(e)[q] is the number of q's events that
 * happen before or are e, and the k-th event of p has VC[p] = k.
 */
import { topologicalOrder, type Computation } from "./computation.ts";

/** Vector clocks: clocks[p][i] is the clock of event i of process p (an array indexed by process). */
export type VectorClocks = readonly (readonly Int32Array[])[];

export function vectorClocks(comp: Computation): VectorClocks {
  const n = comp.processes.length;
  const clocks: Int32Array[][] = comp.events.map((evs) => new Array<Int32Array>(evs.length));
  for (const [p, i] of topologicalOrder(comp)) {
    const vc = i > 0 ? clocks[p][i - 1].slice() : new Int32Array(n);
    const e = comp.events[p][i];
    if (e.receive >= 0) {
      const m = comp.messages[e.receive];
      const s = clocks[m.from][m.sendIndex];
      for (let q = 0; q < n; q++) if (s[q] > vc[q]) vc[q] = s[q];
    }
    vc[p] = i + 1;
    clocks[p][i] = vc;
  }
  return clocks;
}

/** Whether event (p, i) happens before (or is) event (q, j): a vector clock comparison. */
export function happensBeforeOrEqual(clocks: VectorClocks, p: number, i: number, q: number, j: number): boolean {
  return clocks[q][j][p] >= i + 1;
}

export interface EventRef {
  readonly process: string;
  /** 1-based index in its process, as the diagram numbers events. */
  readonly index: number;
  readonly line: number;
}

export interface ClockError {
  readonly kind: "vector" | "lamport";
  readonly event: EventRef;
  /** The other event of the pair that exposes the error. */
  readonly other?: EventRef;
  readonly recorded: Readonly<Record<string, number>> | number;
  /** The computed vector clock (vector clocks only). */
  readonly expected?: Readonly<Record<string, number>>;
  readonly message: string;
}

const ref = (comp: Computation, p: number, i: number): EventRef => ({ process: comp.processes[p], index: i + 1, line: comp.events[p][i]?.line ?? 0 });

/**
 * Checks every recorded clock. A vector clock must be exactly the computed one (missing
 * entries are 0, as ShiViz omits them); the error names the event and the event of the
 * first entry that differs: the one the clock misses (too small) or claims without it
 * happening before (too large). A Lamport clock must satisfy e -> f implies L(e) < L(f),
 * over events that carry one (the others are skipped, not assumed); the error names f and
 * the clocked predecessor e with the largest clock.
 */
export function verifyClocks(comp: Computation, clocks: VectorClocks, limit = 100): { errors: ClockError[]; total: number } {
  const errors: ClockError[] = [];
  let total = 0;
  const push = (e: ClockError) => {
    total++;
    if (errors.length < limit) errors.push(e);
  };
  const n = comp.processes.length;
  if (comp.clockKind === "vector") {
    for (let p = 0; p < n; p++) {
      comp.events[p].forEach((e, i) => {
        if (e.clock === undefined || typeof e.clock === "number") return;
        const vc = clocks[p][i];
        for (let q = 0; q < n; q++) {
          // Own entries only: an entry left out is 0, even for a process named constructor.
          const rec = Object.hasOwn(e.clock, comp.processes[q]) ? e.clock[comp.processes[q]] : 0;
          if (rec === vc[q]) continue;
          const expected: Record<string, number> = Object.create(null);
          for (let r = 0; r < n; r++) if (vc[r] > 0) expected[comp.processes[r]] = vc[r];
          const otherIndex = Math.max(rec, vc[q]) - 1;
          const exists = otherIndex < comp.events[q].length;
          const what = q === p
            ? `its own entry ${comp.processes[q]} is ${rec}, but it is event ${i + 1} of ${comp.processes[p]}`
            : rec < vc[q]
              ? `entry ${comp.processes[q]} is ${rec}, but ${comp.processes[q]} event ${vc[q]} (line ${comp.events[q][vc[q] - 1].line}) happens before it`
              : exists
                ? `entry ${comp.processes[q]} is ${rec}, but ${comp.processes[q]} event ${rec} (line ${comp.events[q][rec - 1].line}) does not happen before it`
                : `entry ${comp.processes[q]} is ${rec}, but ${comp.processes[q]} logs only ${comp.events[q].length} events`;
          push({
            kind: "vector",
            event: ref(comp, p, i),
            ...(q !== p && exists ? { other: ref(comp, q, otherIndex) } : {}),
            recorded: e.clock,
            expected,
            message: `${comp.processes[p]} event ${i + 1} (line ${e.line}): vector clock ${JSON.stringify(e.clock)} should be ${JSON.stringify(expected)}: ${what}`,
          });
          break;
        }
      });
    }
  } else if (comp.clockKind === "lamport") {
    // best[p][i]: the largest Lamport clock among clocked events strictly before (p, i), and where.
    const best: { value: number; p: number; i: number }[][] = comp.events.map((evs) => new Array(evs.length));
    const none = { value: -1, p: -1, i: -1 };
    const through = (p: number, i: number) => {
      const e = comp.events[p][i];
      const b = best[p][i];
      return typeof e.clock === "number" && e.clock > b.value ? { value: e.clock, p, i } : b;
    };
    for (const [p, i] of topologicalOrder(comp)) {
      let b = i > 0 ? through(p, i - 1) : none;
      const e = comp.events[p][i];
      if (e.receive >= 0) {
        const m = comp.messages[e.receive];
        const s = through(m.from, m.sendIndex);
        if (s.value > b.value) b = s;
      }
      best[p][i] = b;
      if (typeof e.clock === "number" && b.value >= e.clock) {
        push({
          kind: "lamport",
          event: ref(comp, p, i),
          other: ref(comp, b.p, b.i),
          recorded: e.clock,
          message: `${comp.processes[p]} event ${i + 1} (line ${e.line}): Lamport clock ${e.clock}, but ${comp.processes[b.p]} event ${b.i + 1} (line ${comp.events[b.p][b.i].line}) happens before it with clock ${b.value}`,
        });
      }
    }
  }
  return { errors, total };
}
