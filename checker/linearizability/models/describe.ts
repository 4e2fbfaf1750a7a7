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
  const echoes = output !== null && output !== undefined && stableStringify(output) === stableStringify(input.value);
  const out = output === undefined ? " -> ?" : echoes ? "" : ` -> ${show(output)}`;
  return `${input.f}${key}${arg}${out}`;
}

/** The error text every built-in model gives for a function it does not know. */
export function unknownFunction(model: string, f: string, known: readonly string[]): string {
  return `${model} has no function "${f}" (known: ${known.join(", ")})`;
}
