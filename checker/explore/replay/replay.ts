/**
 * Checking one given path (`--replay 0/3/1`): rebuild its states and check them as the
 * search would have: the always-properties on every state, the constraint (only the last
 * state may lie outside it: the search never expands such a state, so a path through one
 * is not a run it would consider), and the deadlock and atEnd checks on a last state inside
 * the constraint with no enabled action.
 */
import type { ParamDecls, Spec } from "../../spec/spec.ts";
import { BoundSpec } from "../model/bound-spec.ts";
import { SpecError, type SpecErrorInfo } from "../model/spec-error.ts";
import { replayStates, traceSteps } from "./trace.ts";
import type { TraceStep } from "../types.ts";
import type { ConjunctStatus } from "../../spec/conjuncts.ts";
import { blame, withStatuses } from "../pipeline/result.ts";

export interface ReplayResult {
  readonly status: "ok" | "violation" | "error";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** The steps, each with every property's status in its state (as a search's counterexample has them). */
  readonly trace: readonly TraceStep[];
  /** The first property that fails along the path, with the step where it fails and, for an `all({...})` property, its conjuncts there. */
  readonly violation?: { readonly property: string; readonly kind: string; readonly step: number; readonly explanation?: string; readonly blame?: readonly ConjunctStatus[] };
  readonly error?: SpecErrorInfo;
}

/** Parses "0/3/1" into [0, 3, 1]; throws on anything else. */
export function parseReplayPath(text: string): number[] {
  const parts = text.trim().split("/");
  if (parts.some((p) => !/^\d{1,9}$/.test(p))) throw new Error(`a replay path is numbers separated by "/", e.g. 0/3/1; got "${text}"`);
  return parts.map(Number);
}

export function replay<S, D extends ParamDecls>(spec: Spec<S, D>, path: readonly number[], options: { params?: Record<string, unknown>; properties?: readonly string[]; checkDeadlock?: boolean } = {}): ReplayResult {
  let model: BoundSpec | undefined;
  try {
    model = new BoundSpec(spec as unknown as Spec<unknown, ParamDecls>, options.params, options.properties);
    const states = replayStates(model, path);
    const steps = traceSteps(model, states, path);
    const params = model.params;
    const bound = model; // narrowed, for the closure
    // The first `count` steps with their statuses; a property's violation at the last of them with its blame.
    const result = (count: number, v?: { property: string; kind: string; explanation?: string }): ReplayResult => ({
      status: v ? "violation" : "ok",
      params,
      trace: withStatuses(bound, steps.slice(0, count)),
      ...(v ? { violation: { ...v, step: count - 1, ...(v.kind === "deadlock" ? {} : blame(bound, v.property, states[count - 1])) } } : {}),
    });
    for (let i = 0; i < states.length; i++) {
      for (const p of model.properties) {
        if (p.kind !== "always") continue;
        const why = p.violation(states[i]);
        if (why !== undefined) return result(i + 1, { property: p.name, kind: p.kind, explanation: why || undefined });
      }
      if (!model.inConstraint(states[i])) {
        if (i === states.length - 1) return result(steps.length);
        throw new SpecError({
          kind: "bad-path",
          state: states[i],
          path: path.slice(0, i + 1),
          message: `replay step ${i} reaches a state outside the constraint, which the search never expands; the path goes on for ${states.length - 1 - i} more step(s)`,
        });
      }
    }
    const last = states[states.length - 1];
    if (model.successors(last, () => {}) === 0) {
      if (options.checkDeadlock ?? spec.deadlockIsError ?? true) {
        return result(steps.length, { property: "Deadlock", kind: "deadlock", explanation: "no action is enabled" });
      }
      for (const p of model.properties) {
        if (p.kind !== "atEnd") continue;
        const why = p.violation(last);
        if (why !== undefined) return result(steps.length, { property: p.name, kind: p.kind, explanation: why || undefined });
      }
    }
    return result(steps.length);
  } catch (e) {
    if (e instanceof SpecError) return { status: "error", params: model?.params ?? {}, trace: [], error: e.info };
    throw e;
  }
}
