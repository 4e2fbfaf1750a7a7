/** Short human text for built-in model operations: `write 3`, `read -> 3`, `cas [1 2] -> false`. */
import type { OpCall } from "../history.ts";
import { stableStringify } from "../stable-json.ts";
import { showEdn } from "../../history/edn-value.ts";

/** A value as Jepsen prints it: nil, 3, "a", :kw, [1 2], #{1 2}, 1180591620717411303424N. */
export function show(v: unknown): string {
  return v === null ? "nil" : typeof v === "string" ? JSON.stringify(v) : showEdn(v);
}

/** `f key value -> output`, with `?` for an unknown output. */
export function describeCall(input: OpCall, output: unknown): string {
  const key = input.key !== undefined ? ` ${JSON.stringify(input.key)}` : "";
  const arg = input.value === null || input.value === undefined ? "" : ` ${show(input.value)}`;
  // A write's completion echoes its argument: show the output only when it says something.
  const echoes = output !== null && output !== undefined && sameValue(output, input.value);
  const out = output === undefined ? " -> ?" : echoes ? "" : ` -> ${show(output)}`;
  return `${input.f}${key}${arg}${out}`;
}

const primitive = (v: unknown) => v === null || v === undefined || typeof v === "number" || typeof v === "string" || typeof v === "boolean" || typeof v === "bigint";

/** Two primitives print alike exactly when they are equal: distinct types never do, -0 prints as 0, NaN as NaN. */
const samePrimitive = (a: unknown, b: unknown) => a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));

/**
 * stableStringify(a) === stableStringify(b), without the text for primitives and arrays of
 * primitives (an array prints as its items' texts in brackets, and the texts are injective).
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (primitive(a) && primitive(b)) return samePrimitive(a, b);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    let k = 0;
    while (k < a.length && primitive(a[k]) && primitive(b[k]) && samePrimitive(a[k], b[k])) k++;
    if (k === a.length) return true;
    // Unequal primitives at k (and primitives before it): the texts differ there.
    if (primitive(a[k]) && primitive(b[k])) return false;
  }
  return stableStringify(a) === stableStringify(b);
}

/** The error text every built-in model gives for a function it does not know. */
export function unknownFunction(model: string, f: string, known: readonly string[]): string {
  return `${model} has no function "${f}" (known: ${known.join(", ")})`;
}
