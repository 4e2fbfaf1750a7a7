/**
 * dscheck's public API: what a spec file imports (`import { defineSpec } from "dscheck"`)
 * and what programs embedding the checker use. Internals (encoders, fingerprint tables)
 * stay behind it.
 */
export { defineSpec, action, always, sometimes, atEnd, range, setAt } from "./spec/spec.ts";
export type { Spec, ActionDef, Property, ParamDecls, ParamValues, CheckResult, PropertyKind } from "./spec/spec.ts";
export { all, blameOf, isConjunction, type ConjunctionCheck, type ConjunctStatus } from "./spec/conjuncts.ts";
export { ValueSet, ValueMap, compareValues } from "./values/value.ts";
export type { Value } from "./values/value.ts";
export { messageSetEvents, type MessageSetOptions, type StepEvent, type StepEvents, type StepContext, type StepEventKind } from "./spec/step-events.ts";
export { explore } from "./explore/explore.ts";
export { exploreParallel, MAX_WORKERS } from "./explore/parallel/coordinator.ts";
export { sameThreadTransport } from "./explore/parallel/same-thread.ts";
export { ParallelWorker } from "./explore/parallel/worker.ts";
export type { ParallelTransport, WorkerChannel, WorkerSetup, ToWorker, FromWorker } from "./explore/parallel/protocol.ts";
export { exploreGraph, type StateGraph } from "./explore/graph/state-graph.ts";
export { BoundSpec } from "./explore/model/bound-spec.ts";
export { ParamError, resolveParams, describeParams, parseParamAssignments } from "./explore/model/params.ts";
export { SpecError } from "./explore/model/spec-error.ts";
export type { SpecErrorInfo, SpecErrorKind } from "./explore/model/spec-error.ts";
export { replayStates, rebuildTrace, rebuildTraceTail } from "./explore/replay/trace.ts";
export { replay, parseReplayPath } from "./explore/replay/replay.ts";
export type { ReplayResult } from "./explore/replay/replay.ts";
export type { ExploreOptions, ExploreResult, Discovery, TraceStep, Strategy, Progress, ActionCoverage } from "./explore/types.ts";
export { linearizableHistory, serializableHistory, eventsToOperations, formatEvents, type ClientEvent, type TxnRecord, type LinearizableHistoryOptions, type SerializableHistoryOptions } from "./spec/history-property.ts";
export { validateTrace, TraceValidator, TraceInputError } from "./trace/validate.ts";
export type { TraceVerdict, ValidateOptions, CandidateDiagnosis, Reason } from "./trace/validate.ts";
export type { TraceMapping, EventMapping, TraceLine, LoggedVariable, UpdateOp } from "./trace/mapping.ts";
export { ndjsonLine, snapshotLine } from "./trace/line.ts";
export { readItf, writeItf, itfToState, stateToItf, setField, type ItfValue } from "./trace/itf.ts";
export { defineConsensus, type Consensus, type FailureModel } from "./bivalence/consensus.ts";
export { analyzeBivalence, ConsensusError, type BivalenceResult, type BivalenceOptions, type Valence, type ValenceKind, type Witness, type LassoReport, type InitialConfiguration, type SafetyCheck } from "./bivalence/analyze.ts";
export { buildComputation, vectorClocks, verifyClocks, evaluateCut, parseCut, isConsistent, orphans, recoveryLine, uselessCheckpoints, consistentCuts, analyze, CutSpecError, INITIAL as INITIAL_CHECKPOINT } from "./cuts/index.ts";
export type { Computation, RawEvent, CutEvent, Message, Checkpoint, EventKind, RecordedClock, VectorClocks, ClockError, Cut, CutReport, MessageRef, CutsAnalysis, RecoveryReport } from "./cuts/index.ts";
