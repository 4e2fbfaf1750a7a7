/**
 * Checks a history against a model under linearizability or sequential consistency, one
 * partition at a time, and places it on the ladder linearizable / sequentially consistent /
 * neither. Returns values only; printing and exit codes belong to the CLI.
 */
import type { Model } from "./model.ts";
import { effectiveOperations, type Operation } from "./history.ts";
import { partitionHistory, productModel } from "./partition.ts";
import { LinearizationSearch } from "./wgl.ts";
import { searchSequential } from "./sequential.ts";
import type { Budget, BudgetReason } from "./budget.ts";
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
  /** True when the process uses more memory than allowed; read with the clock. */
  readonly memoryExceeded?: () => boolean;
  /** Cache-size budget: at most this many configurations per search (default 8 million). */
  readonly maxConfigurations?: number;
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
  /** For status "unknown": the budget that ran out first (time, memory or cache size). */
  readonly reason?: BudgetReason;
}

function budgetOf(opts: CheckOptions, deadline = opts.deadline): Budget | undefined {
  if (!opts.now && opts.memoryExceeded === undefined && opts.maxConfigurations === undefined) return undefined;
  return {
    now: opts.now ?? (() => 0),
    deadline: opts.now && deadline !== undefined ? deadline : Infinity,
    memoryExceeded: opts.memoryExceeded,
    maxConfigurations: opts.maxConfigurations,
  };
}

function reasonOf(results: readonly { result: SearchResult<unknown> }[]): BudgetReason | undefined {
  return results.find((p) => p.result.status === "unknown")?.result.reason;
}

/** Steps of the first turn each partition gets; every round doubles it. */
const FIRST_SLICE = 2048;

function worst(results: readonly { result: SearchResult<unknown> }[]): "ok" | "violation" | "unknown" {
  if (results.some((p) => p.result.status === "violation")) return "violation";
  return results.some((p) => p.result.status === "unknown") ? "unknown" : "ok";
}

/**
 * Linearizability is compositional: every key must pass, and one failing key decides the
 * history. Keys are searched in turns of doubling length, so an easy failing key is found
 * before a hard one has used the whole budget; keys still undecided when one fails are left
 * out of the result. When a budget runs out, every undecided key is "unknown".
 */
function checkLinearizable<S, I, O>(model: Model<S, I, O>, ops: Operation<I, O>[], budget?: Budget): PartitionOutcome<S, I, O>[] {
  const parts = partitionHistory(model, ops);
  const searches = parts.map((part) => new LinearizationSearch(model, model.init(), part.ops, budget));
  const results: (SearchResult<S> | undefined)[] = parts.map(() => undefined);
  const outcome = (k: number): PartitionOutcome<S, I, O> => ({ key: parts[k].key, ops: parts[k].ops, result: results[k]!, criterion: "linearizable" });
  let open = parts.length;
  for (let slice = parts.length === 1 ? Infinity : FIRST_SLICE; open > 0; slice *= 2) {
    for (let k = 0; k < parts.length; k++) {
      if (results[k]) continue;
      const r = searches[k].run(slice);
      if (!r) continue;
      results[k] = r;
      open--;
      if (r.status === "violation") return parts.map((_, j) => j).filter((j) => results[j] && results[j]!.status !== "unknown").map(outcome);
      // A key out of cache space is undecided on its own; another key may still fail.
      if (r.status === "unknown" && r.reason !== "cache") {
        // A budget is spent: every key still open is undecided too, with its partial result.
        for (let j = 0; j < parts.length; j++) if (!results[j]) results[j] = searches[j].run(0) ?? { ...searches[j].partial(), reason: r.reason };
        return parts.map((_, j) => outcome(j));
      }
    }
  }
  return parts.map((_, j) => outcome(j));
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
  const withReason = <R extends CheckResult<S, I, O>>(r: R): R => {
    if (r.status !== "unknown") return r;
    const reason = reasonOf(r.partitions) ?? reasonOf(r.sequential ?? []);
    return reason ? { ...r, reason } : r;
  };
  if (criterion === "sequential") {
    const parts = checkSequential(model, ops, budget);
    const status = worst(parts);
    const level = status === "violation" ? "neither" : status === "ok" ? "sequential" : "unknown";
    return withReason({ status, criterion, level, partitions: parts as PartitionOutcome<S, I, O>[], operationCount: ops.length, partitionCount });
  }
  const parts = checkLinearizable(model, ops, budget);
  let status = worst(parts);
  if (status === "ok") return { status, criterion, level: "linearizable", partitions: parts, operationCount: ops.length, partitionCount };
  if (opts.ladder === false) return withReason({ status, criterion, level: "unknown", partitions: parts, operationCount: ops.length, partitionCount });
  const ladderBudget = opts.ladderDeadline !== undefined ? budgetOf(opts, opts.ladderDeadline) : budget;
  const sequential = checkSequential(model, ops, ladderBudget);
  const seqStatus = worst(sequential);
  // Not sequentially consistent implies not linearizable, even if the WGL search ran out of time.
  if (seqStatus === "violation") status = "violation";
  const level: ConsistencyLevel =
    seqStatus === "violation" ? "neither" : status === "violation" && seqStatus === "ok" ? "sequential" : "unknown";
  return withReason({ status, criterion, level, partitions: parts, sequential, operationCount: ops.length, partitionCount });
}
