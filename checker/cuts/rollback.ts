/**
 * Rollback propagation, the fixpoint behind recovery lines (useless checkpoints, a question
 * about every checkpoint at once, are decided on the interval graph instead: zpaths.ts).
 *
 * Start from a cut and a set of positions each process may stand at (its checkpoints, the
 * initial one included, possibly followed by a replay of logged receives, and for some
 * processes the end of its log). While a message is an
 * orphan, move its receiver back to the latest allowed position before the receive. Every
 * cut of allowed positions below the start that is consistent lies below every cut the
 * fixpoint passes through (the orphan's sender can only be further back, so its receiver
 * must be before the receive), so the result is the maximum consistent cut of that kind:
 * unique because consistent cuts are closed under taking the later position per process.
 *
 * Each move is a step that remembers the step that had put the orphan's sender where it was,
 * so every rollback comes with the chain of orphan messages that forced it. Work: each send
 * is looked at once per rollback of its process, O(events + messages) in all.
 */
import type { Computation } from "./computation.ts";
import type { Cut } from "./cut.ts";
import { zCycles } from "./zpaths.ts";

export interface RollbackStep {
  readonly process: number;
  /** The orphan message that forced the step. */
  readonly message: number;
  readonly fromPosition: number;
  readonly toPosition: number;
  /** The step that had put the message's sender at its position, or -1 (its start). */
  readonly parent: number;
}

export interface RollbackResult {
  readonly cut: number[];
  readonly steps: readonly RollbackStep[];
  /** The last step that moved each process, or -1. */
  readonly lastStep: readonly number[];
  /** Set when a pinned process would have to move: the message that forces it (a step not applied). */
  readonly blocked?: RollbackStep;
}

/** Checkpoint positions per process, ascending (0 first). */
export function checkpointPositions(comp: Computation): number[][] {
  return comp.checkpoints.map((cs) => cs.map((c) => c.position));
}

/**
 * The fixpoint from `start`. `allowed[p]` lists p's positions ascending, 0 first. `pinned`
 * (a process index or -1) may not move: the first orphan received by it stops the search
 * with `blocked`.
 */
export function rollback(comp: Computation, start: Cut, allowed: readonly (readonly number[])[], pinned = -1): RollbackResult {
  const cut = start.slice();
  const steps: RollbackStep[] = [];
  const lastStep = comp.processes.map(() => -1);
  const queue: number[] = [];
  comp.messages.forEach((m, i) => {
    if (m.recvIndex >= 0 && m.recvIndex < cut[m.to] && m.sendIndex >= cut[m.from]) queue.push(i);
  });
  for (let h = 0; h < queue.length; h++) {
    const mi = queue[h];
    const m = comp.messages[mi];
    if (!(m.recvIndex < cut[m.to] && m.sendIndex >= cut[m.from])) continue;
    const q = m.to;
    const to = latestAtOrBefore(allowed[q], m.recvIndex);
    const step: RollbackStep = { process: q, message: mi, fromPosition: cut[q], toPosition: to, parent: lastStep[m.from] };
    if (q === pinned) return { cut, steps, lastStep, blocked: step };
    const old = cut[q];
    cut[q] = to;
    lastStep[q] = steps.length;
    steps.push(step);
    // Sends of q in [to, old) have just left the cut: their receives may now be orphans.
    const evs = comp.events[q];
    for (let i = to; i < old; i++) {
      for (const s of evs[i].sends) {
        const sm = comp.messages[s];
        if (sm.recvIndex >= 0 && sm.recvIndex < cut[sm.to]) queue.push(s);
      }
    }
  }
  return { cut, steps, lastStep };
}

/** The largest value <= x of an ascending list that starts with 0 (binary search). */
function latestAtOrBefore(sorted: readonly number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid;
  }
  return sorted[lo];
}

/** The chain of orphan messages (indices) that led to `step`, first cause first. */
export function chainOf(steps: readonly RollbackStep[], step: RollbackStep): number[] {
  const out: number[] = [step.message];
  for (let s = step.parent; s >= 0; s = steps[s].parent) out.push(steps[s].message);
  return out.reverse();
}

