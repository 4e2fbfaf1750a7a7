/**
 * Everything `dscheck cuts` reports about one computation, as a plain JSON-ready value:
 * clock verification, the requested cut, the recovery line, useless checkpoints with their
 * Z-cycles, coordinated rounds and (on request) the lattice of consistent cuts.
 */
import { vectorClocks, verifyClocks, type ClockError, type VectorClocks } from "./clocks.ts";
import { END, INITIAL, type Computation } from "./computation.ts";
import { evaluateCut, messageRef, positionName, type Cut, type CutReport, type MessageRef } from "./cut.ts";
import { consistentCuts, type LatticeResult } from "./lattice.ts";
import { chainOf, recoveryLine, uselessCheckpoints } from "./rollback.ts";

export interface AnalyzeOptions {
  readonly cut?: Cut;
  /** Failed process indices. */
  readonly recover?: readonly number[];
  readonly lattice?: { readonly maxCuts: number; readonly list: boolean };
}

export interface Rollback {
  readonly process: string;
  /** Where it stood before and where it stands after (as positionName names them). */
  readonly from: string;
  readonly to: string;
  readonly events: number;
  /** The orphan messages that forced it, the first cause (a send the failure lost) first. */
  readonly chain: readonly MessageRef[];
}

export interface RecoveryReport {
  readonly failed: readonly string[];
  readonly line: Readonly<Record<string, string>>;
  readonly positions: Readonly<Record<string, number>>;
  readonly rolledBackEvents: Readonly<Record<string, number>>;
  /** Rollbacks beyond the start (failed: its latest checkpoint; others: the end of its log). */
  readonly rollbacks: readonly Rollback[];
  readonly dominoEffect: boolean;
  /** Processes pushed back to their initial checkpoint by rollback propagation. */
  readonly dominoProcesses: readonly string[];
  readonly lostMessages: readonly MessageRef[];
}

export interface RoundReport {
  readonly round: number;
  readonly complete: boolean;
  readonly missing: readonly string[];
  readonly checkpoints: Readonly<Record<string, string>>;
  /** Absent for an incomplete round (it is no global checkpoint). */
  readonly consistent?: boolean;
  readonly orphans?: readonly MessageRef[];
}

export interface UselessReport {
  readonly id: string;
  readonly process: string;
  readonly zCycle: readonly MessageRef[];
}

export interface CutsAnalysis {
  readonly status: "ok" | "violation" | "incomplete";
  /** One line per reason for the status. */
  readonly findings: readonly string[];
  readonly processes: readonly { readonly name: string; readonly events: number; readonly checkpoints: readonly string[] }[];
  readonly events: number;
  readonly messages: number;
  readonly clockKind: Computation["clockKind"];
  readonly clockErrors: readonly ClockError[];
  readonly clockErrorCount: number;
  readonly consistent?: boolean;
  readonly orphans?: readonly MessageRef[];
  readonly cut?: CutReport;
  readonly recoveryLine?: Readonly<Record<string, string>>;
  readonly rolledBackEvents?: Readonly<Record<string, number>>;
  readonly dominoEffect?: boolean;
  readonly recovery?: RecoveryReport;
  readonly uselessCheckpoints: readonly string[];
  readonly useless: readonly UselessReport[];
  readonly rounds: readonly RoundReport[];
  readonly lattice?: LatticeResult;
}

export function analyze(comp: Computation, options: AnalyzeOptions = {}): { analysis: CutsAnalysis; clocks: VectorClocks } {
  const clocks = vectorClocks(comp);
  const findings: string[] = [];
  let violation = false, incomplete = false;
  const { errors, total } = verifyClocks(comp, clocks);
  if (total > 0) {
    violation = true;
    findings.push(`${total} clock error(s); first: ${errors[0].message}`);
  }
  let cut: CutReport | undefined;
  if (options.cut) {
    cut = evaluateCut(comp, options.cut);
    if (!cut.consistent) {
      violation = true;
      const o = cut.orphans[0];
      findings.push(`the cut is inconsistent: ${cut.orphans.length} orphan message(s); "${o.msg}" is received by ${o.to} inside the cut (event ${o.receiveIndex}) but sent by ${o.from} outside it (event ${o.sendIndex})`);
    }
  }
  let recovery: RecoveryReport | undefined;
  if (options.recover) {
    recovery = recover(comp, options.recover);
    if (recovery.dominoEffect) {
      violation = true;
      findings.push(`domino effect: recovering ${recovery.failed.join(", ")} pushes ${recovery.dominoProcesses.join(", ")} back to the initial checkpoint`);
    }
  }
  const useless = uselessCheckpoints(comp).map((u) => ({ id: u.id, process: comp.processes[u.process], zCycle: u.zCycle.map((m) => messageRef(comp, m)) }));
  const rounds = roundReports(comp);
  for (const r of rounds) {
    if (r.complete && !r.consistent) {
      violation = true;
      const o = r.orphans![0];
      findings.push(`coordinated round ${r.round} is not a consistent global checkpoint: "${o.msg}" is received by ${o.to} before its checkpoint but sent by ${o.from} after its own`);
    }
  }
  let lattice: LatticeResult | undefined;
  if (options.lattice) {
    lattice = consistentCuts(comp, clocks, { maxCuts: options.lattice.maxCuts, list: options.lattice.list });
    if (!lattice.complete) {
      incomplete = true;
      findings.push(`more than ${options.lattice.maxCuts} consistent cuts: the count stopped at the budget (--max-cuts)`);
    }
  }
  const analysis: CutsAnalysis = {
    status: violation ? "violation" : incomplete ? "incomplete" : "ok",
    findings,
    processes: comp.processes.map((name, p) => ({ name, events: comp.events[p].length, checkpoints: comp.checkpoints[p].slice(1).map((c) => c.id) })),
    events: comp.events.reduce((a, e) => a + e.length, 0),
    messages: comp.messages.length,
    clockKind: comp.clockKind,
    clockErrors: errors,
    clockErrorCount: total,
    ...(cut ? { consistent: cut.consistent, orphans: cut.orphans, cut } : {}),
    ...(recovery ? { recoveryLine: recovery.line, rolledBackEvents: recovery.rolledBackEvents, dominoEffect: recovery.dominoEffect, recovery } : {}),
    uselessCheckpoints: useless.map((u) => u.id),
    useless,
    rounds,
    ...(lattice ? { lattice } : {}),
  };
  return { analysis, clocks };
}

