/**
 * A time budget for a search. The core never reads the clock itself: the caller passes
 * `now` (any monotonic clock in milliseconds) and an absolute `deadline` on that clock.
 */
export interface Budget {
  readonly now: () => number;
  /** Absolute time on `now`'s clock after which the search stops with "unknown". */
  readonly deadline: number;
}

/** How many search steps run between two clock readings (a power of two minus one). */
export const CLOCK_CHECK_MASK = 0x3ff;

/** True when the budget is spent. No budget means unlimited. */
export function expired(budget: Budget | undefined): boolean {
  return budget !== undefined && budget.now() > budget.deadline;
}
