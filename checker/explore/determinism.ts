/**
 * Spot checks of the purity contract on a sample of states: expanding a state twice must
 * give the same successors, and must not change the state itself. Sampling keeps the cost
 * to a few per cent; every state in a small model is checked.
 */
import type { Fingerprint } from "../values/hash.ts";
import { Fingerprinter } from "../values/fingerprint.ts";
import type { Model } from "./model.ts";
import { SpecError } from "./spec-error.ts";
import { fingerprintOf } from "./trace.ts";

/** The first 1,024 states, then one in 1,024. */
export function shouldSample(id: number): boolean {
  return id < 1024 || (id & 1023) === 0;
}

/**
 * Expands `state` twice more and compares; `before` is its fingerprint taken before the
 * search expanded it. Throws a SpecError naming the action at fault.
 */
export function checkDeterminism(
  model: Model,
  state: unknown,
  before: Fingerprint,
  path: () => number[],
  memoized?: readonly { instance: number; hi: number; lo: number }[],
): void {
  const fingerprinter = new Fingerprinter();
  const after = fingerprintOf(model, fingerprinter, state);
  if (after.hi !== before.hi || after.lo !== before.lo) {
    throw new SpecError({ kind: "mutated-state", state, path: path(), message: "an action modified the state it was given (states are immutable: return a new object instead)" });
  }
  const first = expand(model, state, fingerprinter);
  const second = expand(model, state, fingerprinter);
  if (memoized) compareMemoized(model, state, first, memoized, path);
  for (let i = 0; i < Math.max(first.length, second.length); i++) {
    const a = first[i], b = second[i];
    if (a && b && a.instance === b.instance && a.hi === b.hi && a.lo === b.lo) continue;
    const instance = (a ?? b)!.instance;
    const what = model.describeInstance(state, instance);
    const label = what ? model.formatAction(what.name, what.args) : `successor ${instance}`;
    throw new SpecError({
      kind: "nondeterministic",
      action: what?.name,
      args: what?.args,
      state,
      path: path(),
      message: `${label} gave different results when evaluated twice on the same state (actions must be deterministic: no random numbers, clocks or shared mutable data)`,
    });
  }
}

function expand(model: Model, state: unknown, fingerprinter: Fingerprinter): { instance: number; hi: number; lo: number }[] {
  const out: { instance: number; hi: number; lo: number }[] = [];
  model.successors(state, (instance, next) => {
    const fp = fingerprintOf(model, fingerprinter, next);
    out.push({ instance, hi: fp.hi, lo: fp.lo });
  });
  return out;
}

/** Memoized successors (action-memo.ts) must be what evaluating the actions gives. */
function compareMemoized(
  model: Model,
  state: unknown,
  real: readonly { instance: number; hi: number; lo: number }[],
  memoized: readonly { instance: number; hi: number; lo: number }[],
  path: () => number[],
): void {
  for (let i = 0; i < Math.max(real.length, memoized.length); i++) {
    const a = real[i], b = memoized[i];
    if (a && b && a.instance === b.instance && a.hi === b.hi && a.lo === b.lo) continue;
    const instance = a && b ? Math.min(a.instance, b.instance) : (a ?? b)!.instance;
    const what = model.describeInstance(state, instance);
    const label = what ? model.formatAction(what.name, what.args) : `successor ${instance}`;
    throw new SpecError({
      kind: "nondeterministic",
      action: what?.name,
      args: what?.args,
      state,
      path: path(),
      message:
        `${label} gave a different result than its memoized one (memoize: true): with memoization on, an action must read ` +
        `the state fields it depends on by name (s.field), not through a copy of the state ({...s}.field, Object.values(s), JSON.stringify(s))`,
    });
  }
}
