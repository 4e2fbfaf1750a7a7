/**
 * A distributed computation as recorded in an event log: a sequence of events per process
 * and the messages between them. Built from the events a reader parsed (each with its line),
 * validated here so that every reader gets the same checks: a receive without its send, a
 * message sent or received twice, a process that is not in the log, sender and receiver
 * that disagree, a clock of the wrong shape, causal cycles (a receive that would have to
 * happen before its own send), `logged` on anything but a receive, and a process state that
 * breaks the activity rules (activity.ts) are InputErrors naming the line, never a crash.
 *
 * Positions: a process's *position* k in 0..n is the prefix of its first k events. A
 * checkpoint event at index i is position i + 1 ("up to and including the checkpoint"); the
 * initial checkpoint, before the first event, is position 0.
 */
import { InputError } from "../history/input-error.ts";
import { activityError } from "./activity.ts";

export type EventKind = "internal" | "send" | "receive" | "checkpoint";
export type ActivityState = "active" | "passive";
/** A recorded clock: a vector clock (process name to count, zeros may be left out) or a Lamport clock. */
export type RecordedClock = Readonly<Record<string, number>> | number;

/** One event as a reader hands it over (process and peers by name). */
export interface RawEvent {
  readonly process: string;
  readonly kind: EventKind;
  readonly msg?: string;
  readonly to?: string;
  readonly from?: string;
  readonly id?: string;
  readonly round?: number;
  readonly clock?: RecordedClock;
  readonly label?: string;
  /** Receive only: the message is on stable storage and can be replayed (message logging). */
  readonly logged?: boolean;
  /** The process's activity from this event on (see activity.ts). */
  readonly state?: ActivityState;
  /** After this event the process waits for a message from one of these (see activity.ts). */
  readonly blocked?: readonly string[];
  /** 1-based line in the file (for errors and reports). */
  readonly line: number;
  /**
   * Text logs without message ids (ShiViz): messages this event receives, named by the
   * sending event (process name, 1-based index). The builder creates the messages.
   */
  readonly receivesFrom?: readonly { readonly process: string; readonly index: number }[];
  /** A send whose messages come from the receivers' `receivesFrom` (text logs): no msg or to. */
  readonly inferred?: boolean;
}

export interface CutEvent {
  readonly process: number;
  /** 0-based index in its process. */
  readonly index: number;
  readonly kind: EventKind;
  readonly line: number;
  readonly label?: string;
  /** Messages this event sends (indices into Computation.messages). */
  readonly sends: number[];
  /** The message this event receives, or -1. */
  receive: number;
  readonly checkpoint?: string;
  readonly round?: number;
  readonly clock?: RecordedClock;
  /** A logged receive (message logging): replayable after a restart. */
  readonly logged?: true;
  readonly state?: ActivityState;
  /** Process indices it waits for after this event (non-empty), when blocked. */
  readonly blocked?: readonly number[];
}

export interface Message {
  readonly id: string;
  readonly from: number;
  readonly sendIndex: number;
  readonly to: number;
  /** -1 while never received. */
  recvIndex: number;
}

export interface Checkpoint {
  readonly id: string;
  readonly process: number;
  /** The cut position it stands for: its event index + 1 (0 for the initial checkpoint). */
  readonly position: number;
  readonly round?: number;
  readonly line: number;
}

export interface Computation {
  readonly file: string;
  readonly processes: readonly string[];
  readonly events: readonly (readonly CutEvent[])[];
  readonly messages: readonly Message[];
  /** Per process, its checkpoints in order, the initial one (id "initial", position 0) first. */
  readonly checkpoints: readonly (readonly Checkpoint[])[];
  /** "vector", "lamport" or "none": the kind of the clocks recorded (one kind per log). */
  readonly clockKind: "vector" | "lamport" | "none";
}

/** The id the report uses for each process's initial checkpoint; not allowed as a logged id. */
export const INITIAL = "initial";
export const END = "end";

/**
 * Builds and validates a computation. `declared` is the process list from a log header, if
 * any: then every process must be declared; without one the processes are those that log
 * events (in order of first appearance), and a message to or from any other is an error,
 * because nothing could be checked about it.
 */
