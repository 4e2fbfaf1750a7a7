/**
 * Cuts: a position per process (the prefix of its first k events). A cut is consistent when
 * no message is an *orphan* (received inside the cut, sent outside it); the messages sent
 * inside and not received inside are in flight: the channel states of the global state the
 * cut stands for.
 */
import { END, INITIAL, type Computation } from "./computation.ts";

export type Cut = readonly number[];

export interface MessageRef {
  readonly msg: string;
  readonly from: string;
  readonly to: string;
  /** 1-based event indices; receiveIndex is absent for a message never received. */
  readonly sendIndex: number;
  readonly receiveIndex?: number;
  readonly sendLine: number;
  readonly receiveLine?: number;
}

export interface ChannelState {
  readonly from: string;
  readonly to: string;
  /** Message ids in send order. */
  readonly messages: readonly string[];
}

export interface CutReport {
  /** Per process: its position (events kept) and how the cut names it. */
  readonly positions: Readonly<Record<string, { readonly events: number; readonly at: string }>>;
  readonly consistent: boolean;
  readonly orphans: readonly MessageRef[];
  /** Non-empty channels only, ordered by sender then receiver. */
  readonly inFlight: readonly ChannelState[];
}

export function messageRef(comp: Computation, m: number): MessageRef {
  const msg = comp.messages[m];
  const sendLine = comp.events[msg.from][msg.sendIndex].line;
  return {
    msg: msg.id, from: comp.processes[msg.from], to: comp.processes[msg.to], sendIndex: msg.sendIndex + 1, sendLine,
    ...(msg.recvIndex >= 0 ? { receiveIndex: msg.recvIndex + 1, receiveLine: comp.events[msg.to][msg.recvIndex].line } : {}),
  };
}

/** The orphan messages of a cut (indices into comp.messages), in message order. */
export function orphans(comp: Computation, cut: Cut): number[] {
  const out: number[] = [];
  comp.messages.forEach((m, i) => {
    if (m.recvIndex >= 0 && m.recvIndex < cut[m.to] && m.sendIndex >= cut[m.from]) out.push(i);
  });
  return out;
}

export function isConsistent(comp: Computation, cut: Cut): boolean {
  return orphans(comp, cut).length === 0;
}

/** How a position is named: `initial`, a checkpoint id, `end`, or the event count. */
export function positionName(comp: Computation, p: number, k: number): string {
  if (k === comp.events[p].length && k > 0) return END;
  const c = comp.checkpoints[p].find((x) => x.position === k);
  if (c) return c.id;
  return k === comp.events[p].length ? END : String(k);
}

export function evaluateCut(comp: Computation, cut: Cut): CutReport {
  const orph = orphans(comp, cut);
  const channels = new Map<string, { from: number; to: number; messages: string[] }>();
  comp.messages.forEach((m) => {
    const sentInside = m.sendIndex < cut[m.from];
    const receivedInside = m.recvIndex >= 0 && m.recvIndex < cut[m.to];
    if (!sentInside || receivedInside) return;
    const key = `${m.from}/${m.to}`;
    const ch = channels.get(key) ?? channels.set(key, { from: m.from, to: m.to, messages: [] }).get(key)!;
    ch.messages.push(m.id);
  });
  // Send order within a channel: messages are stored in log order, which is each sender's order.
  const inFlight = [...channels.values()]
    .sort((a, b) => a.from - b.from || a.to - b.to)
    .map((c) => ({ from: comp.processes[c.from], to: comp.processes[c.to], messages: c.messages }));
  const positions: Record<string, { events: number; at: string }> = Object.create(null); // keyed by process name (__proto__ included)
  comp.processes.forEach((name, p) => (positions[name] = { events: cut[p], at: positionName(comp, p, cut[p]) }));
  return { positions, consistent: orph.length === 0, orphans: orph.map((m) => messageRef(comp, m)), inFlight };
}

export class CutSpecError extends Error {}

/**
 * Parses `p1=3,p2=c2,p3=end`: a count of events, a checkpoint id of that process (its events
 * up to and including the checkpoint), `initial` or `end`. Processes left out stand at the
 * end of their log: a snapshot usually names the processes it cuts short, and the report
 * prints every position, so nothing is silently assumed.
 */
export function parseCut(comp: Computation, text: string): Cut {
  const cut = comp.events.map((e) => e.length);
  const seen = new Set<number>();
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) throw new CutSpecError(`--cut expects process=position pairs, got "${text}"`);
  for (const part of parts) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) throw new CutSpecError(`--cut: "${part}" is not process=position`);
    const name = m[1].trim(), at = m[2].trim();
    const p = comp.processes.indexOf(name);
    if (p < 0) throw new CutSpecError(`--cut: unknown process "${name}" (processes: ${comp.processes.join(", ")})`);
    if (seen.has(p)) throw new CutSpecError(`--cut names ${name} twice`);
    seen.add(p);
    const n = comp.events[p].length;
    if (/^\d+$/.test(at)) {
      const k = Number(at);
      if (!Number.isSafeInteger(k) || k > n) throw new CutSpecError(`--cut: ${name} logs ${n} events, so its position is 0..${n}, got ${at}`);
      cut[p] = k;
    } else if (at === END) {
      cut[p] = n;
    } else {
      const c = comp.checkpoints[p].find((x) => x.id === at);
      if (!c) {
        const other = comp.checkpoints.flat().find((x) => x.id === at && x.id !== INITIAL);
        const ids = comp.checkpoints[p].map((x) => x.id).join(", ");
        throw new CutSpecError(`--cut: ${other ? `checkpoint "${at}" belongs to ${comp.processes[other.process]}, not ${name}` : `${name} has no checkpoint "${at}"`} (its checkpoints: ${ids}; or a count of events, or end)`);
      }
      cut[p] = c.position;
    }
  }
  return cut;
}
