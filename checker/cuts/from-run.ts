/**
 * A run of a spec (the trace of an explorer Discovery) written as the NDJSON event log that
 * `dscheck cuts` reads (traces/schemas/event-log.schema.json), from the spec's `events`
 * declaration (../spec/step-events.ts).
 *
 * Each step's events are logged in run order, so the lines are one interleaving of the run.
 * A send to several receivers (or a broadcast, to every other process) is one send event per
 * receiver: a log message has one receiver. A receive is paired, as step-events.ts says,
 * with the earliest unmatched send of its key addressed to the receiver (from its `from`
 * when given). A receive with no such send is a declaration error, except when the run's
 * causality already covers it: a copy the receiver has received before (a duplicate
 * delivery, as in specs whose message set never shrinks) or its own send; that one is
 * logged as an internal event, because a log message is received once. `crash` is an
 * internal event. Every event carries its vector clock (ShiViz's convention, as
 * clocks.ts computes it), so the reader verifies the log against its own happens-before.
 */
import type { TraceStep } from "../explore/types.ts";
import type { StepEvent, StepEvents } from "../spec/step-events.ts";
import { END, INITIAL } from "./computation.ts";

/** A spec's `events` that do not describe a run consistently (the CLI: exit 2). */
export class RunEventsError extends Error {}

interface LogLine {
  process: string;
  kind: "internal" | "send" | "receive" | "checkpoint";
  msg?: string;
  to?: string;
  from?: string;
  id?: string;
  round?: number;
  label?: string;
  state?: "active" | "passive";
  blocked?: string[];
  clock: Record<string, number>;
}

const NAME_MAX = 200, LABEL_MAX = 10_000;

/** An event's `state` and `blocked`, checked (the log reader enforces what they mean). */
function activityOf(ev: StepEvent, index: ReadonlyMap<string, number>, where: string): Pick<LogLine, "state" | "blocked"> {
  const out: Pick<LogLine, "state" | "blocked"> = {};
  if (ev.state !== undefined) {
    if (ev.state !== "active" && ev.state !== "passive") throw new RunEventsError(`${where}: an event's state is "active" or "passive", got ${JSON.stringify(ev.state)}`);
    out.state = ev.state;
  }
  if (ev.blocked !== undefined) {
    if (!Array.isArray(ev.blocked) || ev.blocked.length === 0 || !ev.blocked.every((q) => index.has(q))) throw new RunEventsError(`${where}: blocked names the processes waited for (at least one, each of events.processes), got ${JSON.stringify(ev.blocked)}`);
    out.blocked = [...ev.blocked];
  }
  return out;
}

/** The NDJSON text: a header declaring the processes, then one event per line. */
export function runEventLog<S, P>(decl: StepEvents<S, P>, params: P, trace: readonly TraceStep[]): string {
  const { processes, lines } = runEvents(decl, params, trace);
  const header = JSON.stringify({ format: "dscheck-event-log/1", processes });
  return [header, ...lines.map((l) => JSON.stringify(l))].join("\n") + "\n";
}

