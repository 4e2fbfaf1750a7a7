/**
 * The budgets of a search: time, memory and cache size. The core never reads the clock or
 * the process's memory itself: the caller passes `now` (any monotonic clock in
 * milliseconds) with an absolute `deadline`, and optionally `memoryExceeded`. Whichever runs
 * out first ends the search with "unknown" and says which (`BudgetReason`).
 */
export interface Budget {
  readonly now: () => number;
  /** Absolute time on `now`'s clock after which the search stops with "unknown". */
  readonly deadline: number;
  /** True when the process uses more memory than allowed (read every few thousand steps). */
  readonly memoryExceeded?: () => boolean;
  /** At most this many configurations in one search's cache (default DEFAULT_MAX_CONFIGURATIONS). */
  readonly maxConfigurations?: number;
}

/** Which budget ended a search. "memory" also covers an allocation the runtime refused. */
export type BudgetReason = "time" | "memory" | "cache";

/**
 * How many search steps run between two clock readings (a power of two minus one): about
 * 25 µs of compiled search, a few ms of a cold one. The search pauses its loop there.
 */
export const CLOCK_CHECK_MASK = 0x1fff;

/**
 * Default cache-size budget per search: well below the 2^24 entries a JavaScript Map can
 * hold, and about 400 MB of cache for a 200-operation partition.
 */
export const DEFAULT_MAX_CONFIGURATIONS = 8_000_000;

/** The budget that is spent, or undefined. No budget means unlimited time and memory. */
export function spent(budget: Budget | undefined): BudgetReason | undefined {
  if (budget === undefined) return undefined;
  if (budget.now() > budget.deadline) return "time";
  if (budget.memoryExceeded?.()) return "memory";
  return undefined;
}

/** True when the time or memory budget is spent. */
export function expired(budget: Budget | undefined): boolean {
  return spent(budget) !== undefined;
}

/** The cache-size limit of a budget. */
export function configurationLimit(budget: Budget | undefined): number {
  return budget?.maxConfigurations ?? DEFAULT_MAX_CONFIGURATIONS;
}

/** Whether `e` is the runtime refusing an allocation (a Map or typed array too large). */
export function isAllocationFailure(e: unknown): boolean {
  return e instanceof RangeError && /maximum size|allocation failed|Invalid typed array length|Invalid array length|Array buffer/i.test(e.message);
}
