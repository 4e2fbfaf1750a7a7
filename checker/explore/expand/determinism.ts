/**
 * Spot checks of the purity contract on a sample of states: expanding a state twice must
 * give the same successors, and must not change the state itself. Sampling keeps the cost
 * to a few per cent; every state in a small model is checked.
 */
import type { Fingerprint } from "../../values/hash.ts";
import { Fingerprinter } from "../../values/fingerprint.ts";
import type { BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import { fingerprintOf } from "../replay/trace.ts";

/** The first 1,024 states, then one in 1,024. */
export function shouldSample(id: number): boolean {
  return id < 1024 || (id & 1023) === 0;
}

/**
 * Expands `state` twice more and compares; `before` is its fingerprint taken before the
 * search expanded it. Throws a SpecError naming the action at fault.
 */
export function checkDeterminism(
  model: BoundSpec,
  state: unknown,
  before: Fingerprint,
  path: () => number[],
  memoized?: readonly Successor[],
): void {
  const fingerprinter = new Fingerprinter();
  const after = fingerprintOf(model, fingerprinter, state);
  if (after.hi !== before.hi || after.lo !== before.lo) {
    throw new SpecError({ kind: "mutated-state", state, path: path(), message: "an action modified the state it was given (states are immutable: return a new object instead)" });
  }
  // Re-evaluations are not part of the search: keep them out of the guard counts.
  const counts = model.guardFailures.map((g) => g.slice());
  const first = expand(model, state, fingerprinter);
  const second = expand(model, state, fingerprinter);
  counts.forEach((c, a) => model.guardFailures[a].set(c));
  if (memoized) {
    compare(model, state, first, memoized, path, (label) =>
      `${label} gave a different result than its memoized one (memoize: true): with memoization on, an action must decide ` +
      `only on state fields it reads from its state argument, not on fields of a copy of the state (const t = { ...s }; t.field)`,
    );
  }
  compare(model, state, first, second, path, (label) =>
    `${label} gave different results when evaluated twice on the same state (actions must be deterministic: no random numbers, clocks or shared mutable data)`,
  );
}

export type Successor = { instance: number; hi: number; lo: number };

function expand(model: BoundSpec, state: unknown, fingerprinter: Fingerprinter): Successor[] {
  const out: Successor[] = [];
  model.successors(state, (instance, next) => {
    const fp = fingerprintOf(model, fingerprinter, next);
    out.push({ instance, hi: fp.hi, lo: fp.lo });
  });
  return out;
}

/** Throws a SpecError naming the first instance where two successor lists differ. */
function compare(model: BoundSpec, state: unknown, xs: readonly Successor[], ys: readonly Successor[], path: () => number[], message: (label: string) => string): void {
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const a = xs[i], b = ys[i];
    if (a && b && a.instance === b.instance && a.hi === b.hi && a.lo === b.lo) continue;
    const instance = a && b ? Math.min(a.instance, b.instance) : (a ?? b)!.instance;
    const what = model.describeInstance(state, instance);
    const label = what ? model.formatAction(what.name, what.args) : `successor ${instance}`;
    throw new SpecError({ kind: "nondeterministic", action: what?.name, args: what?.args, state, path: path(), message: message(label) });
  }
}