export function buildComputation(file: string, raw: readonly RawEvent[], declared?: readonly string[]): Computation {
  const fail = (line: number | undefined, detail: string): never => {
    throw new InputError(file, line === undefined ? undefined : `line ${line}`, detail);
  };
  const index = new Map<string, number>();
  const processes: string[] = [];
  if (declared) {
    for (const p of declared) {
      if (index.has(p)) fail(undefined, `process "${p}" is declared twice`);
      index.set(p, processes.length);
      processes.push(p);
    }
  }
  for (const e of raw) {
    if (!index.has(e.process)) {
      if (declared) fail(e.line, `unknown process "${e.process}" (the header declares ${declared.join(", ")})`);
      index.set(e.process, processes.length);
      processes.push(e.process);
    }
  }
  const known = (name: string, line: number, what: string): number => {
    const i = index.get(name);
    if (i === undefined) fail(line, `unknown process "${name}" ${what} (processes in this log: ${processes.join(", ") || "none"})`);
    return i!;
  };
  const events: CutEvent[][] = processes.map(() => []);
  const messages: Message[] = [];
  const byId = new Map<string, { msg: number; line: number; recvLine?: number }>();
  const pendingReceives: { ev: CutEvent; raw: RawEvent }[] = [];
  const checkpointLine = new Map<string, number>();
  const roundSeen = new Map<string, number>();
  let clockKind: Computation["clockKind"] = "none";
  let clockKindLine = 0;
  for (const r of raw) {
    const p = index.get(r.process)!;
    if (r.clock !== undefined) {
      const kind = typeof r.clock === "number" ? "lamport" : "vector";
      if (clockKind === "none") {
        clockKind = kind;
        clockKindLine = r.line;
      } else if (clockKind !== kind) {
        fail(r.line, `a ${kind} clock, but line ${clockKindLine} has a ${clockKind} clock (one kind of clock per log)`);
      }
      checkClockShape(r.clock, r.line, processes, index, fail);
    }
    const ev: CutEvent = {
      process: p, index: events[p].length, kind: r.kind, line: r.line, sends: [], receive: -1,
      ...(r.label !== undefined ? { label: r.label } : {}),
      ...(r.clock !== undefined ? { clock: r.clock } : {}),
      ...(r.logged === true ? { logged: true as const } : {}),
      ...(r.state !== undefined ? { state: r.state } : {}),
      ...(r.blocked !== undefined ? { blocked: r.blocked.map((q) => known(q, r.line, "in \"blocked\"")) } : {}),
    };
    if (r.logged !== undefined && r.kind !== "receive") fail(r.line, "\"logged\" marks receives only (the receiver logs the message)");
    if (r.kind === "send" && r.inferred) {
      // Its messages are created with the receives that name it.
    } else if (r.kind === "send") {
      if (r.msg === undefined || r.to === undefined) fail(r.line, "a send needs \"msg\" and \"to\"");
      const to = known(r.to!, r.line, "as the receiver");
      const prior = byId.get(r.msg!);
      if (prior) fail(r.line, `message "${r.msg}" is sent twice (first at line ${prior.line})`);
      byId.set(r.msg!, { msg: messages.length, line: r.line });
      ev.sends.push(messages.length);
      messages.push({ id: r.msg!, from: p, sendIndex: ev.index, to, recvIndex: -1 });
    } else if (r.kind === "receive") {
      if (r.receivesFrom === undefined) {
        if (r.msg === undefined || r.from === undefined) fail(r.line, "a receive needs \"msg\" and \"from\"");
        known(r.from!, r.line, "as the sender");
      }
      pendingReceives.push({ ev, raw: r });
    } else if (r.kind === "checkpoint") {
      if (r.id === undefined) fail(r.line, "a checkpoint needs an \"id\"");
      if (r.id === INITIAL || r.id === END) fail(r.line, `"${r.id}" is reserved for the ${r.id === INITIAL ? "initial checkpoint" : "end of a log"}; use another checkpoint id`);
      // Ids are unique across the log, as in the textbook figures (C11, C21, ...), so that
      // `uselessCheckpoints` and `--cut p2=c2` name one checkpoint each.
      const prior = checkpointLine.get(r.id!);
      if (prior !== undefined) fail(r.line, `checkpoint id "${r.id}" is already used at line ${prior} (ids are unique across the log)`);
      checkpointLine.set(r.id!, r.line);
      if (r.round !== undefined) {
        const key = `${p}/${r.round}`;
        const priorRound = roundSeen.get(key);
        if (priorRound !== undefined) fail(r.line, `${r.process} takes a second checkpoint of round ${r.round} (first at line ${priorRound})`);
        roundSeen.set(key, r.line);
      }
      Object.assign(ev, { checkpoint: r.id, ...(r.round !== undefined ? { round: r.round } : {}) });
    }
    if (r.kind !== "checkpoint" && r.round !== undefined) fail(r.line, "\"round\" tags checkpoints only");
    events[p].push(ev);
  }
  // Receives are matched once every send is known: the file interleaves processes freely.
  for (const { ev, raw: r } of pendingReceives) {
    if (r.receivesFrom !== undefined) {
      for (const s of r.receivesFrom) {
        const q = known(s.process, r.line, "in the clock");
        const send = events[q][s.index - 1];
        if (!send) fail(r.line, `the clock names event ${s.index} of ${s.process}, which logs only ${events[q].length}`);
        if (ev.receive >= 0) fail(r.line, "this event's clock shows messages from two processes at once (one receive per event)");
        const m = messages.length;
        messages.push({ id: `${s.process}:${s.index}->${processes[ev.process]}:${ev.index + 1}`, from: q, sendIndex: s.index - 1, to: ev.process, recvIndex: ev.index });
        send.sends.push(m);
        ev.receive = m;
      }
      continue;
    }
    const sent = byId.get(r.msg!);
    if (!sent) fail(r.line, `receive of "${r.msg}" without its send (no event sends "${r.msg}")`);
    if (sent!.recvLine !== undefined) fail(r.line, `message "${r.msg}" is received twice (first at line ${sent!.recvLine})`);
    const m = messages[sent!.msg];
    if (processes[m.from] !== r.from) fail(r.line, `"${r.msg}" is received from ${r.from}, but ${processes[m.from]} sent it (line ${sent!.line})`);
    if (m.to !== ev.process) fail(r.line, `"${r.msg}" was sent to ${processes[m.to]} (line ${sent!.line}), not to ${r.process}`);
    sent!.recvLine = r.line;
    m.recvIndex = ev.index;
    ev.receive = sent!.msg;
  }
  const checkpoints = events.map((evs, p) => {
    const list: Checkpoint[] = [{ id: INITIAL, process: p, position: 0, line: 0 }];
    for (const e of evs) if (e.kind === "checkpoint") list.push({ id: e.checkpoint!, process: p, position: e.index + 1, line: e.line, ...(e.round !== undefined ? { round: e.round } : {}) });
    return list;
  });
  const comp: Computation = { file, processes, events, messages, checkpoints, clockKind };
  const cycle = causalCycle(comp);
  if (cycle) fail(cycle.line, `causal cycle: this receive would happen before its own send (${cycle.detail})`);
  const activity = activityError(comp);
  if (activity) fail(activity.line, activity.detail);
  return comp;
}

