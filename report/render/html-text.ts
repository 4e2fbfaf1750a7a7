/**
 * Text helpers of the HTML renderer: escaping (everything a user or a spec wrote passes
 * through `esc` before it reaches the page) and the values the report model holds, as the
 * other renderers write them (`{"#set": [...]}` as {a, b}, `{"#map": [[k, v]]}` as (k |-> v)).
 */
import { valueText } from "../values.ts";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and for quoted attribute values alike. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON for a `<script type="application/json">`: `<` escaped, so no `</script>` or `<!--` can end or change it. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A one-line rendering of a model value, cut at `width` characters (the other renderers' valueText). */
export function compact(v: unknown, width = 140): string {
  return valueText(v, width);
}

/** A whole state, one top-level field per line (records), else one compact value. */
export function stateLines(state: unknown): string {
  if (state !== null && typeof state === "object" && !Array.isArray(state)) {
    const rec = state as Record<string, unknown>;
    const keys = Object.keys(rec);
    if (!(keys.length === 1 && keys[0].startsWith("#"))) return keys.map((k) => `${k}: ${compact(rec[k], 100_000)}`).join("\n");
  }
  return compact(state, 100_000);
}

/** Cuts a label to `max` characters for places with little room (the full text goes in a tooltip). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}
