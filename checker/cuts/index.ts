/** Consistent cuts, clocks, checkpoints and recovery lines over recorded computations. */
export { buildComputation, topologicalOrder, INITIAL, END, type Computation, type RawEvent, type CutEvent, type Message, type Checkpoint, type EventKind, type RecordedClock, type ActivityState } from "./computation.ts";
export { vectorClocks, verifyClocks, happensBeforeOrEqual, type VectorClocks, type ClockError, type EventRef } from "./clocks.ts";
export { evaluateCut, parseCut, orphans, isConsistent, CutSpecError, type Cut, type CutReport, type MessageRef, type ChannelState } from "./cut.ts";
export { rollback, recoveryLine, restartPositions, uselessCheckpoints, latestGlobalCheckpointThrough, checkpointPositions, chainOf, type RollbackResult, type UselessCheckpoint, type RecoveryLine } from "./rollback.ts";
export { evaluateStable, stableReport, deadlockedSet, inFlightAt, STABLE_PROPERTIES, type StableProperty, type StableEvaluation, type StableReport } from "./stable.ts";
export { stateAt, blockedAt } from "./activity.ts";
export { runEventLog, runEvents, RunEventsError } from "./from-run.ts";
export { consistentCuts, type LatticeResult } from "./lattice.ts";
export { analyze, type CutsAnalysis, type AnalyzeOptions, type RecoveryReport, type RoundReport } from "./analyze.ts";
