/**
 * Everything `dscheck cuts` reports about one computation, as a plain JSON-ready value:
 * clock verification, the requested cut and a stable property on it (stable.ts), the recovery
 * line (with replay of logged receives), useless checkpoints with their Z-cycles, coordinated
 * rounds and (on request) the lattice of consistent cuts.
 */
import { vectorClocks, verifyClocks, type ClockError, type VectorClocks } from "./clocks.ts";
import { END, INITIAL, type Computation } from "./computation.ts";
import { evaluateCut, messageRef, positionName, type Cut, type CutReport, type MessageRef } from "./cut.ts";
import { consistentCuts, type LatticeResult } from "./lattice.ts";
import { chainOf, checkpointAtOrBefore, recoveryLine, uselessCheckpoints } from "./rollback.ts";
import { stableReport, type StableProperty, type StableReport } from "./stable.ts";

export interface AnalyzeOptions {
  readonly cut?: Cut;
  /** Failed process indices. */
  readonly recover?: readonly number[];
  readonly lattice?: { readonly maxCuts: number; readonly list: boolean };
  /** A stable property to evaluate on `cut` (which must be given). */
  readonly stable?: StableProperty;
  /** Z-cycle messages listed in full at most (default ZCYCLE_MESSAGES_LISTED). */
  readonly zCycleMessagesListed?: number;
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
  /** Per process, the events replayed from the message log after its restored checkpoint. */
  readonly replayedEvents: Readonly<Record<string, number>>;
  /** Logged receives whose send the recovery undoes: orphaned log entries, to be discarded, never replayed. */
  readonly orphanedLogEntries: readonly MessageRef[];
  /** Rollbacks beyond the start (failed: its latest checkpoint, replayed as far as its log reaches; others: the end of its log). */
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
  /** Messages on the Z-cycle reported for it. */
  readonly zCycleLength: number;
  /** The Z-cycle itself; left out once the report lists ZCYCLE_MESSAGES_LISTED messages in all. */
  readonly zCycle?: readonly MessageRef[];
}

/**
 * Z-cycles are listed in full up to this many messages in all: a log with thousands of long
 * cycles (a 1,000-process token ring: 18 k useless checkpoints, about 1,000 messages each)
 * would otherwise make a report of gigabytes and exhaust the heap. Every useless checkpoint
 * is still named, with its cycle's length.
 */
export const ZCYCLE_MESSAGES_LISTED = 200_000;

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
  readonly stable?: StableReport;
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
  let stable: StableReport | undefined;
  if (options.stable && options.cut) {
    stable = stableReport(comp, options.cut, options.stable);
    const finding = stableFinding(stable);
    if (finding) {
      violation = true;
      findings.push(finding);
    }
  }
  let recovery: RecoveryReport | undefined;
  if (options.recover) {
    recovery = recoveryReport(comp, options.recover);
    if (recovery.dominoEffect) {
      violation = true;
      findings.push(`domino effect: recovering ${recovery.failed.join(", ")} pushes ${recovery.dominoProcesses.join(", ")} back to the initial checkpoint`);
    }
  }
  let listed = 0;
  const useless = uselessCheckpoints(comp).map((u): UselessReport => {
    const base = { id: u.id, process: comp.processes[u.process], zCycleLength: u.zCycle.length };
    if (listed + u.zCycle.length > (options.zCycleMessagesListed ?? ZCYCLE_MESSAGES_LISTED)) return base;
    listed += u.zCycle.length;
    return { ...base, zCycle: u.zCycle.map((m) => messageRef(comp, m)) };
  });
  const rounds = roundReports(comp, clocks);
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
    ...(stable ? { stable } : {}),
    ...(recovery ? { recoveryLine: recovery.line, rolledBackEvents: recovery.rolledBackEvents, dominoEffect: recovery.dominoEffect, recovery } : {}),
    uselessCheckpoints: useless.map((u) => u.id),
    useless,
    rounds,
    ...(lattice ? { lattice } : {}),
  };
  return { analysis, clocks };
}

/**
 * The finding a stable-property report adds, if any: termination that does not hold, a
 * deadlock that does. An inconsistent cut is already a finding of its own.
 */