/** Names a recovery-line position: a checkpoint id or `initial`, or `end` for a process that keeps its whole log. */
function recoveryName(comp: Computation, p: number, k: number): string {
  if (k === comp.events[p].length) return k === 0 ? INITIAL : END;
  const c = comp.checkpoints[p].find((x) => x.position === k);
  return c ? c.id : String(k);
}

function recover(comp: Computation, failed: readonly number[]): RecoveryReport {
  const r = recoveryLine(comp, failed);
  // Keyed by process name: no prototype, so that a process named __proto__ or constructor is a key like any other.
  const line: Record<string, string> = Object.create(null), positions: Record<string, number> = Object.create(null), rolledBackEvents: Record<string, number> = Object.create(null);
  const rollbacks: Rollback[] = [];
  const domino: string[] = [];
  comp.processes.forEach((name, p) => {
    const k = r.cut[p];
    // A failed process restores a checkpoint even when it is its last event: name the checkpoint.
    line[name] = failed.includes(p) ? comp.checkpoints[p].find((c) => c.position === k)!.id : recoveryName(comp, p, k);
    positions[name] = k;
    rolledBackEvents[name] = comp.events[p].length - k;
    const last = r.result.lastStep[p];
    if (last >= 0) {
      const step = r.result.steps[last];
      rollbacks.push({
        process: name,
        from: failed.includes(p) ? comp.checkpoints[p].find((c) => c.position === r.start[p])!.id : END,
        to: line[name],
        events: r.start[p] - k,
        chain: chainOf(r.result.steps, step).map((m) => messageRef(comp, m)),
      });
      // The domino effect: rollback propagation, not the failure itself, reaches the initial state.
      if (k === 0) domino.push(name);
    }
  });
  const lost: MessageRef[] = [];
  comp.messages.forEach((m, i) => {
    if (failed.includes(m.from) && m.sendIndex >= r.start[m.from] && m.recvIndex >= 0) lost.push(messageRef(comp, i));
  });
  return {
    failed: failed.map((p) => comp.processes[p]),
    line, positions, rolledBackEvents, rollbacks,
    dominoEffect: domino.length > 0,
    dominoProcesses: domino,
    lostMessages: lost,
  };
}

function roundReports(comp: Computation): RoundReport[] {
  const rounds = new Map<number, Map<number, { id: string; position: number }>>();
  for (const cs of comp.checkpoints) for (const c of cs) if (c.round !== undefined) {
    const m = rounds.get(c.round) ?? rounds.set(c.round, new Map()).get(c.round)!;
    m.set(c.process, { id: c.id, position: c.position });
  }
  return [...rounds.keys()].sort((a, b) => a - b).map((round) => {
    const m = rounds.get(round)!;
    const missing = comp.processes.filter((_, p) => !m.has(p));
    const checkpoints: Record<string, string> = Object.create(null);
    for (const [p, c] of m) checkpoints[comp.processes[p]] = c.id;
    // A round some process has not reached yet (the log ends mid-round) is reported, not judged:
    // coordinated protocols commit a round only once every process has its checkpoint.
    if (missing.length > 0) return { round, complete: false, missing, checkpoints };
    const cut = evaluateCut(comp, comp.processes.map((_, p) => m.get(p)!.position));
    return { round, complete: true, missing, checkpoints, consistent: cut.consistent, orphans: cut.orphans };
  });
}

export { positionName };
