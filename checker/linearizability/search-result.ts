import type { BudgetReason } from "./budget.ts";

/** What one search (one partition, one criterion) returns. Indexes refer to its ops array. */
export interface SearchResult<S> {
  /** "unknown" means a budget ran out: neither a linearization nor a proof of none. */
  readonly status: "ok" | "violation" | "unknown";
  /** For "ok" a complete valid order; otherwise the longest valid prefix found. */
  readonly order: readonly number[];
  /** Model state after applying `order` from the initial state. */
  readonly stateAfter: S;
  /** For a violation: an operation that could not be placed after the longest prefix. */
  readonly blocker?: number;
  /** Distinct (placed set, state) configurations visited. */
  readonly explored: number;
  /** For "unknown": which budget ran out. */
  readonly reason?: BudgetReason;
}
