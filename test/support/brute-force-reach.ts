// An independent brute-force reachability oracle for explorer counts. It shares no code with
// checker/explore or with the value encoding / fingerprinting in checker/values: states are
// keyed by a canonical string built here, and the search is a plain BFS over a JS Set. It
// imports the ValueSet / ValueMap classes only to recognise them and reads them only through
// their iterators (their element order is not trusted: elements are re-sorted here).
//
// Counting (TLC's convention):
// - distinct  = number of distinct states kept (inside the constraint);
// - generated = initial states + one per enabled successor computed (duplicates and
//   self-loops included). A state outside `spec.constraint` counts in generated but is
//   neither distinct nor expanded.
import { ValueMap, ValueSet } from "../../checker/values/value.ts";

/** The parts of a spec this oracle uses (deliberately loose: any dscheck spec fits). */
export interface ReachableSpec {
  readonly params: Record<string, unknown>;
  readonly init: (params: never) => readonly unknown[];
  readonly actions: readonly {
    readonly name: string;
    readonly args?: (params: never) => readonly (readonly unknown[])[];
    readonly argsFrom?: (state: never, params: never) => Iterable<readonly unknown[]>;
    /** The whole successor, or null/undefined when disabled. */
    readonly next?: (state: never, args: never, params: never) => unknown;
    /** Only the fields written (the others carry over), or null/undefined when disabled. */
    readonly update?: (state: never, args: never, params: never) => unknown;
    /** Named guards: all must hold for the instance to be enabled. */
    readonly guards?: Readonly<Record<string, (state: never, args: never, params: never) => boolean>>;
  }[];
  readonly constraint?: (state: never, params: never) => boolean;
  readonly view?: unknown;
}

export interface Reach {
  readonly distinct: number;
  readonly generated: number;
}

/**
 * A canonical string for a state value: equal values (as the spec contract defines equality)
 * give equal strings, and different values different strings. Every form is self-delimiting,
 * and each kind has its own marker, so a number never equals a string, nor a set an array.
 */
export function canonicalString(v: unknown): string {
  if (v === null) return "null";
  if (v === true) return "true";
  if (v === false) return "false";
  if (typeof v === "number") return "n" + String(v); // n1, n-2, n0.5 (String(-0) is "0")
  if (typeof v === "string") return "s" + JSON.stringify(v); // s"1"
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length; i++) parts.push(canonicalString(v[i])); // a hole becomes undefined and throws
    return "[" + parts.join(",") + "]";
  }
  if (v instanceof ValueSet) {
    // A set: its elements' strings, without duplicates, sorted.
    const parts = [...new Set([...v].map(canonicalString))].sort();
    return "set{" + parts.join(",") + "}";
  }
  if (v instanceof ValueMap) {
    const keys = new Set<string>();
    const parts: string[] = [];
    for (const [k, x] of v) {
      const key = canonicalString(k);
      if (keys.has(key)) throw new Error(`brute-force-reach: map has the key ${key} twice`);
      keys.add(key);
      parts.push(key + "=>" + canonicalString(x));
    }
    return "map{" + parts.sort().join(",") + "}";
  }
  if (typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    // A record: its own keys sorted, so key order does not matter.
    const rec = v as Record<string, unknown>;
    const parts = Object.keys(rec).sort().map((k) => JSON.stringify(k) + ":" + canonicalString(rec[k]));
    return "{" + parts.join(",") + "}";
  }
  throw new Error(`brute-force-reach: not a state value: ${String(v)} (${typeof v})`);
}

/** Each declared param's default (a decl is a plain value or `{ default }`), overridden by `overrides`. */
export function defaultParams(decls: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(decls)) {
    params[name] = typeof decl === "object" && decl !== null ? (decl as { default: unknown }).default : decl;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in params)) throw new Error(`brute-force-reach: unknown param ${name}`);
    params[name] = value;
  }
  return params;
}

/** Breadth-first search of every reachable state; returns the distinct and generated counts. */
export function bruteForceReach(spec: ReachableSpec, overrides: Record<string, unknown> = {}): Reach {
  if (spec.view !== undefined) throw new Error("brute-force-reach: specs with a view are not supported");
  const params = defaultParams(spec.params, overrides) as never;
  const seen = new Set<string>();
  const queue: unknown[] = [];
  let generated = 0;

  const found = (state: unknown) => {
    generated++;
    if (spec.constraint && !spec.constraint(state as never, params)) return;
    const key = canonicalString(state);
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(state);
  };

  for (const state of spec.init(params)) found(state);
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as never;
    for (const action of spec.actions) {
      if (action.args && action.argsFrom) throw new Error(`brute-force-reach: ${action.name} has both args and argsFrom`);
      const instances = action.argsFrom ? [...action.argsFrom(state, params)] : action.args ? action.args(params) : [[]];
      for (const args of instances) {
        if (action.guards && !Object.values(action.guards).every((g) => g(state, args as never, params))) continue;
        if (action.next && !action.update) {
          const next = action.next(state, args as never, params);
          if (next !== null && next !== undefined) found(next);
        } else if (action.update && !action.next) {
          const written = action.update(state, args as never, params);
          if (written !== null && written !== undefined) found({ ...(state as object), ...(written as object) });
        } else {
          throw new Error(`brute-force-reach: ${action.name} needs exactly one of next and update`);
        }
      }
    }
  }
  return { distinct: seen.size, generated };
}
