/**
 * Rollback propagation, the one fixpoint behind recovery lines and useless checkpoints.
 *
 * Start from a cut and a set of positions each process may stand at (its checkpoints, the
 * initial one included, and for some processes the end of its log). While a message is an
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
 * The fixpoint from `start`. `pinned` (a process index or -1) may not move: the first orphan
 * received by it stops the search with `blocked`.
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

function latestAtOrBefore(sorted: readonly number[], x: number): number {
  let best = 0;
  for (const v of sorted) if (v <= x && v > best) best = v;
  return best;
}

/** The chain of orphan messages (indices) that led to `step`, first cause first. */
export function chainOf(steps: readonly RollbackStep[], step: RollbackStep): number[] {
  const out: number[] = [step.message];
  for (let s = step.parent; s >= 0; s = steps[s].parent) out.push(steps[s].message);
  return out.reverse();
}

export interface RecoveryLine {
  readonly cut: number[];
  /** Where each process started: its latest checkpoint if failed, else the end of its log. */
  readonly start: number[];
  readonly result: RollbackResult;
}

/**
 * The recovery line for the failure of `failed` (process indices): failed processes start at
 * their latest checkpoint, the others at the end of their logs; every process may fall back
 * to any of its checkpoints.
 */
export function recoveryLine(comp: Computation, failed: readonly number[]): RecoveryLine {
  const allowed = checkpointPositions(comp);
  const start = comp.events.map((evs, p) => (failed.includes(p) ? allowed[p][allowed[p].length - 1] : evs.length));
  const result = rollback(comp, start, allowed);
  return { cut: result.cut, start, result };
}

export interface UselessCheckpoint {
  readonly process: number;
  readonly id: string;
  readonly position: number;
  /**
   * The Z-cycle through it (message indices): the first is sent by its process after the
   * checkpoint, each next one is sent by the receiver of the previous in the same or a later
   * checkpoint interval, the last is received by its process before the checkpoint.
   */
  readonly zCycle: number[];
}

/**
 * The checkpoints that belong to no consistent global checkpoint. A global checkpoint picks
 * one checkpoint per process, the initial one and the end of the log (a volatile final
 * checkpoint, as Netzer and Xu assume) included: with that, "useless" is exactly "on a
 * Z-cycle", and a checkpoint reported useless stays useless however the run continues.
 * For each checkpoint C of p, the fixpoint from (C, every other process at its end) with p
 * pinned either finds the latest consistent global checkpoint through C or is blocked by the
 * last message of a Z-cycle.
 */
export function uselessCheckpoints(comp: Computation): UselessCheckpoint[] {
  const allowed = checkpointPositions(comp).map((a, p) => [...a, comp.events[p].length]);
  const out: UselessCheckpoint[] = [];
  for (const cs of comp.checkpoints) {
    for (const c of cs) {
      if (c.position === 0) continue;
      const start = comp.events.map((e, q) => (q === c.process ? c.position : e.length));
      const r = rollback(comp, start, allowed, c.process);
      if (r.blocked) out.push({ process: c.process, id: c.id, position: c.position, zCycle: chainOf(r.steps, r.blocked) });
    }
  }
  return out;
}

/** The latest consistent global checkpoint containing checkpoint position `k` of `p`, or null. */
export function latestGlobalCheckpointThrough(comp: Computation, p: number, k: number): number[] | null {
  const allowed = checkpointPositions(comp).map((a, q) => [...a, comp.events[q].length]);
  const start = comp.events.map((e, q) => (q === p ? k : e.length));
  const r = rollback(comp, start, allowed, p);
  return r.blocked ? null : r.cut;
}
