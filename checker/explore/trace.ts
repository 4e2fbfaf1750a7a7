/**
 * Counterexamples are stored during the search as (parent id, successor index) per state and
 * rebuilt here by replaying the path from the initial state. Replay re-runs the spec, so a
 * spec that is not deterministic shows up as a path that does not reproduce.
 */
import type { Fingerprint } from "../values/hash.ts";
import { Fingerprinter } from "../values/fingerprint.ts";
import { compareValues, ValueMap, ValueSet } from "../values/value.ts";
import type { Model } from "./model.ts";
import { SpecError } from "./spec-error.ts";
import type { ChangedField, TraceStep } from "./types.ts";

/** Growable Int32 column (parent ids, successor indices). */
export class IntColumn {
  data = new Int32Array(1 << 12);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  get byteLength(): number {
    return this.data.byteLength;
  }
}

/** The replay path of state `id`: its init index followed by successor indices. */
export function pathTo(id: number, parents: IntColumn, steps: IntColumn): number[] {
  const path: number[] = [];
  for (let at = id; at >= 0; at = parents.data[at]) path.push(steps.data[at]);
  return path.reverse();
}

/** Fingerprint of a state as the search computes it (through the view when there is one). */
export function fingerprintOf(model: Model, fingerprinter: Fingerprinter, state: unknown): Fingerprint {
  const fp = { hi: 0, lo: 0 };
  fingerprinter.fingerprint(model.viewOf(state), fp);
  return fp;
}

/**
 * Replays `path`. Throws a SpecError naming the step when an index is out of range or the
 * successor is disabled (a stale path, or a non-deterministic spec).
 */
export function replayStates(model: Model, path: readonly number[]): unknown[] {
  const inits = model.initialStates();
  if (path.length === 0) throw new SpecError({ kind: "bad-spec", message: "an empty replay path; it starts with the index of an initial state" });
  if (!Number.isInteger(path[0]) || path[0] < 0 || path[0] >= inits.length) {
    throw new SpecError({ kind: "bad-spec", message: `replay path starts with ${path[0]}, but there are ${inits.length} initial states` });
  }
  const states = [inits[path[0]]];
  for (let i = 1; i < path.length; i++) {
    const next = model.successorAt(states[i - 1], path[i]);
    if (next === undefined) {
      const what = model.describeInstance(states[i - 1], path[i]);
      throw new SpecError({
        kind: "nondeterministic",
        state: states[i - 1],
        path: path.slice(0, i),
        message: what
          ? `replay step ${i}: ${model.formatAction(what.name, what.args)} is disabled in the replayed state`
          : `replay step ${i}: the state has no successor with index ${path[i]}`,
      });
    }
    states.push(next);
  }
  return states;
}

/** Rebuilds the trace of `path`; `expected` is the fingerprint the search recorded for its end. */
export function rebuildTrace(model: Model, path: readonly number[], expected?: Fingerprint): { steps: TraceStep[]; reproduced: boolean } {
  let states: unknown[];
  try {
    states = replayStates(model, path);
  } catch (e) {
    if (e instanceof SpecError && e.info.kind === "nondeterministic") return { steps: [], reproduced: false };
    throw e;
  }
  const steps: TraceStep[] = states.map((state, i) => {
    if (i === 0) return { action: "init", args: [path[0]], label: `Initial state ${path[0]}`, state, changes: diff(undefined, state) };
    const what = model.describeInstance(states[i - 1], path[i])!;
    return { action: what.name, args: what.args, label: model.formatAction(what.name, what.args), state, changes: diff(states[i - 1], state) };
  });
  let reproduced = true;
  if (expected) {
    const fp = fingerprintOf(model, new Fingerprinter(), states[states.length - 1]);
    reproduced = fp.hi === expected.hi && fp.lo === expected.lo;
  }
  return { steps, reproduced };
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
    return keys.flatMap((k) => (k in before && k in after ? diff(before[k], after[k], join(path, k)) : [{ path: join(path, k), before: before[k], after: after[k] }]));
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
