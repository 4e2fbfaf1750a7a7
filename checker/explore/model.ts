/**
 * A spec bound to concrete parameters, in the shape the search loops want: initial states,
 * and successors enumerated with a stable index per argument instance (the replay path).
 * Every call into spec code is guarded here, so the strategies never see a raw exception.
 */
import type { ActionDef, CheckResult, ParamDecls, PropertyKind, Spec } from "../spec/spec.ts";
import { Encoder, findInvalid, InvalidValueError } from "../values/encode.ts";
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
export type SuccessorVisitor = (instance: number, next: unknown) => void;

export class Model {
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly properties: readonly CompiledProperty[];
  private readonly actions: readonly AnyAction[];
  /** Per action: its fixed argument instances, or null when they depend on the state. */
  private readonly fixedArgs: readonly (readonly (readonly unknown[])[] | null)[];
  readonly hasConstraint: boolean;
  readonly hasView: boolean;

  constructor(
    readonly spec: Spec<unknown, ParamDecls>,
    overrides: Record<string, unknown> = {},
    selected?: readonly string[],
  ) {
    this.params = Object.freeze(resolveParams(spec.params, overrides));
    this.actions = spec.actions as readonly AnyAction[];
    const names = new Set<string>();
    for (const a of this.actions) {
      if (names.has(a.name)) throw new SpecError({ kind: "bad-spec", message: `two actions are named "${a.name}"` });
      names.add(a.name);
      if (a.args && a.argsFrom) throw new SpecError({ kind: "bad-spec", message: `action ${a.name} has both args and argsFrom` });
    }
    this.fixedArgs = this.actions.map((a) => {
      if (a.argsFrom) return null;
      if (!a.args) return [[]];
      try {
        return [...a.args(this.params)];
      } catch (e) {
        throw new SpecError({ kind: "action-threw", action: a.name, message: `args of ${a.name} threw: ${errText(e)}`, stack: stackOf(e) });
      }
    });
    const all = Object.entries(spec.properties);
    if (selected && selected.length) {
      for (const s of selected) {
        if (!spec.properties[s]) {
          throw new SpecError({ kind: "bad-spec", message: `unknown property "${s}"; the spec has: ${all.map(([n]) => n).join(", ") || "none"}` });
        }
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
    if (r && typeof r === "object" && typeof r.holds === "boolean") return r.holds ? undefined : (r.explanation ?? "");
    throw new SpecError({ kind: "property-threw", property: name, state, message: `property ${name} returned ${JSON.stringify(r)}; expected a boolean or { holds, explanation }` });
  }

  initialStates(): readonly unknown[] {
    let states: readonly unknown[];
    try {
      states = this.spec.init(this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "init-threw", message: `init threw: ${errText(e)}`, stack: stackOf(e) });
    }
    if (!Array.isArray(states)) throw new SpecError({ kind: "bad-spec", message: "init must return an array of initial states" });
    return states;
  }

  inConstraint(state: unknown): boolean {
    if (!this.spec.constraint) return true;
    try {
      return this.spec.constraint(state, this.params as never);
    } catch (e) {
      throw new SpecError({ kind: "property-threw", property: "constraint", state, message: `constraint threw: ${errText(e)}`, stack: stackOf(e) });
    }
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
      const next = action.next;
      const list = this.fixedArgs[a] ?? action.argsFrom!(state, params);
      for (const each of list) {
        args = each;
        const s = next(state, each, params);
        if (s !== null && s !== undefined) {
          this.enabled++;
          produced = s;
          visit(instance, s);
        }
        instance++;
      }
    } catch (e) {
      if (e instanceof SpecError) throw e;
      const name = action.name;
      if (e instanceof InvalidValueError) {
        // The visitor failed to encode what this action returned.
        const where = findInvalid(produced) ?? { path: e.path, what: e.what };
        throw new SpecError({
          kind: "malformed-state", action: name, args, state,
          message: `action ${name}${formatArgs(args)} returned a malformed state: ${where.path} is ${where.what}, not a state value`,
        });
      }
      throw new SpecError({ kind: "action-threw", action: name, args, state, message: `action ${name}${formatArgs(args)} threw: ${errText(e)}`, stack: stackOf(e) });
    }
    return instance - base;
  }

  /** The action name and arguments of successor `instance` of `state`. */
  describeInstance(state: unknown, instance: number): { name: string; args: readonly unknown[] } | undefined {
    let i = 0;
    for (let a = 0; a < this.actions.length; a++) {
      const list = this.fixedArgs[a] ?? [...this.actions[a].argsFrom!(state, this.params)];
      if (instance < i + list.length) return { name: this.actions[a].name, args: list[instance - i] };
      i += list.length;
    }
    return undefined;
  }

  /** The successor with index `instance`, or undefined when it is disabled or out of range. */
  successorAt(state: unknown, instance: number): unknown {
    let found: unknown = undefined;
    this.successors(state, (i, next) => {
      if (i === instance) found = next;
    });
    return found;
  }

  formatAction(name: string, args: readonly unknown[]): string {
    if (this.spec.formatAction) return this.spec.formatAction(name, args, this.params as never);
    return `${name}${formatArgs(args)}`;
  }
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
  return args.length ? `(${args.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ")})` : "";
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
function stackOf(e: unknown): string | undefined {
  return e instanceof Error ? e.stack : undefined;
}