/**
 * Where process p can stand after restoring a checkpoint (ascending): the checkpoint itself,
 * or just after a logged receive reached by replaying from the latest checkpoint before it,
 * when every receive in between is logged. Replay re-executes the events in between and feeds
 * the logged messages in order; it stops at the first unlogged receive (its message is lost)
 * and, past the last logged receive, has nothing left to feed: what the process did after it
 * may have hung on input no log holds. Without logged receives these are the checkpoints.
 */
export function restartPositions(comp: Computation, p: number): number[] {
  const out = [0];
  let replayable = true;
  for (const e of comp.events[p]) {
    if (e.kind === "checkpoint") {
      out.push(e.index + 1);
      replayable = true;
    } else if (e.kind === "receive") {
      if (!e.logged) replayable = false;
      else if (replayable) out.push(e.index + 1);
    }
  }
  return out;
}

export interface RecoveryLine {
  readonly cut: number[];
  /** Where each process started: failed, as far as replay from its latest checkpoint reaches; else the end of its log. */
  readonly start: number[];
  /** Per process, the events replayed from the log after its restored checkpoint (0 for a process kept at its end). */
  readonly replayed: number[];
  readonly result: RollbackResult;
}

/** The latest checkpoint position of p at or before position k. */
export function checkpointAtOrBefore(comp: Computation, p: number, k: number): number {
  return latestAtOrBefore(comp.checkpoints[p].map((c) => c.position), k);
}

/**
 * The recovery line for the failure of `failed` (process indices): failed processes start
 * from their latest checkpoint, replayed as far as their logged receives reach; the others at
 * the end of their logs. Rollback may push any process back to any restart position
 * (restartPositions: a checkpoint, or one followed by a replay of logged receives).
 */
export function recoveryLine(comp: Computation, failed: readonly number[]): RecoveryLine {
  const allowed = comp.processes.map((_, p) => restartPositions(comp, p));
  const start = comp.events.map((evs, p) => (failed.includes(p) ? allowed[p][allowed[p].length - 1] : evs.length));
  const result = rollback(comp, start, allowed);
  const replayed = result.cut.map((k, p) => (!failed.includes(p) && k === start[p] ? 0 : k - checkpointAtOrBefore(comp, p, k)));
  return { cut: result.cut, start, replayed, result };
}

export interface UselessCheckpoint {
  readonly process: number;
  readonly id: string;
  readonly position: number;
  /**
   * The Z-cycle through it (message indices): the first is sent by its process after the
   * checkpoint, each next one is sent by the receiver of the previous in the same or a later
   * checkpoint interval, the last is received by its process before the checkpoint. Usually
   * a shortest one; zCycles (zpaths.ts) says which one exactly.
   */
  readonly zCycle: number[];
}

/**
 * The checkpoints that belong to no consistent global checkpoint. A global checkpoint picks
 * one checkpoint per process, the initial one and the end of the log (a volatile final
 * checkpoint, as Netzer and Xu assume) included: with that, "useless" is exactly "on a
 * Z-cycle", and a checkpoint reported useless stays useless however the run continues.
 * Decided by strongly connected components of the checkpoint-interval graph (zpaths.ts):
 * O(intervals + messages), plus the Z-cycles of the useless ones. By process, then position.
 */
export function uselessCheckpoints(comp: Computation): UselessCheckpoint[] {
  return zCycles(comp).map((z) => {
    const c = comp.checkpoints[z.process][z.checkpoint];
    return { process: z.process, id: c.id, position: c.position, zCycle: z.messages };
  });
}

/** The latest consistent global checkpoint containing checkpoint position `k` of `p`, or null. */
export function latestGlobalCheckpointThrough(comp: Computation, p: number, k: number): number[] | null {
  const allowed = checkpointPositions(comp).map((a, q) => [...a, comp.events[q].length]);
  const start = comp.events.map((e, q) => (q === p ? k : e.length));
  const r = rollback(comp, start, allowed, p);
  return r.blocked ? null : r.cut;
}
