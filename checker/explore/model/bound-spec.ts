/**
 * A spec bound to concrete parameters, in the shape the search wants: initial states, and
 * successors enumerated with a stable index per argument instance (the replay path).
 * Every call into spec code is guarded here, so the pipeline never sees a raw exception:
 * a fault comes out as a SpecError naming the action, its arguments and the state.
 */
import type { ActionDef, CheckResult, ParamDecls, PropertyKind, Spec } from "../../spec/spec.ts";
import { Encoder, findInvalid, InvalidValueError } from "../../values/encode.ts";
import { ValueMap, ValueSet } from "../../values/value.ts";
import { resolveParams } from "./params.ts";
import { SpecError } from "./spec-error.ts";

type AnyAction = ActionDef<unknown, unknown, readonly unknown[]>;

export interface CompiledProperty {
  readonly name: string;
  readonly kind: PropertyKind;
  /** Returns undefined when the property holds, else an explanation (possibly ""). */
  readonly violation: (state: unknown) => string | undefined;
}

/** Receives each enabled successor; `instance` is its index in the state's instance list. */
export type SuccessorVisitor = (instance: number, next: unknown, action: number) => void;

/** Receives the raw result of an `update` action (the fields it writes) per enabled instance. */
export type UpdateVisitor = (instance: number, update: Record<string, unknown>) => void;

export class BoundSpec {
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly properties: readonly CompiledProperty[];
  private readonly actions: readonly AnyAction[];
  /** Per action: its fixed argument instances, or null when they depend on the state. */
  private readonly fixedArgs: readonly (readonly (readonly unknown[])[] | null)[];
  readonly hasConstraint: boolean;
  readonly hasView: boolean;
  /** Per action: whether it is written in the `update` form (memoizable). */
  readonly isUpdate: readonly boolean[];
  /** Per action: its named guards (empty when it has none). */
  readonly guardNames: readonly (readonly string[])[];
  private readonly guardFns: readonly ((state: unknown, args: readonly unknown[], params: unknown) => boolean)[][];
  /** Per action and guard: instances that guard disabled (coverage). */
  readonly guardFailures: Float64Array[];

  constructor(
    readonly spec: Spec<unknown, ParamDecls>,
    overrides: Record<string, unknown> = {},
    selected?: readonly string[],
  ) {
    this.params = Object.freeze(resolveParams(spec.params ?? {}, overrides));
    if (!Array.isArray(spec.actions)) throw new SpecError({ kind: "bad-spec", message: "a spec's actions must be an array" });
    this.actions = spec.actions as readonly AnyAction[];
    const names = new Set<string>();
    for (const a of this.actions) {
      if (!a || typeof a.name !== "string") throw new SpecError({ kind: "bad-spec", message: "every action needs a name" });
      if (names.has(a.name)) throw new SpecError({ kind: "bad-spec", message: `two actions are named "${a.name}"` });
      names.add(a.name);
      if (a.args && a.argsFrom) throw new SpecError({ kind: "bad-spec", message: `action ${a.name} has both args and argsFrom` });
      if (a.guards !== undefined && (typeof a.guards !== "object" || Object.values(a.guards).some((g) => typeof g !== "function"))) {
        throw new SpecError({ kind: "bad-spec", message: `the guards of action ${a.name} must be a record of functions` });
      }
      if (typeof a.next === "function" === (typeof a.update === "function")) {
        throw new SpecError({ kind: "bad-spec", message: `action ${a.name} needs exactly one of next (the whole successor) and update (the fields it writes)` });
      }
    }
    this.isUpdate = this.actions.map((a) => typeof a.update === "function");
    this.guardNames = this.actions.map((a) => Object.keys(a.guards ?? {}));
    this.guardFns = this.actions.map((a) => Object.values(a.guards ?? {}) as ((state: unknown, args: readonly unknown[], params: unknown) => boolean)[]);
    this.guardFailures = this.guardNames.map((g) => new Float64Array(g.length));
    this.fixedArgs = this.actions.map((a) => {
      if (a.argsFrom) return null;
      if (!a.args) return [[]];
      let list: unknown;
      try {
        list = a.args(this.params);
      } catch (e) {
        throw new SpecError({ kind: "action-threw", action: a.name, message: `args of ${a.name} threw: ${errText(e)}`, stack: stackOf(e) });
      }
      if (!Array.isArray(list) || !list.every(Array.isArray)) throw new SpecError({ kind: "bad-spec", action: a.name, message: `args of ${a.name} must return an array of argument arrays` });
      return list as (readonly unknown[])[];
    });
    const all = Object.entries(spec.properties ?? {});
    for (const s of selected ?? []) {
      if (!Object.hasOwn(spec.properties ?? {}, s)) {
        throw new SpecError({ kind: "bad-spec", message: `unknown property "${s}"; the spec has: ${all.map(([n]) => n).join(", ") || "none"}` });
      }
    }
    this.properties = all
      .filter(([n]) => !selected || selected.length === 0 || selected.includes(n))
      .map(([name, p]) => ({ name, kind: p.kind, violation: (s: unknown) => this.evaluate(name, p.check, s) }));
    this.hasConstraint = typeof spec.constraint === "function";
    this.hasView = typeof spec.view === "function";
  }

