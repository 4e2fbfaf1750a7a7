/**
 * Stable properties evaluated on the global state of a cut: the process states at its
 * positions (activity.ts) and its channel states (the messages sent inside the cut and not
 * received inside it).
 *
 * - termination: every process is passive and no message is in flight.
 * - deadlock: some non-empty set D of processes is deadlocked: each p in D is blocked,
 *   waits only for processes in D, and no message is in flight to p from a process it waits
 *   for. (With one process per wait, the common case, D holds a cycle of the wait-for graph
 *   and every process waiting on it; in general D is a knot: the OR model of communication
 *   deadlock, where a message from any awaited process unblocks.)
 *
 * Both are stable under the rules activity.ts enforces: from a consistent cut where one
 * holds, the first later event that could break it would be a receive of a message sent
 * inside the cut (then in flight at the cut, which the definition excludes) or sent later
 * by a process the property already covers (which could only send after such a receive).
 * So it holds at every later cut and at the end. An inconsistent cut is no global state: the
 * same definitions applied to it say nothing about the run.
 */
import { blockedAt, stateAt } from "./activity.ts";
import type { Computation } from "./computation.ts";
import { isConsistent, type Cut } from "./cut.ts";

export type StableProperty = "termination" | "deadlock";
export const STABLE_PROPERTIES: readonly StableProperty[] = ["termination", "deadlock"];

export interface StableEvaluation {
  readonly holds: boolean;
  /** Termination: the processes active at the cut. */
  readonly active: readonly number[];
  /** Messages in flight at the cut (indices into comp.messages). */
  readonly inFlight: readonly number[];
  /** Deadlock: the largest deadlocked set (empty when there is none). */
  readonly deadlocked: readonly number[];
  /** Deadlock: a cycle of the wait-for graph within the deadlocked set, its first process repeated last. */
  readonly cycle: readonly number[];
}

/** Messages sent inside the cut and not received inside it. */
export function inFlightAt(comp: Computation, cut: Cut): number[] {
  const out: number[] = [];
  comp.messages.forEach((m, i) => {
    if (m.sendIndex < cut[m.from] && !(m.recvIndex >= 0 && m.recvIndex < cut[m.to])) out.push(i);
  });
  return out;
}

/** The largest deadlocked set at the cut: the fixpoint of removing processes that cannot belong to one. */
export function deadlockedSet(comp: Computation, cut: Cut, inFlight: readonly number[] = inFlightAt(comp, cut)): number[] {
  const n = comp.processes.length;
  const inD = comp.processes.map((_, p) => {
    const waits = blockedAt(comp, p, cut[p]);
    if (!waits) return false;
    // A message in flight from an awaited process will unblock it.
    return !inFlight.some((m) => comp.messages[m].to === p && waits.includes(comp.messages[m].from));
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (let p = 0; p < n; p++) {
      if (inD[p] && !blockedAt(comp, p, cut[p])!.every((q) => inD[q])) {
        inD[p] = false;
        changed = true;
      }
    }
  }
  return comp.processes.map((_, p) => p).filter((p) => inD[p]);
}

export function evaluateStable(comp: Computation, cut: Cut, property: StableProperty): StableEvaluation {
  const inFlight = inFlightAt(comp, cut);
  if (property === "termination") {
    const active = comp.processes.map((_, p) => p).filter((p) => stateAt(comp, p, cut[p]) === "active");
    return { holds: active.length === 0 && inFlight.length === 0, active, inFlight, deadlocked: [], cycle: [] };
  }
  const deadlocked = deadlockedSet(comp, cut, inFlight);
  return { holds: deadlocked.length > 0, active: [], inFlight, deadlocked, cycle: deadlocked.length ? cycleIn(comp, cut, deadlocked) : [] };
}

/** Follows each process's first awaited process inside the set until one repeats. */
function cycleIn(comp: Computation, cut: Cut, set: readonly number[]): number[] {
  const path: number[] = [];
  let p = set[0];
  while (!path.includes(p)) {
    path.push(p);
    p = blockedAt(comp, p, cut[p])!.find((q) => set.includes(q))!;
  }
  return [...path.slice(path.indexOf(p)), p];
}

export interface StableReport {
  readonly property: StableProperty;
  /** Whether the cut is consistent: only then is it a global state the run passed through. */
  readonly consistentCut: boolean;
  /** The property on the cut's process and channel states. */
  readonly holds: boolean;
  /** The cut is consistent and the property holds on it: being stable, it holds at every later cut and at the end. */
  readonly guaranteedAtEnd: boolean;
  /** The property evaluated directly at the end of the log (the final cut). */
  readonly atEnd: boolean;
  readonly active: readonly string[];
  readonly inFlight: readonly string[];
  readonly deadlocked: readonly string[];
  readonly cycle: readonly string[];
  /** Whether any event of the log records what the property reads (`state`, or `blocked`). */
  readonly recorded: boolean;
}

export function stableReport(comp: Computation, cut: Cut, property: StableProperty): StableReport {
  const on = evaluateStable(comp, cut, property);
  const end = evaluateStable(comp, comp.events.map((e) => e.length), property);
  const consistentCut = isConsistent(comp, cut);
  const name = (ps: readonly number[]) => ps.map((p) => comp.processes[p]);
  const recorded = comp.events.some((evs) => evs.some((e) => (property === "termination" ? e.state !== undefined : e.blocked !== undefined)));
  return {
    property, consistentCut, holds: on.holds, guaranteedAtEnd: consistentCut && on.holds, atEnd: end.holds,
    active: name(on.active), inFlight: on.inFlight.map((m) => comp.messages[m].id), deadlocked: name(on.deadlocked), cycle: name(on.cycle), recorded,
  };
}
