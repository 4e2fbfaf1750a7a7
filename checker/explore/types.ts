/**
 * Options and results shared by every search strategy. Results are values: the core never
 * prints or exits; the CLI turns a result into text, JSON and an exit code.
 */
import type { SpecErrorInfo } from "./model/spec-error.ts";
import type { ConjunctStatus } from "../spec/conjuncts.ts";

export type Strategy = "bfs" | "dfs" | "simulate";

export interface Progress {
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly depth: number;
  readonly queueSize: number;
  readonly elapsedMs: number;
}

export interface ExploreOptions {
  readonly strategy?: Strategy;
  /** Parameter overrides (strings from a CLI are parsed against the declarations). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Check only these properties (default: all). */
  readonly properties?: readonly string[];
  /** A state with no enabled action is a violation (default: the spec's setting, else true). */
  readonly checkDeadlock?: boolean;
  /** States at this depth are not expanded (a bound: the result can still be "ok"). */
  readonly maxDepth?: number;
  /** Budget: at most this many distinct states; the search that needs one more stops as "incomplete". */
  readonly maxStates?: number;
  /** Budget: stop with "incomplete" once `now()` passes this many ms after the start. */
  readonly timeLimitMs?: number;
  /** Budget hook called every few thousand states (e.g. a memory check); true stops the search as "incomplete". */
  readonly overBudget?: () => string | undefined;
  /** Clock in ms; injected because the core reads no clock of its own. Default: no time budget, elapsed 0. */
  readonly now?: () => number;
  /** Called every 1,024 expanded states (and between simulation runs); budgets are checked at the same points. */
  readonly onProgress?: (p: Progress) => void;
  /** Simulation: random seed (printed in the result for reproduction). */
  readonly seed?: number;
  /** Simulation: number of random runs. */
  readonly runs?: number;
  /** Re-evaluate successors of a sample of states to catch non-determinism (default true). */
  readonly checkDeterminism?: boolean;
  /** BFS: memoize actions over the fields they read (default: the spec's `memoize`, else false; see action-memo.ts). */
  readonly memoize?: boolean;
  /** The memo table's size in 32-bit words before it starts over (default 2^26, 256 MB). */
  readonly memoTableWords?: number;
  /** Parallel BFS (exploreParallel): the number of workers. */
  readonly workers?: number;
}

/** Per action: successors it generated (enabled instances) and the new distinct states among them. */
export interface ActionCoverage {
  readonly action: string;
  readonly enabled: number;
  readonly newStates: number;
  /** For actions with named guards: how many instances each guard disabled (the first failing guard counts). */
  readonly disabledBy?: Readonly<Record<string, number>>;
}
export interface ChangedField {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface TraceStep {
  /** "init" for the first step, else the action name. */
  readonly action: string;
  readonly args: readonly unknown[];
  /** The spec's formatting of the action (or name(args)). */
  readonly label: string;
  readonly state: unknown;
  /** Fields that differ from the previous state (all top-level fields for the first step). */
  readonly changes: readonly ChangedField[];
  /** The spec's formatState of the state, when it has one. */
  readonly formatted?: string;
  /**
   * Counterexamples and examples: each property's status in this state (true = its
   * predicate holds here); a property whose check throws in this state is left out.
   */
  readonly properties?: Readonly<Record<string, boolean>>;
}

export interface Discovery {
  readonly property: string;
  readonly kind: "always" | "sometimes" | "atEnd" | "deadlock";
  readonly explanation?: string;
  /** Init index, then successor instance indices: accepted by `replay` and `--replay`. */
  readonly path: readonly number[];
  readonly trace: readonly TraceStep[];
  /** False when replaying the recorded path did not reproduce the state (non-determinism). */
  readonly reproduced: boolean;
  /** A property written with `all({...})`: each conjunct in the last state, with the fields it read. */
  readonly blame?: readonly ConjunctStatus[];
}

export type ExploreStatus = "ok" | "violation" | "incomplete" | "error";

export interface ExploreResult {
  readonly status: ExploreStatus;
  readonly strategy: Strategy;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly properties: readonly { name: string; kind: string }[];
  readonly distinctStates: number;
  readonly generatedStates: number;
  /** Longest shortest path from an initial state (BFS), deepest path (DFS, simulation). */
  readonly maxDepth: number;
  readonly maxQueueSize: number;
  readonly elapsedMs: number;
  /** Visited-set bytes / distinct states. */
  readonly bytesPerState: number;
  /** Bytes of the parent/action arrays kept to rebuild counterexamples, per state. */
  readonly traceBytesPerState: number;
  readonly collisionProbability: { readonly optimistic: number; readonly birthday: number };
  /** The failed property (always/atEnd/deadlock counterexample, or a sometimes with no example). */
  readonly violation?: Discovery | { readonly property: string; readonly kind: "sometimes"; readonly explanation: string };
  /** Examples found for sometimes-properties. */
  readonly examples: Readonly<Record<string, Discovery>>;
  /** Why the search is incomplete (status "incomplete"). */
  readonly incompleteReason?: string;
  /**
   * Bounds that cut the search short without making it a budget failure: states at the depth
   * bound (not expanded), and generated successors outside the constraint (TLC: checked
   * against the invariants, neither distinct nor expanded).
   */
  readonly bounded?: { readonly byDepth: number; readonly byConstraint: number };
  /** Per action, in spec order (TLC's -coverage). */
  readonly coverage: readonly ActionCoverage[];
  /** Things a person should know that do not change the verdict (an action never enabled). */
  readonly warnings: readonly string[];
  /** Threads that searched (1, or the parallel BFS's workers). */
  readonly workers: number;
  readonly error?: SpecErrorInfo;
  /** BFS with memoized actions: table hits and misses, and the actions it evaluated directly. */
  readonly memo?: { readonly hits: number; readonly misses: number; readonly directActions: readonly string[] };
  /** Simulation only. */
  readonly seed?: number;
  readonly runs?: number;
  /** True when every reachable state within the bounds was visited (BFS/DFS that ran to the end). */
  readonly exhaustive: boolean;
}
