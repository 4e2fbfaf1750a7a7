/**
 * Reads a write log that fixes each key's version order, as GRAIL's rw-register cases ship
 * it: NDJSON, one write per line, in commit order, `{"data": {"_key": "1", "rwAttr": 2}}`
 * (ArangoDB WAL entries). Plain `{"key": k, "value": v}` lines are accepted too. Keys keep
 * their JSON type; ArangoDB's `_key` is always a string, so the rw-register analysis matches
 * a string key "1" to the integer key 1 of the history when the history has no string "1".
 */
import { HistoryError, type Value } from "./txn.ts";
import type { VersionOrders } from "./rw-register.ts";

/** Parses `text`; throws HistoryError naming the line of the first malformed entry. */
export function parseWriteLog(text: string): VersionOrders {
  const out = new Map<Value, Value[]>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (e) {
      throw new HistoryError(`line ${i + 1}`, `write log is not valid JSON: ${String((e as Error).message).replace(/\r?\n/g, "\\n")}`);
    }
    const own = (x: unknown, k: string): unknown => (x !== null && typeof x === "object" && Object.hasOwn(x, k) ? (x as Record<string, unknown>)[k] : undefined);
    const inner = own(entry, "data");
    const data = inner !== null && typeof inner === "object" ? inner : entry;
    const key = own(data, "_key") ?? own(data, "key");
    const value = own(data, "rwAttr") ?? own(data, "value");
    if ((typeof key !== "string" && typeof key !== "number") || (typeof value !== "string" && typeof value !== "number")) {
      throw new HistoryError(`line ${i + 1}`, `write log entry needs a key (data._key or key) and a value (data.rwAttr or value)`);
    }
    if (typeof key === "number" && !Number.isSafeInteger(key) || typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)) {
      throw new HistoryError(`line ${i + 1}`, `write log entry has an integer beyond 2^53, which JSON cannot carry exactly`);
    }
    const values = out.get(key) ?? out.set(key, []).get(key)!;
    if (!values.includes(value)) values.push(value);
  }
  return out;
}
