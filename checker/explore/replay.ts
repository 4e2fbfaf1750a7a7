/**
 * Checking one given path (`--replay 0/3/1`): rebuild its states and evaluate every
 * property along it, as the search would have. Used to reproduce a reported counterexample.
 */
import type { ParamDecls, Spec } from "../spec/spec.ts";
import { Model } from "./model.ts";
import { SpecError, type SpecErrorInfo } from "./spec-error.ts";
import { rebuildTrace } from "./trace.ts";
import type { TraceStep } from "./types.ts";

export interface ReplayResult {
  readonly status: "ok" | "violation" | "error";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly trace: readonly TraceStep[];
  /** The first property that fails along the path, with the step where it fails. */
  readonly violation?: { readonly property: string; readonly kind: string; readonly step: number; readonly explanation?: string };
  readonly error?: SpecErrorInfo;
}

/** Parses "0/3/1" into [0, 3, 1]; throws on anything else. */
export function parseReplayPath(text: string): number[] {
  const parts = text.trim().split("/");
  if (parts.some((p) => !/^\d+$/.test(p))) throw new Error(`a replay path is numbers separated by "/", e.g. 0/3/1; got "${text}"`);
  return parts.map(Number);
}

export function replay<S, D extends ParamDecls>(spec: Spec<S, D>, path: readonly number[], options: { params?: Record<string, unknown>; properties?: readonly string[]; checkDeadlock?: boolean } = {}): ReplayResult {
  let model: Model | undefined;
  try {
    model = new Model(spec as unknown as Spec<unknown, ParamDecls>, options.params, options.properties);
    const { steps, reproduced } = rebuildTrace(model, path);
    if (!reproduced) throw new SpecError({ kind: "nondeterministic", message: `the path ${path.join("/")} cannot be replayed: a step is disabled or out of range` });
    for (let i = 0; i < steps.length; i++) {
      for (const p of model.properties) {
        if (p.kind !== "always") continue;
        const why = p.violation(steps[i].state);
        if (why !== undefined) return { status: "violation", params: model.params, trace: steps.slice(0, i + 1), violation: { property: p.name, kind: p.kind, step: i, explanation: why || undefined } };
      }
    }
    const last = steps[steps.length - 1].state;
    if (model.successors(last, () => {}) === 0) {
      if (options.checkDeadlock ?? spec.deadlockIsError ?? true) {
        return { status: "violation", params: model.params, trace: steps, violation: { property: "Deadlock", kind: "deadlock", step: steps.length - 1, explanation: "no action is enabled" } };
      }
      for (const p of model.properties) {
        if (p.kind !== "atEnd") continue;
        const why = p.violation(last);
        if (why !== undefined) return { status: "violation", params: model.params, trace: steps, violation: { property: p.name, kind: p.kind, step: steps.length - 1, explanation: why || undefined } };
      }
    }
    return { status: "ok", params: model.params, trace: steps };
  } catch (e) {
    if (e instanceof SpecError) return { status: "error", params: model?.params ?? {}, trace: [], error: e.info };
    throw e;
  }
}
