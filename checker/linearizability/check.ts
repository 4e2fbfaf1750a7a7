/**
 * Checks a history against a model under linearizability or sequential consistency, one
 * partition at a time, and places it on the ladder linearizable / sequentially consistent /
 * neither. Returns values only; printing and exit codes belong to the CLI.
 */
import type { Model } from "./model.ts";
import { effectiveOperations, type Operation } from "./history.ts";
import { partitionHistory, productModel } from "./partition.ts";
import { searchLinearization } from "./wgl.ts";
import { searchSequential } from "./sequential.ts";
import type { Budget } from "./budget.ts";
import type { SearchResult } from "./search-result.ts";

export type Criterion = "linearizable" | "sequential";

/** Options for `checkHistory`. Without `now` and `deadline` the search is unbounded. */
export interface CheckOptions {
  /** Default "linearizable". */
  readonly criterion?: Criterion;
  /** A clock in milliseconds; needed with `deadline`. The core never reads one itself. */
  readonly now?: () => number;
  /** Absolute time on `now`'s clock after which the search gives up with "unknown". */
  readonly deadline?: number;
  /** When the criterion fails, also try the weaker one to place the history on the ladder. Default true. */
  readonly ladder?: boolean;
  /** Deadline for that extra step (sequential consistency can be far costlier). Default `deadline`. */
  readonly ladderDeadline?: number;
}

/** The outcome of one partition; indexes in `result` refer to `ops`. */
export interface PartitionOutcome<S = unknown, I = unknown, O = unknown> {
  readonly key: string | undefined;
  readonly ops: readonly Operation<I, O>[];
  readonly result: SearchResult<S>;
  readonly criterion: Criterion;
}

/** Where the history sits: "linearizable" implies sequentially consistent. */
export type ConsistencyLevel = "linearizable" | "sequential" | "neither" | "unknown";

export interface CheckResult<S = unknown, I = unknown, O = unknown> {
  readonly status: "ok" | "violation" | "unknown";
  readonly criterion: Criterion;
  readonly level: ConsistencyLevel;
  /** One per partition for the requested criterion, in key order of first appearance. */
  readonly partitions: readonly PartitionOutcome<S, I, O>[];
  /** The failing or undecided partitions of the weaker criterion when the ladder was climbed. */
  readonly sequential?: readonly PartitionOutcome<unknown, I, O>[];
  readonly operationCount: number;
  /** Partitions of the history (the search stops at the first failing one). */
  readonly partitionCount: number;
}

function budgetOf(opts: CheckOptions): Budget | undefined {
  return opts.now && opts.deadline !== undefined ? { now: opts.now, deadline: opts.deadline } : undefined;
}

function worst(results: readonly { result: SearchResult<unknown> }[]): "ok" | "violation" | "unknown" {
  if (results.some((p) => p.result.status === "violation")) return "violation";
  return results.some((p) => p.result.status === "unknown") ? "unknown" : "ok";
}

function checkLinearizable<S, I, O>(model: Model<S, I, O>, ops: Operation<I, O>[], budget?: Budget): PartitionOutcome<S, I, O>[] {
  const out: PartitionOutcome<S, I, O>[] = [];
  for (const part of partitionHistory(model, ops)) {
    const result = searchLinearization(model, model.init(), part.ops, budget);
    out.push({ key: part.key, ops: part.ops, result, criterion: "linearizable" });
    if (result.status === "violation") break; // one failing key decides the history
  }
  return out;
}

/** Sequential consistency is not compositional: keys refute alone but must pass together. */
function checkSequential<S, I, O>(model: Model<S, I, O>, ops: Operation<I, O>[], budget?: Budget): PartitionOutcome<unknown, I, O>[] {
  const out: PartitionOutcome<unknown, I, O>[] = [];
  const parts = partitionHistory(model, ops);
  for (const part of parts) {
    const result = searchSequential(model, model.init(), part.ops, budget);
    out.push({ key: part.key, ops: part.ops, result, criterion: "sequential" });
    if (result.status !== "ok") return out;
  }
  if (parts.length <= 1) return out;
  const whole = productModel(model);
  const result = searchSequential(whole, whole.init(), ops, budget);
  return [{ key: undefined, ops, result, criterion: "sequential" }];
}

/**
 * Checks `history` (fail operations are dropped, info/pending ones are indeterminate) against
 * `model`. Status "unknown" means the deadline passed first: never reported as "ok".
 */
export function checkHistory<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[], opts: CheckOptions = {}): CheckResult<S, I, O> {
  const criterion = opts.criterion ?? "linearizable";
  const budget = budgetOf(opts);
  const ops = effectiveOperations(history);
  const partitionCount = model.partitioned ? partitionHistory(model, ops).length : 1;
  if (criterion === "sequential") {
    const parts = checkSequential(model, ops, budget);
    const status = worst(parts);
    const level = status === "violation" ? "neither" : status === "ok" ? "sequential" : "unknown";
    return { status, criterion, level, partitions: parts as PartitionOutcome<S, I, O>[], operationCount: ops.length, partitionCount };
  }
  const parts = checkLinearizable(model, ops, budget);
  let status = worst(parts);
  if (status === "ok") return { status, criterion, level: "linearizable", partitions: parts, operationCount: ops.length, partitionCount };
  if (opts.ladder === false) return { status, criterion, level: "unknown", partitions: parts, operationCount: ops.length, partitionCount };
  const ladderBudget = opts.now && opts.ladderDeadline !== undefined ? { now: opts.now, deadline: opts.ladderDeadline } : budget;
  const sequential = checkSequential(model, ops, ladderBudget);
  const seqStatus = worst(sequential);
  // Not sequentially consistent implies not linearizable, even if the WGL search ran out of time.
  if (seqStatus === "violation") status = "violation";
  const level: ConsistencyLevel =
    seqStatus === "violation" ? "neither" : status === "violation" && seqStatus === "ok" ? "sequential" : "unknown";
  return { status, criterion, level, partitions: parts, sequential, operationCount: ops.length, partitionCount };
}
