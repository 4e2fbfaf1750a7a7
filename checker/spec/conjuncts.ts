/**
 * Properties written as named conjuncts, so that a report can say which part of an invariant
 * failed and with which values (TLC's long-standing request: "which conjunct failed?").
 *
 *   ElectionSafety: always(all({ oneLeaderPerTerm: (s) => ..., leadersHaveQuorum: (s, p) => ... }))
 *
 * `all` returns an ordinary property check (the conjunction, evaluated in order, stopping at
 * the first that fails, as `&&` would), so the search pays nothing for the names. Blame is
 * computed only when a report is built: each conjunct is evaluated on a stand-in for the
 * state that records the fields it reads (`blameOf`).
 */
import type { CheckResult } from "./spec.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Check<S> = (state: S, params: any) => CheckResult;

/** A conjunction of named checks; `conjuncts` keeps them for blame. */
export type ConjunctionCheck<S> = Check<S> & { readonly conjuncts: Readonly<Record<string, Check<S>>> };

/** One conjunct as evaluated in a state: whether it holds, and the state fields it read. */
export interface ConjunctStatus {
  readonly name: string;
  readonly holds: boolean;
  readonly explanation?: string;
  /** Each leaf the conjunct read (a path such as `state[1]` or `votes.a`), with its value. */
  readonly reads: Readonly<Record<string, unknown>>;
}

const outcome = (r: CheckResult): { holds: boolean; explanation?: string } =>
  typeof r === "boolean" ? { holds: r } : { holds: r?.holds === true, ...(r?.explanation ? { explanation: String(r.explanation) } : {}) };

/**
 * The conjunction of `conjuncts`, in their order: holds when every one holds; otherwise the
 * explanation is the first failing conjunct's own, or "<name> fails" when it gives none.
 */
export function all<S>(conjuncts: Readonly<Record<string, Check<S>>>): ConjunctionCheck<S> {
  const entries = Object.entries(conjuncts);
  const check = (state: S, params: unknown): CheckResult => {
    for (const [name, c] of entries) {
      const r = c(state, params);
      if (r === true) continue;
      const o = outcome(r);
      if (o.holds) continue;
      return { holds: false, explanation: o.explanation ?? `${name} fails` };
    }
    return true;
  };
  return Object.assign(check, { conjuncts: Object.freeze({ ...conjuncts }) });
}

/** True for checks made by `all`. */
export function isConjunction<S>(check: unknown): check is ConjunctionCheck<S> {
  return typeof check === "function" && typeof (check as { conjuncts?: unknown }).conjuncts === "object" && (check as { conjuncts?: unknown }).conjuncts !== null;
}

/**
 * Every conjunct of `check` evaluated in `state` (all of them, not only up to the first that
 * fails), each with the leaves of the state it read; undefined when `check` is not a
 * conjunction. A conjunct that throws counts as failing, with the error as its explanation.
 */
export function blameOf<S>(check: unknown, state: S, params: unknown): ConjunctStatus[] | undefined {
  if (!isConjunction<S>(check)) return undefined;
  return Object.entries(check.conjuncts).map(([name, c]) => {
    const reads = new Map<string, unknown>();
    let o: { holds: boolean; explanation?: string };
    try {
      o = outcome(c(recording(state, "", reads) as S, params));
    } catch (e) {
      o = { holds: false, explanation: `threw: ${e instanceof Error ? e.message : String(e)}` };
    }
    return { name, ...o, reads: leaves(reads) };
  });
}

const isPlain = (v: unknown): v is object => {
  if (v === null || typeof v !== "object") return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const childPath = (parent: string, key: string, isArray: boolean) =>
  isArray && /^\d+$/.test(key) ? `${parent}[${key}]` : parent === "" ? key : `${parent}.${key}`;

/**
 * A stand-in for `value` that records each own field read through it (nested records and
 * arrays too). Other objects (ValueSet, ValueMap) are handed out as they are, recorded whole:
 * their methods need the real object. The proxy's target is a copy, so frozen states keep
 * the proxy invariants.
 */
function recording(value: unknown, path: string, reads: Map<string, unknown>): unknown {
  if (!isPlain(value)) return value;
  const isArray = Array.isArray(value);
  const target = isArray ? [...(value as unknown[])] : { ...(value as object) };
  return new Proxy(target, {
    get(_t, key) {
      const v = Reflect.get(value, key);
      if (typeof key === "symbol" || !Object.hasOwn(value, key) || (isArray && key === "length")) return v;
      const p = childPath(path, key, isArray);
      reads.set(p, v);
      return recording(v, p, reads);
    },
  });
}

/** The reads that are not just a way to a deeper read, in the order first read. */
function leaves(reads: Map<string, unknown>): Record<string, unknown> {
  const paths = [...reads.keys()];
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    if (paths.some((q) => q !== p && (q.startsWith(p + ".") || q.startsWith(p + "[")))) continue;
    out[p] = reads.get(p);
  }
  return out;
}
