/**
 * Reads a write log that fixes each key's version order, as GRAIL's rw-register cases ship
 * it: NDJSON, one write per line, in commit order, `{"data": {"_key": "1", "rwAttr": 2}}`
 * (ArangoDB WAL entries). Plain `{"key": k, "value": v}` lines are accepted too.
 */
import { HistoryError, type Value } from "./txn.ts";
import type { VersionOrders } from "./rw-register.ts";

/** Parses `text`; throws HistoryError naming the line of the first malformed entry. */
export function parseWriteLog(text: string): VersionOrders {
  const out = new Map<string, Value[]>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (e) {
      throw new HistoryError(`line ${i + 1}`, `write log is not valid JSON: ${(e as Error).message}`);
    }
    const o = (entry ?? {}) as Record<string, unknown>;
    const data = (typeof o.data === "object" && o.data !== null ? o.data : o) as Record<string, unknown>;
    const key = data._key ?? data.key;
    const value = data.rwAttr ?? data.value;
    if ((typeof key !== "string" && typeof key !== "number") || (typeof value !== "string" && typeof value !== "number")) {
      throw new HistoryError(`line ${i + 1}`, `write log entry needs a key (data._key or key) and a value (data.rwAttr or value)`);
    }
    const values = out.get(String(key)) ?? out.set(String(key), []).get(String(key))!;
    if (!values.includes(value)) values.push(value);
  }
  return out;
}