  private evaluate(name: string, check: (s: unknown, p: never) => CheckResult, state: unknown): string | undefined {
    let r: CheckResult;
    try {
      r = check(state, this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "property-threw", property: name, state, message: `property ${name} threw: ${errText(e)}`, stack: stackOf(e) });
    }
    if (r === true) return undefined;
    if (r === false) return "";
    if (r && typeof r === "object" && typeof r.holds === "boolean") return r.holds ? undefined : String(r.explanation ?? "");
    throw new SpecError({ kind: "property-threw", property: name, state, message: `property ${name} returned ${safeJson(r)}; expected a boolean or { holds, explanation }` });
  }

  /** The initial states; a spec with none is a spec error (its search would be vacuous). */
  initialStates(): readonly unknown[] {
    let states: readonly unknown[];
    try {
      states = this.spec.init(this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "init-threw", message: `init threw: ${errText(e)}`, stack: stackOf(e) });
    }
    if (!Array.isArray(states)) throw new SpecError({ kind: "bad-spec", message: "init must return an array of initial states" });
    if (states.length === 0) throw new SpecError({ kind: "bad-spec", message: "init returned no initial states: nothing would be checked" });
    return states;
  }

  inConstraint(state: unknown): boolean {
    if (!this.spec.constraint) return true;
    let r: unknown;
    try {
      r = this.spec.constraint(state, this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "property-threw", property: "constraint", state, message: `constraint threw: ${errText(e)}`, stack: stackOf(e) });
    }
    if (typeof r !== "boolean") throw new SpecError({ kind: "property-threw", property: "constraint", state, message: `constraint returned ${safeJson(r)}; expected a boolean` });
    return r;
  }

  /** The value that is fingerprinted: the view when the spec has one, else the state. */
  viewOf(state: unknown): unknown {
    if (!this.spec.view) return state;
    try {
      return this.spec.view(state, this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "property-threw", property: "view", state, message: `view threw: ${errText(e)}`, stack: stackOf(e) });
    }
  }

  /**
   * Calls `visit` for every enabled successor of `state`, in instance order; returns the
   * number of enabled successors. Disabled instances still take up an index.
   */
  successors(state: unknown, visit: SuccessorVisitor): number {
    let instance = 0;
    this.enabled = 0;
    for (let a = 0; a < this.actions.length; a++) instance += this.actionSuccessors(a, state, instance, visit);
    return this.enabled;
  }

  /** Enabled successors counted by the last `successors` / `actionSuccessors` calls (reset by `successors`). */
  enabled = 0;

  get actionCount(): number {
    return this.actions.length;
  }

  get actionNames(): string[] {
    return this.actions.map((a) => a.name);
  }

  /**
   * Calls `visit` for every enabled successor of `state` by action `a`, numbering its
   * instances from `base`; returns the action's number of instances (enabled or not) and
   * adds the enabled ones to `enabled`.
   */
  actionSuccessors(a: number, state: unknown, base: number, visit: SuccessorVisitor): number {
    const action = this.actions[a], params = this.params;
    let args: readonly unknown[] = [];
    let produced: unknown = undefined;
    let instance = base;
    try {
      const list = this.fixedArgs[a] ?? this.argsFromChecked(a, state);
      const guards = this.guardFns[a];
      const update = action.update, next = action.next;
      let record = false;
      for (const each of list) {
        args = each;
        if (guards.length !== 0 && this.failedGuardIndex(a, state, each) >= 0) {
          instance++;
          continue;
        }
        const r = update ? update(state, each, params) : next!(state, each, params);
        if (r !== null && r !== undefined) {
          let s = r;
          if (update) {
            // Checked once per state, not per instance: this is the hot path of update specs.
            if (!record && !(record = isPlainRecord(state))) throw new SpecError({ kind: "bad-spec", action: action.name, args, message: `action ${action.name} is an update, which needs a record state` });
            s = mergeUpdate(state, r, action.name, args) as typeof s;
          }
          this.enabled++;
          produced = s;
          visit(instance, s, a);
        }
        instance++;
      }
    } catch (e) {
      throw this.actionFault(e, action.name, args, state, produced);
    }
    return instance - base;
  }

  /**
   * Calls `visit` with the raw result of `update` action `a` for every enabled instance, on
   * whatever object stands for the state (the memo's tracked stand-in). Returns the number
   * of instances. Faults are thrown as SpecErrors, as from `actionSuccessors`.
   */
  actionUpdates(a: number, state: unknown, visit: UpdateVisitor): number {
    const action = this.actions[a], params = this.params, update = action.update!;
    let args: readonly unknown[] = [];
    let instance = 0;
    try {
      const list = this.fixedArgs[a] ?? this.argsFromChecked(a, state);
      const guards = this.guardFns[a];
      for (const each of list) {
        args = each;
        if (guards.length !== 0 && this.failedGuardIndex(a, state, each) >= 0) {
          instance++;
          continue;
        }
        const u = update(state, each, params);
        if (u !== null && u !== undefined) {
          if (!isPlainRecord(u)) throw new SpecError({ kind: "malformed-state", action: action.name, args, message: `action ${action.name}${formatArgs(args)}: update must return a record of the fields it writes, or null` });
          visit(instance, u as Record<string, unknown>);
        }
        instance++;
      }
    } catch (e) {
      throw this.actionFault(e, action.name, args, state, undefined);
    }
    return instance;
  }

  /**
   * The index of the first of action `a`'s guards that fails for these arguments, or -1 when
   * all hold (counted per guard for coverage). Throws what a guard throws (the callers turn
   * that into a SpecError naming the action).
   */
  private failedGuardIndex(a: number, state: unknown, args: readonly unknown[]): number {
    const guards = this.guardFns[a];
    for (let g = 0; g < guards.length; g++) {
      const r = guards[g](state, args, this.params);
      if (r === true) continue;
      if (r !== false) throw new TypeError(`guard ${this.guardNames[a][g]} returned ${safeJson(r)}; expected a boolean`);
      this.guardFailures[a][g]++;
      return g;
    }
    return -1;
  }

  /**
   * As `actionSuccessors`, but only for the instances whose arguments pass `wanted` (trace
   * validation: a logged event names its arguments, so the others need not be evaluated).
   * `visit` gets the instance's local index (from 0) and its arguments.
   */
  actionSuccessorsWhere(
    a: number,
    state: unknown,
    wanted: (args: readonly unknown[]) => boolean,
    visit: (local: number, next: unknown, args: readonly unknown[]) => void,
    lists: readonly (readonly unknown[])[] = this.instancesOf(a, state),
  ): void {
    const action = this.actions[a];
    for (let i = 0; i < lists.length; i++) {
      if (!wanted(lists[i])) continue;
      let produced: unknown = undefined;
      try {
        if (this.guardFns[a].length !== 0 && this.failedGuardIndex(a, state, lists[i]) >= 0) continue;
        const r = action.update ? action.update(state, lists[i], this.params) : action.next!(state, lists[i], this.params);
        if (r === null || r === undefined) continue;
        produced = action.update ? mergeUpdate(state, r, action.name, lists[i]) : r;
      } catch (e) {
        throw this.actionFault(e, action.name, lists[i], state, produced);
      }
      visit(i, produced, lists[i]);
    }
  }

  /** Every guard of action `a` that fails for these arguments (for diagnoses; not counted). */
  failingGuards(a: number, state: unknown, args: readonly unknown[]): string[] {
    const guards = this.guardFns[a], out: string[] = [];
    for (let g = 0; g < guards.length; g++) {
      let r: unknown;
      try {
        r = guards[g](state, args, this.params);
      } catch (e) {
        throw this.actionFault(e, this.actions[a].name, args, state, undefined);
      }
      if (r !== true) out.push(this.guardNames[a][g]);
    }
    return out;
  }

  /** The index of the action named `name`, or -1. */
  actionIndex(name: string): number {
    return this.actions.findIndex((x) => x.name === name);
  }

  /** The argument instances of action `a` in `state`. */
  instancesOf(a: number, state: unknown): readonly (readonly unknown[])[] {
    try {
      return this.fixedArgs[a] ?? [...this.argsFromChecked(a, state)];
    } catch (e) {
      throw this.actionFault(e, this.actions[a].name, [], state, undefined);
    }
  }

  private argsFromChecked(a: number, state: unknown): Iterable<readonly unknown[]> {
    const list = this.actions[a].argsFrom!(state, this.params);
    if (list === null || typeof list !== "object" || typeof (list as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new SpecError({ kind: "bad-spec", action: this.actions[a].name, state, message: `argsFrom of ${this.actions[a].name} must return an iterable of argument arrays` });
    }
    return list;
  }

  private actionFault(e: unknown, name: string, args: readonly unknown[], state: unknown, produced: unknown): SpecError {
    if (e instanceof SpecError) return e.info.state === undefined ? new SpecError({ ...e.info, state }) : e;
    if (e instanceof InvalidValueError) {
      // The visitor failed to encode what this action returned.
      const where = findInvalid(produced) ?? { path: e.path, what: e.what };
      return new SpecError({
        kind: "malformed-state", action: name, args, state,
        message: `action ${name}${formatArgs(args)} returned a malformed state: ${where.path} is ${where.what}, not a state value`,
      });
    }
    return new SpecError({ kind: "action-threw", action: name, args, state, message: `action ${name}${formatArgs(args)} threw: ${errText(e)}`, stack: stackOf(e) });
  }

  /** The argument instances of `state`, per action, in instance order. */
  private instanceLists(state: unknown): (readonly (readonly unknown[])[])[] {
    return this.actions.map((a, i) => {
      try {
        return this.fixedArgs[i] ?? [...this.argsFromChecked(i, state)];
      } catch (e) {
        throw this.actionFault(e, a.name, [], state, undefined);
      }
    });
  }

  /** The action and arguments of successor `instance` of `state`, or undefined when out of range. */
  describeInstance(state: unknown, instance: number): { name: string; action: number; args: readonly unknown[] } | undefined {
    let i = 0;
    const lists = this.instanceLists(state);
    for (let a = 0; a < lists.length; a++) {
      if (instance < i + lists[a].length) return { name: this.actions[a].name, action: a, args: lists[a][instance - i] };
      i += lists[a].length;
    }
    return undefined;
  }

  /** The number of successor instances (enabled or not) of `state`. */
  instanceCount(state: unknown): number {
    return this.instanceLists(state).reduce((n, l) => n + l.length, 0);
  }

  /**
   * The successor with index `instance`, or undefined when it is disabled or out of range.
   * Only that instance is evaluated (the others' argument lists are needed to find it).
   */
  successorAt(state: unknown, instance: number): unknown {
    let base = 0;
    for (let a = 0; a < this.actions.length; a++) {
      const lists = this.instancesOf(a, state);
      if (instance < base + lists.length) {
        const local = instance - base;
        let found: unknown = undefined;
        this.actionSuccessorsWhere(a, state, (args) => args === lists[local], (_l, next) => (found = next), lists);
        return found;
      }
      base += lists.length;
    }
    return undefined;
  }

  formatAction(name: string, args: readonly unknown[]): string {
    if (!this.spec.formatAction) return `${name}${formatArgs(args)}`;
    let r: unknown;
    try {
      r = this.spec.formatAction(name, args, this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "bad-spec", action: name, args, message: `formatAction threw on ${name}${formatArgs(args)}: ${errText(e)}`, stack: stackOf(e) });
    }
    if (typeof r !== "string") throw new SpecError({ kind: "bad-spec", action: name, args, message: `formatAction returned ${safeJson(r)} for ${name}; expected a string` });
    return r;
  }

  /** The spec's formatting of a state, or undefined when it has none. */
  formatState(state: unknown): string | undefined {
    if (!this.spec.formatState) return undefined;
    let r: unknown;
    try {
      r = this.spec.formatState(state, this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "bad-spec", state, message: `formatState threw: ${errText(e)}`, stack: stackOf(e) });
    }
    if (typeof r !== "string") throw new SpecError({ kind: "bad-spec", state, message: `formatState returned ${safeJson(r)}; expected a string` });
    return r;
  }
}

