/**
 * Canonical text and equality of history values (JSON values and the exact EDN values of
 * checker/history/edn-value.ts): equal values always print (and hash) the same, distinct
 * ones never. Iterative, so deeply nested values cannot overflow the stack.
 */
import { canonicalText, valuesEqual } from "../history/edn-value.ts";

/** JSON with object keys sorted for JSON values; an injective spelling for the rest. */
export function stableStringify(value: unknown): string {
  return canonicalText(value);
}

/** Exact structural equality: a keyword is not a string, a set not a vector, 2^70 not 2^70+1. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return valuesEqual(a, b);
}
