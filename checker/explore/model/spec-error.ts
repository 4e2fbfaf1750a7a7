/**
 * A fault in the spec itself (not a property violation): an action or property that threw,
 * a malformed state, non-deterministic successors, or a state mutated in place. Carries
 * what a person needs to find the bug: the action, its arguments, the state and the path
 * that reached it.
 */
export type SpecErrorKind =
  | "init-threw"
  | "action-threw"
  | "property-threw"
  | "malformed-state"
  | "nondeterministic"
  | "mutated-state"
  | "bad-spec"
  /** A replay path that does not name a run of the spec (an index out of range, a disabled step, a step outside the constraint). */
  | "bad-path";

export interface SpecErrorInfo {
  readonly kind: SpecErrorKind;
  readonly message: string;
  readonly action?: string;
  readonly args?: readonly unknown[];
  readonly property?: string;
  /** The state in which it happened, as data. */
  readonly state?: unknown;
  /** Replay path to that state (init index, then successor indices), when known. */
  readonly path?: readonly number[];
  /** The thrown error's stack, when there was one. */
  readonly stack?: string;
}

export class SpecError extends Error {
  constructor(readonly info: SpecErrorInfo) {
    super(info.message);
    this.name = "SpecError";
  }

  withPath(path: readonly number[]): SpecError {
    return new SpecError({ ...this.info, path });
  }
}
