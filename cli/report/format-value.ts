/**
 * Compact, readable rendering of state values for terminal reports:
 * records as {k: v}, arrays as [a, b], ValueSet as {a, b}, ValueMap as (k |-> v, ...).
 */
import { ValueMap, ValueSet } from "../../checker/index.ts";

export function formatValue(v: unknown, width = 100): string {
  const s = render(v);
  return s.length > width ? `${s.slice(0, width - 3)}...` : s;
}

function render(v: unknown): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `[${v.map(render).join(", ")}]`;
  if (v instanceof ValueSet) return `{${v.items.map(render).join(", ")}}`;
  if (v instanceof ValueMap) return `(${[...v].map(([k, x]) => `${render(k)} |-> ${render(x)}`).join(", ")})`;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${render(x)}`).join(", ")}}`;
}

/** Converts a state to plain JSON (sets and maps in ITF-like `#set` / `#map` form). */
export function toJson(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof ValueSet) return { "#set": v.items.map(toJson) };
  if (v instanceof ValueMap) return { "#map": [...v].map(([k, x]) => [toJson(k), toJson(x)]) };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
}

/** 1234567 -> "1,234,567". */
export function n(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}
