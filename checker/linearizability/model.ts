/**
 * The contract between a sequential specification and the checker. A model is a small
 * record of pure functions, in the spirit of Porcupine's: `init`, `step`, an optional
 * partition key, equality/hash and descriptions. `defineModel` fills the defaults once so
 * the search never branches on a missing callback.
 */
import { stableStringify } from "./stable-json.ts";

/** Returned by `step` when the operation cannot happen in the given state. */
export const ILLEGAL: unique symbol = Symbol("illegal");
export type Illegal = typeof ILLEGAL;

/** What a user writes: only `name`, `init` and `step` are required. */
export interface ModelSpec<S, I, O> {
  readonly name: string;
  /** The initial state. Called once per partition; must return a fresh value. */
  init(): S;
  /**
   * The state after applying an operation with `input` that returned `output`, or ILLEGAL
   * when that output is impossible in `state`. `output` is undefined when the operation is
   * indeterminate (crashed or timed out): accept any outcome then. Must be pure and must
   * not mutate `state`.
   */
  step(state: S, input: I, output: O | undefined): S | Illegal;
  /**
   * Operations whose inputs have different keys never interact (P-compositionality), so
   * each key's sub-history is checked on its own. Return undefined for a model that does
   * not partition; all operations must then return undefined.
   */
  partitionKey?(input: I): string | undefined;
  /** A string equal for equal states; defaults to a key-order-independent JSON. */
  hash?(state: S): string;
  /** Defaults to comparing hashes. */
  equal?(a: S, b: S): boolean;
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
  /** Why an input is not an operation of this model (unknown function, bad argument), or undefined. */
  checkInput?(input: I): string | undefined;
}

/** A model with every callback present. Build it with `defineModel`. */
export interface Model<S = unknown, I = unknown, O = unknown> extends Required<ModelSpec<S, I, O>> {
  readonly partitioned: boolean;
}

/** Fills in the defaults of a model spec. `partitioned` says whether partitionKey was given. */
export function defineModel<S, I, O>(spec: ModelSpec<S, I, O>): Model<S, I, O> {
  const hash = spec.hash ?? ((s: S) => stableStringify(s));
  return {
    name: spec.name,
    init: spec.init,
    step: spec.step,
    partitioned: spec.partitionKey !== undefined,
    partitionKey: spec.partitionKey ?? (() => undefined),
    hash,
    equal: spec.equal ?? ((a: S, b: S) => hash(a) === hash(b)),
    describeOperation:
      spec.describeOperation ??
      ((input: I, output: O | undefined) => `${stableStringify(input)} -> ${output === undefined ? "?" : stableStringify(output)}`),
    describeState: spec.describeState ?? ((s: S) => stableStringify(s)),
    checkInput: spec.checkInput ?? (() => undefined),
  };
}