function checkClockShape(clock: RecordedClock, line: number, processes: readonly string[], index: Map<string, number>, fail: (line: number, d: string) => never): void {
  const okNumber = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
  if (typeof clock === "number") {
    if (!okNumber(clock)) fail(line, `a Lamport clock must be a non-negative safe integer, got ${clock}`);
    return;
  }
  if (clock === null || typeof clock !== "object" || Array.isArray(clock)) fail(line, "a clock must be an object of process counts or a number");
  for (const [k, v] of Object.entries(clock)) {
    if (!index.has(k)) fail(line, `the clock names unknown process "${k}" (processes: ${processes.join(", ")})`);
    if (!okNumber(v)) fail(line, `clock entry "${k}" must be a non-negative safe integer, got ${JSON.stringify(v)}`);
  }
}

/**
 * Kahn's order over the events (process order plus send-before-receive); the events it
 * cannot order lie on or behind a cycle. Returns the line of a blocked receive, or null.
 */
function causalCycle(comp: Computation): { line: number; detail: string } | null {
  const order = topologicalOrder(comp);
  if (order.length === comp.events.reduce((a, e) => a + e.length, 0)) return null;
  const done = comp.processes.map(() => 0);
  for (const [p, i] of order) done[p] = Math.max(done[p], i + 1);
  let best: { line: number; detail: string } | null = null;
  for (let p = 0; p < comp.processes.length; p++) {
    const e = comp.events[p][done[p]];
    if (!e || e.receive < 0) continue;
    const m = comp.messages[e.receive];
    const d = `${comp.processes[p]} receives "${m.id}", sent by ${comp.processes[m.from]} only after events that depend on this receive`;
    if (!best || e.line < best.line) best = { line: e.line, detail: d };
  }
  return best;
}

/**
 * The events in an order compatible with happens-before, as [process, index] pairs
 * (round-robin over the processes; a receive waits for its send). Shorter than the event
 * count when there is a causal cycle.
 */
export function topologicalOrder(comp: Computation): [number, number][] {
  const n = comp.processes.length;
  const next = new Array<number>(n).fill(0);
  const out: [number, number][] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (let p = 0; p < n; p++) {
      const evs = comp.events[p];
      while (next[p] < evs.length) {
        const e = evs[next[p]];
        if (e.receive >= 0) {
          const m = comp.messages[e.receive];
          if (next[m.from] <= m.sendIndex) break;
        }
        out.push([p, next[p]]);
        next[p]++;
        progress = true;
      }
    }
  }
  return out;
}

/** "p2 event 3 (line 14)". */
export function eventName(comp: Computation, p: number, index: number): string {
  const e = comp.events[p][index];
  return `${comp.processes[p]} event ${index + 1}${e ? ` (line ${e.line})` : ""}`;
}
