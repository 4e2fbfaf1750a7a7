/**
 * Reads a history file in any supported format into operations for the linearizability
 * checker, detecting the format from the content when asked to ("auto").
 */
import { readJepsenHistory } from "../jepsen/read.ts";
import { readTemplatedHistory } from "../jepsen/edn-template.ts";
import { pairEvents } from "../../checker/linearizability/pair-events.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";
import { looksLikeEtcdLog, readPorcupineEtcdLog } from "./etcd-log.ts";
import { looksLikeKvLog, readPorcupineKvLog } from "./kv-log.ts";
import { readDscheckHistory } from "./dscheck-history.ts";

export const HISTORY_FORMATS = ["auto", "jepsen-edn", "jepsen-json", "porcupine-etcd", "porcupine-kv", "dscheck"] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** A history ready to check, with the format it was read as and any model hints it carried. */
export interface LoadedHistory {
  readonly format: Exclude<HistoryFormat, "auto">;
  readonly ops: Operation<OpCall, unknown>[];
  /** Records in the file, client or not (a history of nemesis events only has records but no ops). */
  readonly records: number;
  readonly model?: string;
  readonly init?: unknown;
  /** Jepsen histories: the events of non-client processes (the nemesis), at their positions on the operations' clock. */
  readonly nemesis?: readonly NemesisEvent[];
}

export interface NemesisEvent {
  readonly at: number;
  readonly process: string;
  readonly type: string;
  readonly f: string;
  readonly value: unknown;
}

function nemesisOf(events: readonly { process: number | string; type: string; f: string; value: unknown }[]): NemesisEvent[] {
  const out: NemesisEvent[] = [];
  for (let at = 0; at < events.length; at++) {
    const e = events[at];
    if (typeof e.process !== "number") out.push({ at, process: String(e.process), type: e.type, f: e.f, value: e.value });
  }
  return out;
}

/** A Jepsen history's operations, records and nemesis events: its events read, then paired. */
export function pairJepsenHistory(text: string, file: string): { ops: Operation<OpCall, unknown>[]; records: number; nemesis: NemesisEvent[] } {
  const events = readJepsenHistory(text, file);
  return { ops: pairEvents(events, file), records: events.length, nemesis: nemesisOf(events) };
}

/** Guesses the format of `text`; never fails (Jepsen EDN is the fallback). */
export function detectHistoryFormat(text: string): Exclude<HistoryFormat, "auto"> {
  if (looksLikeEtcdLog(text)) return "porcupine-etcd";
  const head = text.trimStart();
  if (head.startsWith("{") && /^\{\s*("\$schema"|"ops"|"model"|"init")/.test(head)) return "dscheck";
  if (looksLikeKvLog(text)) return "porcupine-kv";
  const brace = head.search(/\{/);
  const afterBrace = brace >= 0 ? head.slice(brace + 1).trimStart() : "";
  return afterBrace.startsWith('"') ? "jepsen-json" : "jepsen-edn";
}

/** Reads `text` of `file` as `format`. Throws InputError for malformed input. */
export function readHistory(text: string, file: string, format: HistoryFormat = "auto"): LoadedHistory {
  const f = format === "auto" ? detectHistoryFormat(text) : format;
  switch (f) {
    case "porcupine-etcd": {
      const events = readPorcupineEtcdLog(text, file);
      return { format: f, ops: pairEvents(events, file), records: events.length };
    }
    case "porcupine-kv": {
      const events = readPorcupineKvLog(text, file);
      return { format: f, ops: pairEvents(events, file), records: events.length };
    }
    case "dscheck": {
      const h = readDscheckHistory(text, file);
      return { format: f, ops: h.ops, records: h.ops.length, model: h.model, init: h.init };
    }
    case "jepsen-edn":
      // Most EDN histories print every record alike: read them with one template (the same result).
      return { format: f, ...(readTemplatedHistory(text, file) ?? pairJepsenHistory(text, file)) };
    case "jepsen-json":
      return { format: f, ...pairJepsenHistory(text, file) };
  }
}
