/**
 * dscheck's public API: what a spec file imports (`import { defineSpec } from "dscheck"`)
 * and what programs embedding the checker use.
 */
export { defineSpec, action, always, sometimes, atEnd, range, setAt } from "./spec/spec.ts";
export type { Spec, ActionDef, Property, ParamDecls, ParamValues, CheckResult } from "./spec/spec.ts";
export { ValueSet, ValueMap, compareValues } from "./values/value.ts";
export type { Value } from "./values/value.ts";
export { Encoder } from "./values/encode.ts";
export { decode } from "./values/decode.ts";
export { hashWords } from "./values/hash.ts";
export { Fingerprinter } from "./values/fingerprint.ts";
export { explore } from "./explore/explore.ts";
export { Model } from "./explore/model.ts";
export { ParamError, resolveParams, describeParams, parseParamAssignments } from "./explore/params.ts";
export { SpecError } from "./explore/spec-error.ts";
export type { SpecErrorInfo } from "./explore/spec-error.ts";
export { replayStates, rebuildTrace } from "./explore/trace.ts";
export { FingerprintSet, collisionProbability } from "./explore/fingerprint-set.ts";
export type { ExploreOptions, ExploreResult, Discovery, TraceStep, Strategy, Progress } from "./explore/types.ts";
export { replay, parseReplayPath } from "./explore/replay.ts";
export type { ReplayResult } from "./explore/replay.ts";
export { linearizableHistory, serializableHistory, eventsToOperations, formatEvents, type ClientEvent, type TxnRecord, type LinearizableHistoryOptions, type SerializableHistoryOptions } from "./spec/history-property.ts";
