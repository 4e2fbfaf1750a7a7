/**
 * The spec contract: a spec is a plain typed object.
 *
 * Purity and determinism (the explorer relies on both and checks them where it can):
 * - `init`, `args`, `argsFrom`, `next`, properties, `constraint` and `view` are pure functions
 *   of their arguments: they never mutate a state they are given, read no clock, no
 *   randomness, no global mutable data.
 * - The order of initial states and of argument instances is deterministic: a replay path
 *   (`0/3/1`) names successors by their position, so the same state must always yield the
 *   same list.
 * - States are immutable data: numbers, strings, booleans, null, arrays, plain records, and
 *   the canonical `ValueSet` / `ValueMap` helpers (see ../values). Two states are the same
 *   state when their canonical encodings are equal (record key order does not matter).
 *   The explorer relies on immutability for speed too: a field or array element that is the
 *   same object as in the parent state is taken to be unchanged and is not looked at again.
 */
import type { Value } from "../values/value.ts";
import type { TraceMapping } from "../trace/mapping.ts";
import type { StepEvents } from "./step-events.ts";

/** A parameter's declared default, with optional validation for CLI overrides. */
export type ParamDecl =
  | number
  | string
  | boolean
  | { default: number; min?: number; max?: number; integer?: boolean; description?: string }
  | { default: string; choices?: readonly string[]; description?: string }
  | { default: boolean; description?: string };

export type ParamDecls = Record<string, ParamDecl>;

/** The resolved parameter values a spec's functions receive. */
export type ParamValues<D extends ParamDecls> = {
  readonly [K in keyof D]: D[K] extends { default: infer T }
    ? T extends number ? number : T extends string ? (D[K] extends { choices: readonly (infer C)[] } ? C : string) : boolean
    : D[K] extends number ? number : D[K] extends string ? string : boolean;
};

/**
 * One named action, in one of two forms:
 * - `next` returns the whole successor (or null/undefined when disabled);
 * - `update` returns only the fields it writes, like TLA+'s primed variables (or
 *   null/undefined when disabled); the other fields carry over. Record states only. This is
 *   the form that BFS can memoize (`memoize: true`): every read of the state is observed, so
 *   an update's result is reused exactly for the states that agree on what it read.
 */
export interface ActionDef<S, P, A extends readonly unknown[] = readonly unknown[]> {
  readonly name: string;
  /** Argument instances fixed by the parameters (evaluated once). Omit for no arguments. */
  readonly args?: (params: P) => readonly A[];
  /** Argument instances that depend on the state (evaluated per state), e.g. messages in flight. */
  readonly argsFrom?: (state: S, params: P) => Iterable<A>;
  readonly next?: (state: S, args: A, params: P) => S | null | undefined;
  readonly update?: (state: S, args: A, params: P) => Partial<S> | null | undefined;
  /**
   * The enabling condition as named guards, checked in order before `next`/`update` (all
   * must hold; the first that fails disables the instance). Named, so that reports can say
   * which one kept an action disabled: explore's coverage counts them, and trace validation
   * names them when it rejects a line.
   */
  readonly guards?: Readonly<Record<string, (state: S, args: A, params: P) => boolean>>;
}

/** A property's answer: a boolean, or a verdict with an explanation for the report. */
export type CheckResult = boolean | { readonly holds: boolean; readonly explanation?: string };

export type PropertyKind = "always" | "sometimes" | "atEnd";

/**
 * A named property.
 * - always: must hold in every reachable state (a counterexample is a discovery).
 * - sometimes: must hold in at least one reachable state (an example is a discovery;
 *   finding none is a failure: it catches vacuous specs).
 * - atEnd: must hold in every reachable state with no enabled action (terminal states),
 *   e.g. "the recorded client history is linearizable" once every client is done.
 */
export interface Property<S, P> {
  readonly kind: PropertyKind;
  readonly check: (state: S, params: P) => CheckResult;
}

export interface Spec<S, D extends ParamDecls = ParamDecls> {
  readonly name: string;
  readonly description?: string;
  readonly params: D;
  readonly init: (params: ParamValues<D>) => readonly S[];
  // Arguments are typed per action through `action()`; the list itself erases them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly actions: readonly ActionDef<S, ParamValues<D>, any>[];
  readonly properties: Readonly<Record<string, Property<S, ParamValues<D>>>>;
  /** States outside the constraint are counted but not expanded (TLC's CONSTRAINT). */
  readonly constraint?: (state: S, params: ParamValues<D>) => boolean;
  /** The part of the state that is fingerprinted (TLC's VIEW); defaults to the whole state. */
  readonly view?: (state: S, params: ParamValues<D>) => Value;
  /**
   * Let BFS memoize the successors of `update` actions over the state fields they read
   * (default false; CLI --memoize / --no-memoize). Sound for any pure action: every read is
   * observed, a spread of the state reads every field. See explore/expand/action-memo.ts.
   */
  readonly memoize?: boolean;
  /** Whether a state with no enabled action is a deadlock (default true; CLI --no-deadlock). */
  readonly deadlockIsError?: boolean;
  readonly formatState?: (state: S, params: ParamValues<D>) => string;
  /** How logs of a real system map onto this spec, for `dscheck trace validate` (see checker/trace/mapping.ts). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly trace?: TraceMapping<S, ParamValues<D>, any>;
  readonly formatAction?: (name: string, args: readonly unknown[], params: ParamValues<D>) => string;
  /**
   * For message-passing specs: which process takes each step and what it sends and
   * receives. Space-time diagrams in reports and event logs for `dscheck cuts` are drawn
   * from it (see ./step-events.ts, and its `messageSetEvents` helper).
   */
  readonly events?: StepEvents<S, ParamValues<D>>;
}

/** Identity helper that infers `S` and `D` and type-checks the spec object. */
export function defineSpec<S, const D extends ParamDecls>(spec: Spec<S, D>): Spec<S, D> {
  return spec;
}

/** Types one action's arguments and next-state function together. */
export function action<S, P, const A extends readonly unknown[] = readonly []>(def: ActionDef<S, P, A>): ActionDef<S, P, A> {
  return def;
}

// The params argument is typed `any` here: TypeScript cannot infer it from the spec around
// the call; annotate it (or the state) in the check when you need it typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyParams = any;

export function always<S>(check: (state: S, params: AnyParams) => CheckResult): Property<S, AnyParams> {
  return { kind: "always", check };
}
export function sometimes<S>(check: (state: S, params: AnyParams) => CheckResult): Property<S, AnyParams> {
  return { kind: "sometimes", check };
}
export function atEnd<S>(check: (state: S, params: AnyParams) => CheckResult): Property<S, AnyParams> {
  return { kind: "atEnd", check };
}

/** `xs` with element `i` replaced by `x` (a copy; `xs` itself when element `i` already is `x`): the immutable update specs make most. */
export function setAt<T>(xs: readonly T[], i: number, x: T): readonly T[] {
  // Unchanged: the same array, which the explorer then recognises without looking inside.
  if (xs[i] === x && i >= 0 && i < xs.length) return xs;
  const out = xs.slice();
  out[i] = x;
  return out;
}

/** 0..n-1, for argument enumeration. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
