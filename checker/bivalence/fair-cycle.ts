/**
 * Admissible runs that stay inside a set of states (FLP's non-deciding runs): a reachable
 * cycle in which every live process takes steps and every message to a live process is
 * eventually delivered, found by SCC analysis and printed as a lasso.
 *
 * Fairness is weak fairness, as in TLA+'s WF: a live process owes a step only while it has
 * one enabled, so a cycle is fair for process p when p takes a step on it or p has no step
 * enabled in one of its states; a message is delivered when some state of the cycle does
 * not hold it pending. Both conditions only get easier as states and edges are added, so a
 * strongly connected component holds a fair cycle exactly when the closed walk through all
 * of it is fair: one check per component, no Emerson-Lei refinement (that is for strong
 * fairness). A self-loop changes nothing: it is stuttering, neither a step nor an enabled
 * one (TLA+'s <A>_vars). A state where no live process has a step enabled and no message
 * waits is a fair run by itself: it stutters forever (loop of length 0).
 */
import { components, type Csr } from "./scc.ts";

/** Per edge: the process whose step it is (>= 0), ENVIRONMENT, or FAULT (a crash or restart). */
export const ENVIRONMENT = -1, FAULT = -2;

export interface FairnessInput extends Csr {
  readonly edgeProc: Int16Array;
  /** Per state: bitmask of crashed processes. */
  readonly crashed: Int32Array;
  /** Pending messages per state, as interned ids: pendIds[pendStart[s] .. pendStart[s + 1]]. */
  readonly pendStart: Int32Array;
  readonly pendIds: Int32Array;
  /** Destination process of each pending id. */
  readonly pendTo: Int32Array;
  readonly processCount: number;
  /** At most this many processes may be faulty in an admissible run (down in some state of its cycle). */
  readonly maxFaulty: number;
}

export interface Lasso {
  /** The state the loop starts and ends at (the one with the shortest path from an initial state). */
  readonly entry: number;
  /** Edge ids of the loop, in order; empty when the run stutters at `entry` forever. */
  readonly loop: readonly number[];
}

/** Bitmask of the processes with a non-stuttering, non-fault step enabled in s. */
export function enabledProcs(g: FairnessInput, s: number): number {
  let m = 0;
  for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) if (g.targets[e] !== s && g.edgeProc[e] >= 0) m |= 1 << g.edgeProc[e];
  return m;
}

function pendingToLive(g: FairnessInput, s: number, live: number): number[] {
  const out: number[] = [];
  for (let i = g.pendStart[s]; i < g.pendStart[s + 1]; i++) if (live & (1 << g.pendTo[g.pendIds[i]])) out.push(g.pendIds[i]);
  return out;
}

const allProcs = (g: FairnessInput) => (g.processCount >= 31 ? -1 : (1 << g.processCount) - 1);

/**
 * Whether the closed walk `loop` from `entry` (edge ids, each leaving the state the
 * previous one reached) is a fair run; the independent check of every lasso reported.
 */
export function isFairLoop(g: FairnessInput, entry: number, loop: readonly number[]): boolean {
  const states = [entry];
  let at = entry;
  for (const e of loop) {
    if (e < g.offsets[at] || e >= g.offsets[at + 1]) return false;
    at = g.targets[e];
    if (at < 0) return false;
    states.push(at);
  }
  if (at !== entry) return false;
  let crashedAny = 0;
  for (const s of states) crashedAny |= g.crashed[s];
  if (popcount(crashedAny) > g.maxFaulty) return false;
  const live = allProcs(g) & ~crashedAny;
  // A self-loop in the walk is stuttering, not a step.
  let stepped = 0, disabledSomewhere = 0;
  let from = entry;
  for (const e of loop) {
    if (g.edgeProc[e] >= 0 && g.targets[e] !== from) stepped |= 1 << g.edgeProc[e];
    from = g.targets[e];
  }
  for (const s of states) disabledSomewhere |= ~enabledProcs(g, s);
  if ((live & ~(stepped | disabledSomewhere)) !== 0) return false;
  let always: Set<number> | undefined;
  for (const s of states) {
    const here = new Set(pendingToLive(g, s, live));
    always = always === undefined ? here : new Set([...always].filter((x) => here.has(x)));
  }
  return always!.size === 0;
}

/**
 * The fair cycles inside `candidate`: a lasso for the fair component (or stuttering state)
 * with the smallest entry id, and how many fair components there are.
 */