/** The successor of record `state` under an update: the state with the written fields replaced. */
function mergeUpdate(state: unknown, u: unknown, name: string, args: readonly unknown[]): unknown {
  // A literal's constructor is Object: the common case, without the prototype walk.
  if ((u as { constructor?: unknown }).constructor !== Object && !isPlainRecord(u)) {
    throw new SpecError({ kind: "malformed-state", action: name, args, message: `action ${name}${formatArgs(args)}: update must return a record of the fields it writes, or null` });
  }
  return { ...(state as object), ...(u as object) };
}

function isPlainRecord(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof ValueSet || v instanceof ValueMap) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Encodes a state, turning an encoding failure into a malformed-state SpecError. */
export function encodeChecked(encoder: Encoder, value: unknown, context: { action?: string; args?: readonly unknown[]; parent?: unknown }): number {
  try {
    return encoder.encode(value);
  } catch (e) {
    if (!(e instanceof InvalidValueError)) throw e;
    const where = findInvalid(value) ?? { path: e.path, what: e.what };
    const by = context.action ? `action ${context.action}${formatArgs(context.args ?? [])} returned` : "init returned";
    throw new SpecError({
      kind: "malformed-state",
      action: context.action,
      args: context.args,
      state: context.parent,
      message: `${by} a malformed state: ${where.path} is ${where.what}, not a state value`,
    });
  }
}

export function formatArgs(args: readonly unknown[]): string {
  return args.length ? `(${args.map((x) => (typeof x === "string" ? x : safeJson(x))).join(", ")})` : "";
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(x);
  } catch {
    return String(x);
  }
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
export function stackOf(e: unknown): string | undefined {
  return e instanceof Error ? e.stack : undefined;
}