/** The header's processes and the event lines (as runEventLog writes them). Throws RunEventsError. */
export function runEvents<S, P>(decl: StepEvents<S, P>, params: P, trace: readonly TraceStep[]): { processes: string[]; lines: LogLine[] } {
  const processes = [...call(() => decl.processes(params), "events.processes")];
  const index = new Map<string, number>();
  for (const p of processes) {
    if (typeof p !== "string" || p.length === 0 || p.length > NAME_MAX) throw new RunEventsError(`events.processes: a process name must be a string of 1 to ${NAME_MAX} characters, got ${JSON.stringify(p)}`);
    if (index.has(p)) throw new RunEventsError(`events.processes names "${p}" twice`);
    index.set(p, index.size);
  }
  const n = processes.length;
  const clocks = processes.map(() => new Array<number>(n).fill(0));
  const sends: { key: string; from: number; to: number; clock: number[]; received: boolean }[] = [];
  const checkpointIds = new Set<string>();
  const lines: LogLine[] = [];
  /** Per line: the send (index into sends) it sends or receives, named once all are known. */
  const messageOf: number[] = [];
  for (let i = 1; i < trace.length; i++) {
    const step = trace[i];
    const where = `step ${i} (${step.label})`;
    const events = call(() => decl.of({ action: step.action, args: step.args, before: trace[i - 1].state as S, after: step.state as S, params }), `${where}: events.of`);
    if (!Array.isArray(events)) throw new RunEventsError(`${where}: events.of must return an array of events`);
    for (const ev of events as readonly StepEvent[]) {
      const p = index.get(ev?.process);
      if (p === undefined) throw new RunEventsError(`${where}: an event of unknown process ${JSON.stringify(ev?.process)} (events.processes: ${processes.join(", ")})`);
      const label = typeof ev.label === "string" ? ev.label : step.label;
      const activity = activityOf(ev, index, where);
      const push = (line: Omit<LogLine, "process" | "clock" | "label">, options: { merge?: number[]; message?: number; label?: string } = {}): number[] => {
        const vc = clocks[p];
        if (options.merge) for (let q = 0; q < n; q++) vc[q] = Math.max(vc[q], options.merge[q]);
        vc[p]++;
        messageOf.push(options.message ?? -1);
        lines.push({ process: processes[p], ...line, label: (options.label ?? label).slice(0, LABEL_MAX), ...activity, clock: named(processes, vc) });
        return vc.slice();
      };
      if (ev.kind === "send") {
        if (typeof ev.msg !== "string") throw new RunEventsError(`${where}: a send of ${ev.process} needs a string msg key`);
        const targets = ev.to === undefined ? processes.filter((_, q) => q !== p) : typeof ev.to === "string" ? [ev.to] : [...ev.to];
        if (targets.length === 0) push({ kind: "internal" });
        for (const t of targets) {
          const q = index.get(t);
          if (q === undefined) throw new RunEventsError(`${where}: ${ev.process} sends "${ev.msg}" to unknown process ${JSON.stringify(t)}`);
          const clock = push({ kind: "send", to: t }, { message: sends.length });
          sends.push({ key: ev.msg, from: p, to: q, clock, received: false });
        }
      } else if (ev.kind === "receive") {
        if (typeof ev.msg !== "string") throw new RunEventsError(`${where}: a receive of ${ev.process} needs a string msg key`);
        const from = ev.from === undefined ? undefined : index.get(ev.from);
        if (ev.from !== undefined && from === undefined) throw new RunEventsError(`${where}: ${ev.process} receives "${ev.msg}" from unknown process ${JSON.stringify(ev.from)}`);
        const fromOk = (x: (typeof sends)[number]) => x.key === ev.msg && (from === undefined || x.from === from);
        const s = sends.findIndex((x) => fromOk(x) && x.to === p && !x.received);
        if (s >= 0) {
          sends[s].received = true;
          push({ kind: "receive", from: processes[sends[s].from] }, { merge: sends[s].clock, message: s });
        } else if (sends.some((x) => fromOk(x) && ((x.to === p && x.received) || x.from === p))) {
          // Happens-before already holds: a copy received before, or the receiver's own send.
          push({ kind: "internal" }, { label: `${label} (a repeated receive of "${ev.msg}": each log message is received once)` });
        } else {
          throw new RunEventsError(`${where}: ${ev.process} receives "${ev.msg}"${ev.from !== undefined ? ` from ${ev.from}` : ""}, but no send of it to ${ev.process} came before`);
        }
      } else if (ev.kind === "checkpoint") {
        const id = ev.id;
        if (typeof id !== "string" || id.length === 0 || id.length > NAME_MAX) throw new RunEventsError(`${where}: a checkpoint of ${ev.process} needs an id of 1 to ${NAME_MAX} characters`);
        if (id === INITIAL || id === END) throw new RunEventsError(`${where}: checkpoint id "${id}" is reserved`);
        if (checkpointIds.has(id)) throw new RunEventsError(`${where}: checkpoint id "${id}" is used twice in the run (ids are unique across a log)`);
        if (ev.round !== undefined && !(Number.isSafeInteger(ev.round) && ev.round >= 0)) throw new RunEventsError(`${where}: checkpoint round must be a non-negative integer`);
        checkpointIds.add(id);
        push({ kind: "checkpoint", id, ...(ev.round !== undefined ? { round: ev.round } : {}) });
      } else if (ev.kind === "internal" || ev.kind === "crash") {
        push({ kind: "internal" }, ev.kind === "crash" && ev.label === undefined ? { label: `crash (${label})` } : {});
      } else {
        throw new RunEventsError(`${where}: unknown event kind ${JSON.stringify((ev as { kind?: unknown }).kind)}`);
      }
    }
  }
  const ids = messageIds(sends.map((x) => x.key));
  // Rebuilt so that msg comes right after kind, as people write these lines.
  const out = lines.map(({ process, kind, ...rest }, l) => (messageOf[l] >= 0 ? { process, kind, msg: ids[messageOf[l]], ...rest } : { process, kind, ...rest }));
  return { processes, lines: out };
}

/** Message ids: the key itself when it names one message and fits; else the key (shortened) with `#k`, bumped until unused. */
function messageIds(keys: readonly string[]): string[] {
  const uses = new Map<string, number>();
  for (const key of keys) uses.set(key, (uses.get(key) ?? 0) + 1);
  const taken = new Set(keys.filter((key) => uses.get(key) === 1 && key.length > 0 && key.length <= NAME_MAX));
  let k = 0;
  return keys.map((key) => {
    if (taken.has(key) && uses.get(key) === 1) return key;
    const base = key.length > NAME_MAX - 20 ? `${key.slice(0, NAME_MAX - 20)}…` : key;
    let id: string;
    do id = `${base}#${++k}`;
    while (taken.has(id));
    taken.add(id);
    return id;
  });
}

function named(processes: readonly string[], vc: readonly number[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  vc.forEach((v, q) => v !== 0 && (out[processes[q]] = v));
  return out;
}

function call<T>(f: () => T, what: string): T {
  try {
    return f();
  } catch (e) {
    throw new RunEventsError(`${what} threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}