export function findFairCycle(g: FairnessInput, candidate: Uint8Array): { lasso?: Lasso; fairComponents: number } {
  const cs = components(g, candidate);
  const all = allProcs(g);
  let best: Lasso | undefined, fairComponents = 0;
  const consider = (l: Lasso) => {
    if (!best || l.entry < best.entry) best = l;
  };
  for (let c = 0; c < cs.count; c++) {
    const a = cs.start[c], b = cs.start[c + 1];
    let entry = cs.members[a];
    for (let i = a; i < b; i++) if (cs.members[i] < entry) entry = cs.members[i];
    let inner = 0;
    for (let i = a; i < b; i++) {
      const s = cs.members[i];
      for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) if (g.targets[e] !== s && g.targets[e] >= 0 && cs.comp[g.targets[e]] === c) inner++;
    }
    if (inner === 0) {
      // A single state: fair only as stuttering, when no live process owes a step and no message waits.
      const live = all & ~g.crashed[entry];
      if ((enabledProcs(g, entry) & live) === 0 && pendingToLive(g, entry, live).length === 0) {
        fairComponents++;
        consider({ entry, loop: [] });
      }
      continue;
    }
    let crashedAny = 0;
    for (let i = a; i < b; i++) crashedAny |= g.crashed[cs.members[i]];
    // Crash-recover: a process that goes down again and again is faulty; at most maxFaulty of them.
    if (popcount(crashedAny) > g.maxFaulty) continue;
    const live = all & ~crashedAny;
    let ok = 0;
    const stepEdge = new Map<number, number>();
    for (let i = a; i < b; i++) {
      const s = cs.members[i];
      ok |= ~enabledProcs(g, s);
      for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) {
        const t = g.targets[e], p = g.edgeProc[e];
        if (p >= 0 && t !== s && t >= 0 && cs.comp[t] === c) {
          ok |= 1 << p;
          if (!stepEdge.has(p)) stepEdge.set(p, e);
        }
      }
    }
    if ((live & ~ok) !== 0) continue;
    let always: Set<number> | undefined;
    for (let i = a; i < b && (always === undefined || always.size > 0); i++) {
      const here = new Set(pendingToLive(g, cs.members[i], live));
      always = always === undefined ? here : new Set([...always].filter((x) => here.has(x)));
    }
    if (always!.size > 0) continue;
    fairComponents++;
    if (best && best.entry < entry) continue;
    consider({ entry, loop: buildLoop(g, cs.comp, c, entry, live) });
  }
  return { lasso: best, fairComponents };
}

/** A fair closed walk from `entry` inside component c (which is known to hold one). */
function buildLoop(g: FairnessInput, comp: Int32Array, c: number, entry: number, live: number): number[] {
  const loop: number[] = [];
  const visited = new Set<number>([entry]);
  let at = entry;
  /** Shortest walk inside c from `at` to a state satisfying goal; appends its edges. */
  const goTo = (goal: (s: number) => boolean) => {
    if (goal(at)) return;
    const prevEdge = new Map<number, number>([[at, -1]]);
    const queue = [at];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) {
        const t = g.targets[e];
        if (t < 0 || comp[t] !== c || prevEdge.has(t)) continue;
        prevEdge.set(t, e);
        if (goal(t)) {
          const path: number[] = [];
          for (let x = t; x !== at; ) {
            const pe = prevEdge.get(x)!;
            path.push(pe);
            x = edgeSource(g, pe);
          }
          path.reverse();
          for (const pe of path) {
            loop.push(pe);
            visited.add(g.targets[pe]);
          }
          at = t;
          return;
        }
        queue.push(t);
      }
    }
    throw new Error("internal: a strongly connected component is not strongly connected");
  };
  // Crash-recover: a process down somewhere in the component is exempt only if the loop passes there too.
  for (let p = 0; p < g.processCount; p++) {
    if (live & (1 << p) || [...visited].some((s) => g.crashed[s] & (1 << p))) continue;
    goTo((s) => (g.crashed[s] & (1 << p)) !== 0);
  }
  let stepped = 0;
  for (let p = 0; p < g.processCount; p++) {
    if (!(live & (1 << p))) continue;
    if (stepped & (1 << p) || [...visited].some((s) => !(enabledProcs(g, s) & (1 << p)))) continue;
    const hasStep = (s: number) => {
      for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) if (g.edgeProc[e] === p && g.targets[e] !== s && g.targets[e] >= 0 && comp[g.targets[e]] === c) return true;
      return !(enabledProcs(g, s) & (1 << p));
    };
    goTo(hasStep);
    if (enabledProcs(g, at) & (1 << p)) {
      for (let e = g.offsets[at]; e < g.offsets[at + 1]; e++) {
        const t = g.targets[e];
        if (g.edgeProc[e] === p && t !== at && t >= 0 && comp[t] === c) {
          loop.push(e);
          visited.add(t);
          at = t;
          break;
        }
      }
    }
    let from = entry;
    stepped = 0;
    for (const e of loop) {
      if (g.edgeProc[e] >= 0 && g.targets[e] !== from) stepped |= 1 << g.edgeProc[e];
      from = g.targets[e];
    }
  }
  for (;;) {
    let always: Set<number> | undefined;
    for (const s of visited) {
      const here = new Set(pendingToLive(g, s, live));
      always = always === undefined ? here : new Set([...always].filter((x) => here.has(x)));
    }
    if (!always || always.size === 0) break;
    const m = always.values().next().value!;
    goTo((s) => !pendingToLive(g, s, live).includes(m));
  }
  goTo((s) => s === entry);
  if (loop.length === 0) {
    // entry satisfied everything by itself but a cycle through it is needed: go round once.
    for (let e = g.offsets[entry]; e < g.offsets[entry + 1]; e++) {
      const t = g.targets[e];
      if (t >= 0 && t !== entry && comp[t] === c) {
        loop.push(e);
        at = t;
        visited.add(t);
        goTo((s) => s === entry);
        break;
      }
    }
  }
  return loop;
}

/** The state whose CSR edge range holds edge e. */
export function edgeSource(g: Csr, e: number): number {
  // The largest s with offsets[s] <= e (states without edges share their offset with the next).
  let lo = 0, hi = g.stateCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.offsets[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function popcount(x: number): number {
  let k = 0;
  for (; x; x &= x - 1) k++;
  return k;
}
