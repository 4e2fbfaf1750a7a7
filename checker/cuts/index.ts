/** Consistent cuts, clocks, checkpoints and recovery lines over recorded computations. */
export { buildComputation, topologicalOrder, INITIAL, END, type Computation, type RawEvent, type CutEvent, type Message, type Checkpoint, type EventKind, type RecordedClock } from "./computation.ts";
export { vectorClocks, verifyClocks, happensBeforeOrEqual, type VectorClocks, type ClockError, type EventRef } from "./clocks.ts";
export { evaluateCut, parseCut, orphans, isConsistent, CutSpecError, type Cut, type CutReport, type MessageRef, type ChannelState } from "./cut.ts";
export { rollback, recoveryLine, uselessCheckpoints, latestGlobalCheckpointThrough, checkpointPositions, chainOf, type RollbackResult, type UselessCheckpoint } from "./rollback.ts";
export { consistentCuts, type LatticeResult } from "./lattice.ts";
export { analyze, type CutsAnalysis, type AnalyzeOptions, type RecoveryReport, type RoundReport } from "./analyze.ts";
export { cutsHtml } from "./html.ts";
