/**
 * Reads the Jepsen 0.0.x log lines of Porcupine's etcd test data:
 * `INFO  jepsen.util - <process>\t:<type>\t:<f>\t<value>` (tab- or space-separated) with f in read/write/cas and value
 * nil, an integer or `[old new]`. Other lines (Jepsen's own logging) are skipped. As in
 * Porcupine's test, `:fail :cas` is a definite compare that returned false, so it becomes an
 * "ok" completion with value `false`; `:info` stays indeterminate.
 */
import { InputError } from "../../checker/history/input-error.ts";
import type { HistoryEvent } from "../../checker/linearizability/pair-events.ts";
import { exactInteger } from "../../checker/history/edn-value.ts";

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\S+)\s+:(\w+)\s+:([\w-]+)\s*(.*)$/;
const TYPES = new Set(["invoke", "ok", "fail", "info"]);

function parseValue(text: string, file: string, where: string): unknown {
  const t = text.trim();
  if (t === "nil" || t === "") return null;
  // Integers stay exact: beyond 2^53 they are bigints, never rounded.
  if (/^-?\d+$/.test(t)) return exactInteger(t);
  const pair = /^\[\s*(-?\d+|nil)\s+(-?\d+|nil)\s*\]$/.exec(t);
  if (pair) return [pair[1] === "nil" ? null : exactInteger(pair[1]), pair[2] === "nil" ? null : exactInteger(pair[2])];
  if (t === ":timed-out") return null;
  throw new InputError(file, where, `cannot read value ${JSON.stringify(t.length > 60 ? t.slice(0, 57) + "..." : t)} (expected nil, an integer or [old new])`);
}

/** Parses the log text of `file` into events. Throws InputError naming the line. */
export function readPorcupineEtcdLog(text: string, file: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, "");
    if (!raw.includes("jepsen.util -")) continue;
    const where = `line ${n + 1}`;
    const m = LINE.exec(raw);
    if (!m) throw new InputError(file, where, "expected `INFO  jepsen.util - <process>\\t:<type>\\t:<f>\\t<value>`");
    const [, processText, type, f, valueText] = m;
    if (!TYPES.has(type)) throw new InputError(file, where, `unknown type :${type}`);
    const process = /^\d+$/.test(processText) ? Number(processText) : processText.replace(/^:/, "");
    const value = parseValue(valueText, file, where);
    const definiteCasFailure = type === "fail" && f === "cas";
    events.push({
      process,
      type: definiteCasFailure ? "ok" : (type as HistoryEvent["type"]),
      f,
      value: definiteCasFailure ? false : value,
      location: where,
    });
  }
  return events;
}

/** True when the text looks like a Porcupine/Jepsen etcd log. */
export function looksLikeEtcdLog(text: string): boolean {
  return /^INFO\s+jepsen\.util\s+-\s/m.test(text.slice(0, 4096));
}
