/**
 * Text of the JSON values a report holds, for the text, Markdown and JUnit renderers:
 * `{"#set": [...]}` as {a, b}, `{"#map": [[k, v]]}` as (k |-> v), cut at `width` characters.
 */

/** A one-line rendering of a model value. */
export function valueText(v: unknown, width = 120): string {
  const s = render(v, 0);
  return s.length > width ? `${s.slice(0, Math.max(0, width - 3))}...` : s;
}

function render(v: unknown, depth: number): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object") return String(v);
  if (depth > 20) return "...";
  if (Array.isArray(v)) return `[${v.map((x) => render(x, depth + 1)).join(", ")}]`;
  const rec = v as Record<string, unknown>;
  const keys = Object.keys(rec);
  if (keys.length === 1 && keys[0] === "#set" && Array.isArray(rec["#set"])) return `{${rec["#set"].map((x) => render(x, depth + 1)).join(", ")}}`;
  if (keys.length === 1 && keys[0] === "#map" && Array.isArray(rec["#map"])) {
    return `(${rec["#map"].map((e) => (Array.isArray(e) && e.length === 2 ? `${render(e[0], depth + 1)} |-> ${render(e[1], depth + 1)}` : render(e, depth + 1))).join(", ")})`;
  }
  if (keys.length === 1 && keys[0] === "#bigint") return String(rec["#bigint"]);
  return `{${keys.map((k) => `${k}: ${render(rec[k], depth + 1)}`).join(", ")}}`;
}

/** "name=value name=value" of a parameter record, or "(none)". */
export function paramsText(params: Readonly<Record<string, unknown>> | undefined): string {
  const entries = Object.entries(params ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(" ") : "(none)";
}
