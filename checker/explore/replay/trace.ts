/**
 * Counterexamples are stored during the search as (parent id, successor index) per state and
 * rebuilt here by replaying the path from the initial state. Replay re-runs the spec, so a
 * spec that is not deterministic shows up as a path that does not reproduce.
 */
import type { Fingerprint } from "../../values/hash.ts";
import { Fingerprinter } from "../../values/fingerprint.ts";
import { compareValues, ValueMap, ValueSet } from "../../values/value.ts";
import type { BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import type { ChangedField, TraceStep } from "../types.ts";

/** Fingerprint of a state as the search computes it (through the view when there is one). */
export function fingerprintOf(model: BoundSpec, fingerprinter: Fingerprinter, state: unknown): Fingerprint {
  const fp = { hi: 0, lo: 0 };
  fingerprinter.fingerprint(model.viewOf(state), fp);
  return fp;
}

/**
 * Replays `path`. Throws a "bad-path" SpecError naming the step when an index is out of
 * range or names a disabled successor. With `keep`, only the last `keep` states are
 * returned (and held while replaying: a witness of a million-line trace stays small).
 */
export function replayStates(model: BoundSpec, path: readonly number[], keep = Infinity): unknown[] {
  const inits = model.initialStates();
  if (path.length === 0) throw new SpecError({ kind: "bad-path", message: "an empty replay path; it starts with the index of an initial state" });
  if (!Number.isInteger(path[0]) || path[0] < 0 || path[0] >= inits.length) {
    throw new SpecError({ kind: "bad-path", message: `replay step 0: the path starts with ${path[0]}, but there ${inits.length === 1 ? "is 1 initial state" : `are ${inits.length} initial states`} (0-${inits.length - 1})` });
  }
  const firstKept = path.length - Math.min(keep, path.length);
  const states: unknown[] = [];
  let prev = inits[path[0]];
  if (firstKept === 0) states.push(prev);
  for (let i = 1; i < path.length; i++) {
    const next = model.successorAt(prev, path[i]);
    if (next === undefined) {
      const what = model.describeInstance(prev, path[i]);
      const count = model.instanceCount(prev);
      throw new SpecError({
        kind: "bad-path",
        state: prev,
        path: path.slice(0, i),
        message: what
          ? `replay step ${i}: successor ${path[i]}, ${model.formatAction(what.name, what.args)}, is disabled in the state reached by step ${i - 1}`
          : `replay step ${i}: index ${path[i]} is out of range (the state reached by step ${i - 1} has ${count} successor instance${count === 1 ? "" : "s"}, 0-${count - 1})`,
      });
    }
    if (i >= firstKept) states.push(next);
    prev = next;
  }
  return states;
}

/**
 * The last `count` steps of `path`'s trace, and the index of the first of them; at most
 * count + 1 states are held while replaying. Throws as `replayStates` does.
 */
export function rebuildTraceTail(model: BoundSpec, path: readonly number[], count: number): { steps: TraceStep[]; start: number } {
  const start = Math.max(0, path.length - count);
  // One state before the first step kept, for its changed fields.
  const states = replayStates(model, path, path.length - start + (start > 0 ? 1 : 0));
  const steps = traceSteps(model, states, path, start > 0 ? start - 1 : 0);
  return { steps: start > 0 ? steps.slice(1) : steps, start };
}

/**
 * Rebuilds the trace of `path`; `expected` is the fingerprint the search recorded for its
 * end. `reproduced` is false when the path does not replay or ends elsewhere.
 */
export function rebuildTrace(model: BoundSpec, path: readonly number[], expected?: Fingerprint): { steps: TraceStep[]; reproduced: boolean } {
  let states: unknown[];
  try {
    states = replayStates(model, path);
  } catch (e) {
    if (e instanceof SpecError && e.info.kind === "bad-path") return { steps: [], reproduced: false };
    throw e;
  }
  const steps = traceSteps(model, states, path);
  let reproduced = true;
  if (expected) {
    const fp = fingerprintOf(model, new Fingerprinter(), states[states.length - 1]);
    reproduced = fp.hi === expected.hi && fp.lo === expected.lo;
  }
  return { steps, reproduced };
}

/**
 * The trace steps of replayed `states` (path[offset + i] led to states[i]); with an offset,
 * states[0] is only the predecessor of states[1] and its own step is an approximation
 * (callers drop it).
 */
export function traceSteps(model: BoundSpec, states: readonly unknown[], path: readonly number[], offset = 0): TraceStep[] {
  return states.map((state, i) => {
    const formatted = model.formatState(state);
    const shown = formatted === undefined ? {} : { formatted };
    if (i === 0 && offset === 0) return { action: "init", args: [path[0]], label: `Initial state ${path[0]}`, state, changes: diff(undefined, state), ...shown };
    if (i === 0) return { action: "", args: [], label: "", state, changes: [], ...shown };
    const what = model.describeInstance(states[i - 1], path[offset + i])!;
    return { action: what.name, args: what.args, label: model.formatAction(what.name, what.args), state, changes: diff(states[i - 1], state), ...shown };
  });
}

/** Fields of `after` that differ from `before`, down to the leaves of records and arrays. */
export function diff(before: unknown, after: unknown, path = ""): ChangedField[] {
  if (before === undefined) {
    if (isRecord(after)) return Object.keys(after).map((k) => ({ path: join(path, k), before: undefined, after: after[k] }));
    return [{ path: path || "state", before: undefined, after }];
  }
  if (compareValues(before, after) === 0) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => (Object.hasOwn(before, k) && Object.hasOwn(after, k) ? diff(before[k], after[k], join(path, k)) : [{ path: join(path, k), before: before[k], after: after[k] }]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diff(b, after[i], `${path}[${i}]`));
  }
  return [{ path: path || "state", before, after }];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof ValueSet) && !(v instanceof ValueMap);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
