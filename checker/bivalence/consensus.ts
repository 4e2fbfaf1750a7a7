/**
 * What a consensus spec declares beside its spec (as `export const consensus = defineConsensus(...)`)
 * so that `bivalence` can read FLP's notions off the explored graph: the processes, each
 * process's decision and input, which action is a step of which process, which steps are
 * crashes, the failure model, and (optionally) the messages in flight to each process, for
 * the fairness of an admissible run.
 */
import type { Value } from "../values/value.ts";

export type FailureModel = "crash-stop" | "crash-recover";

export interface Consensus<S, P = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Process names; a process's index is its id (at most 30 processes). */
  readonly processes: (params: P) => readonly string[];
  /** The decision values, in order (FLP's 0 and 1 are the first two; at most 30). */
  readonly values: (params: P) => readonly Value[];
  /** Per process: the value it has decided, or null while undecided. Decisions are final. */
  readonly decision: (state: S, params: P) => readonly (Value | null)[];
  /** Per process: its input (initial configurations differ in these), for Lemma 2 and Validity. */
  readonly inputs?: (state: S, params: P) => readonly (Value | null)[];
  /** The process whose step an action instance is, or null for a step of the environment. */
  readonly process: (action: string, args: readonly unknown[], params: P) => number | null;
  /** Actions that crash (or, crash-recover, restart) a process: never owed by fairness. */
  readonly faultActions?: readonly string[];
  /** Per process: crashed in this state (default: nobody ever crashes). */
  readonly crashed?: (state: S, params: P) => readonly boolean[];
  readonly failure: { readonly model: FailureModel; readonly maxFaulty: number } | ((params: P) => { readonly model: FailureModel; readonly maxFaulty: number });
  /**
   * Messages in flight, as (destination process, message): an admissible run delivers every
   * message to a live process eventually, so a cycle in which one stays pending throughout
   * is not admissible. Omit when the steps' own fairness says enough (every receive is a
   * step of the receiver, enabled while the message waits).
   */
  readonly pending?: (state: S, params: P) => Iterable<readonly [to: number, message: Value]>;
}

/** Identity helper that types a consensus declaration against its spec's state. */
export function defineConsensus<S, P = any>(c: Consensus<S, P>): Consensus<S, P> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return c;
}