function stableFinding(s: StableReport): string | undefined {
  if (!s.consistentCut) return undefined;
  if (s.property === "termination") {
    if (s.holds) return undefined;
    const why = [s.active.length ? `${s.active.join(", ")} active` : "", s.inFlight.length ? `${s.inFlight.length} message(s) in flight (${s.inFlight.slice(0, 5).join(", ")})` : ""].filter((x) => x);
    return `termination does not hold on the cut: ${why.join("; ")} (a stable property that is false on a snapshot may still become true later)`;
  }
  return s.holds ? `deadlock on the cut: ${s.deadlocked.join(", ")} wait for one another (cycle ${s.cycle.join(" -> ")}) with no message in flight to unblock them; deadlock is stable, so they are still deadlocked at the end of the log` : undefined;
}

/**
 * Names a recovery-line position: a checkpoint id or `initial`, `end` for a process that keeps
 * its whole log, or `C+n` for checkpoint C followed by n events replayed from the message log.
 */
function recoveryName(comp: Computation, p: number, k: number, keepsEnd: boolean): string {
  if (keepsEnd && k === comp.events[p].length) return k === 0 ? INITIAL : END;
  const c = checkpointAtOrBefore(comp, p, k);
  const id = comp.checkpoints[p].find((x) => x.position === c)!.id;
  return k === c ? id : `${id}+${k - c}`;
}

/** The recovery report for the failure of `failed` (process indices): the line, rollbacks with their orphan chains, the domino effect. */
export function recoveryReport(comp: Computation, failed: readonly number[]): RecoveryReport {
  const r = recoveryLine(comp, failed);
  // Keyed by process name: no prototype, so that a process named __proto__ or constructor is a key like any other.
  const line: Record<string, string> = Object.create(null), positions: Record<string, number> = Object.create(null), rolledBackEvents: Record<string, number> = Object.create(null), replayedEvents: Record<string, number> = Object.create(null);
  const rollbacks: Rollback[] = [];
  const domino: string[] = [];
  comp.processes.forEach((name, p) => {
    const k = r.cut[p];
    // A failed process restores a checkpoint even when replay reaches its last event: name the checkpoint.
    line[name] = recoveryName(comp, p, k, !failed.includes(p) && k === r.start[p]);
    positions[name] = k;
    rolledBackEvents[name] = comp.events[p].length - k;
    replayedEvents[name] = r.replayed[p];
    const last = r.result.lastStep[p];
    if (last >= 0) {
      const step = r.result.steps[last];
      rollbacks.push({
        process: name,
        from: failed.includes(p) ? recoveryName(comp, p, r.start[p], false) : END,
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
  const orphanedLog: MessageRef[] = [];
  comp.messages.forEach((m, i) => {
    if (m.recvIndex >= r.cut[m.to] && m.sendIndex >= r.cut[m.from] && comp.events[m.to][m.recvIndex].logged) orphanedLog.push(messageRef(comp, i));
  });
  return {
    failed: failed.map((p) => comp.processes[p]),
    line, positions, rolledBackEvents, replayedEvents, orphanedLogEntries: orphanedLog, rollbacks,
    dominoEffect: domino.length > 0,
    dominoProcesses: domino,
    lostMessages: lost,
  };
}

/**
 * Per coordinated round (ascending): complete or not, and for a complete one whether it is a
 * consistent global checkpoint. Consistency by vector clocks, O(processes^2) a round: a cut
 * is consistent iff no event outside it happens before its last event on some process.
 * Orphans are listed (a pass over the messages) for the inconsistent rounds only.
 */
export function roundReports(comp: Computation, clocks: VectorClocks = vectorClocks(comp)): RoundReport[] {
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
    const cut = comp.processes.map((_, p) => m.get(p)!.position);
    const consistent = cut.every((k, p) => k === 0 || cut.every((kq, q) => clocks[p][k - 1][q] <= kq));
    return { round, complete: true, missing, checkpoints, consistent, orphans: consistent ? [] : evaluateCut(comp, cut).orphans };
  });
}

export { positionName };
