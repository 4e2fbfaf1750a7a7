/**
 * The history checkers as a library (`import { checkHistory } from "dscheck/history"`):
 * linearizability / sequential consistency of recorded histories, the built-in sequential
 * models, and the readers of the formats `dscheck history check` reads. The isolation
 * checker is `dscheck/isolation` (checker/serializability/index.ts). A facade over existing
 * modules, kept here because the package's public entries live in package.json "exports".
 */
export { checkHistory, type CheckOptions, type CheckResult, type Criterion, type ConsistencyLevel, type PartitionOutcome } from "../../checker/linearizability/check.ts";
export { defineModel, ILLEGAL, type Model, type ModelSpec } from "../../checker/linearizability/model.ts";
export { BUILTIN_MODELS, builtinModel, type BuiltinModelOptions } from "../../checker/linearizability/models/registry.ts";
export type { Operation, OpCall, Completion } from "../../checker/linearizability/history.ts";
export { explainPartition, formatExplanation, type ViolationExplanation } from "../../checker/linearizability/explain.ts";
export { HISTORY_FORMATS, readHistory, detectHistoryFormat, type HistoryFormat, type LoadedHistory } from "../../traces/porcupine/read-any.ts";
export { readJepsenHistory } from "../../traces/jepsen/read.ts";
export { readTxnHistory, isTxnHistoryJson } from "../../traces/txn-history/read.ts";
export { InputError } from "../../checker/history/input-error.ts";
