/**
 * ShiViz-style text logs: events matched by a regular expression the user gives, with the
 * named groups ShiViz uses: `host` (the process), `clock` (a JSON vector clock) and
 * optionally `event` (the description). Two more optional groups, `checkpoint` (a checkpoint
 * id; the event is a checkpoint when it matches) and `round`, carry what ShiViz has no
 * notion of. The default is GoVector's two-line format, ShiViz's default too:
 *
 *     (?<host>\S*) (?<clock>{.*})\n(?<event>.*)
 *
 * Such logs name no messages: as ShiViz does, an event whose clock has grown in another
 * process's entry receives a message from that process's event of that number (the direct
 * one, when several entries grew through one message). The regex may span lines, so the
 * file is read whole (a stream cannot be matched across line boundaries in general); text
 * that no match covers is an error naming its line, not silently skipped.
 */
import { readTextFile } from "../input.ts";
import { InputError } from "../../checker/history/input-error.ts";
import type { RawEvent } from "../../checker/cuts/computation.ts";

export const GOVECTOR_REGEX = String.raw`(?<host>\S*) (?<clock>{.*})\n(?<event>.*)`;

export class RegexError extends Error {}

export function compileLogRegex(source: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(source, "gm");
  } catch (e) {
    throw new RegexError(`--regex is not a valid regular expression: ${(e as Error).message}`);
  }
  for (const g of ["host", "clock"]) if (!source.includes(`(?<${g}>`)) throw new RegexError(`--regex needs the named groups (?<host>...) and (?<clock>...), as ShiViz's does`);
  return re;
}

interface TextEvent {
  host: string;
  clock: Record<string, number>;
  label?: string;
  checkpoint?: string;
  round?: number;
  line: number;
}

export function readTextLog(file: string, regex: RegExp): { events: RawEvent[] } {
  // Strict UTF-8 (invalid bytes are an error naming the line, not U+FFFD); a file that cannot be read is one line.
  const text = readTextFile(file).replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  return parseTextLog(file, text, regex);
}

export function parseTextLog(file: string, text: string, regex: RegExp): { events: RawEvent[] } {
  const re = new RegExp(regex.source, "gm");
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const fail = (offset: number, detail: string): never => {
    throw new InputError(file, `line ${lineOf(offset)}`, detail);
  };
  const events: TextEvent[] = [];
  let pos = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      if (m.index >= text.length) break;
      fail(m.index, "the regex matches empty text here: it must match each event");
    }
    const gap = text.slice(pos, m.index);
    if (gap.trim() !== "") fail(pos + gap.search(/\S/), `text the regex does not match: ${JSON.stringify(gap.trim().slice(0, 60))}`);
    pos = m.index + m[0].length;
    const g = m.groups ?? {};
    const line = lineOf(m.index);
    if (!g.host) fail(m.index, "the host group is empty");
    let clock: unknown;
    try {
      clock = JSON.parse(g.clock ?? "");
    } catch (e) {
      if (e instanceof RangeError) fail(m.index, "the clock is nested too deeply to read");
      fail(m.index, `the clock is not valid JSON: ${(e as Error).message}`);
    }
    if (clock === null || typeof clock !== "object" || Array.isArray(clock)) fail(m.index, "the clock must be a JSON object of process counts");
    for (const [k, v] of Object.entries(clock as object)) {
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) fail(m.index, `clock entry "${k}" must be a non-negative safe integer, got ${JSON.stringify(v)}`);
    }
    let round: number | undefined;
    if (g.round !== undefined && g.round !== "") {
      round = Number(g.round);
      if (!/^\d+$/.test(g.round) || !Number.isSafeInteger(round)) fail(m.index, `round must be a non-negative integer, got "${g.round}"`);
    }
    events.push({
      host: g.host!, clock: clock as Record<string, number>, line,
      ...(g.event !== undefined ? { label: g.event } : {}),
      ...(g.checkpoint ? { checkpoint: g.checkpoint } : {}),
      ...(round !== undefined ? { round } : {}),
    });
  }
  const rest = text.slice(pos);
  if (rest.trim() !== "") fail(pos + rest.search(/\S/), `text the regex does not match: ${JSON.stringify(rest.trim().slice(0, 60))}`);
  return { events: inferMessages(file, events) };
}

/** A clock's entry for process `q` (0 when left out; own entries only, so a host named constructor is not Object). */
const entry = (clock: Record<string, number>, q: string): number => (Object.hasOwn(clock, q) ? clock[q] : 0);

/** ShiViz's inference of messages from vector clocks. */
function inferMessages(file: string, events: TextEvent[]): RawEvent[] {
  const byHost = new Map<string, TextEvent[]>();
  for (const e of events) (byHost.get(e.host) ?? byHost.set(e.host, []).get(e.host)!).push(e);
  const at = (host: string, k: number) => byHost.get(host)?.[k - 1];
  const senders = new Set<TextEvent>();
  const receives = new Map<TextEvent, { process: string; index: number }[]>();
  for (const [host, evs] of byHost) {
    evs.forEach((e, i) => {
      const fail = (d: string): never => {
        throw new InputError(file, `line ${e.line}`, d);
      };
      // ShiViz requires the own entry to grow by one per event; dscheck's convention is exactly that.
      if (entry(e.clock, host) !== i + 1) fail(`${host}'s own clock entry is ${entry(e.clock, host)}, but this is its event ${i + 1} (every event ticks its own entry)`);
      const prev = i > 0 ? evs[i - 1].clock : Object.create(null);
      const grown: { process: string; index: number }[] = [];
      for (const [q, k] of Object.entries(e.clock)) {
        if (q === host) continue;
        if (!byHost.has(q)) fail(`the clock names process "${q}", which logs no event`);
        if (k < entry(prev, q)) fail(`clock entry ${q} went down from ${prev[q]} to ${k}`);
        if (k > entry(prev, q)) {
          if (!at(q, k)) fail(`the clock names event ${k} of ${q}, which logs only ${byHost.get(q)!.length}`);
          grown.push({ process: q, index: k });
        }
      }
      // Direct senders: those no other grown entry's event already knows of.
      const direct = grown.filter((c) => !grown.some((d) => d !== c && entry(at(d.process, d.index)!.clock, c.process) >= c.index));
      if (direct.length > 1) fail(`this event's clock shows messages from ${direct.map((d) => d.process).join(" and ")} at once (one receive per event)`);
      if (direct.length === 1) {
        if (e.checkpoint) fail("a checkpoint event cannot also receive a message (its clock grew in another entry)");
        receives.set(e, direct);
        senders.add(at(direct[0].process, direct[0].index)!);
      }
    });
  }
  return events.map((e): RawEvent => {
    const base = { process: e.host, clock: e.clock, line: e.line, ...(e.label !== undefined ? { label: e.label } : {}) };
    if (e.checkpoint) return { ...base, kind: "checkpoint", id: e.checkpoint, ...(e.round !== undefined ? { round: e.round } : {}) };
    const r = receives.get(e);
    if (r) return { ...base, kind: "receive", receivesFrom: r };
    return { ...base, kind: senders.has(e) ? "send" : "internal", ...(senders.has(e) ? { inferred: true } : {}) };
  });
}
