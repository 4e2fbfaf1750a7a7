/**
 * The Chandy-Lamport snapshot algorithm (K. M. Chandy and L. Lamport, "Distributed
 * Snapshots: Determining Global States of Distributed Systems", ACM TOCS 3(1), 1985) over
 * FIFO channels, with a small application: processes transfer money to each other. The seed
 * notes' chapter on cuts and global state presents it the same way (markers, the recorded
 * state as a consistent cut, stable properties evaluated on it).
 *
 * Process 0 initiates: it records its state and sends a marker on every outgoing channel.
 * A process that receives a marker for the first time records its state, records that
 * channel as empty, sends markers on all its outgoing channels and starts recording its other
 * incoming channels; a later marker on a channel stops that channel's recording. The
 * snapshot is done when every process has recorded and every channel has carried a marker.
 *
 * Properties of the recorded global state S*, checked in every state where it is complete:
 * - SnapshotConsistent: for every channel, the transfers recorded as received are at most
 *   those recorded as sent, and the recorded channel state holds exactly the difference
 *   (no orphan; the in-flight messages are the channel state);
 * - MoneyConserved: the recorded balances plus the recorded channel contents are the total;
 * - StableTermination: termination (no transfer possible, no money in flight) is stable, so
 *   if S* is terminated the current state is too (the notes' "true on the snapshot implies
 *   true at the end").
 * The theorem itself (S* is reachable from the state where the snapshot began, and the
 * state where it completed is reachable from S*) is not a state property: `checkSnapshots`
 * (below) checks it against the reachable graph of the application alone (exploreGraph with
 * snapshot=false), for every complete snapshot state of the full graph.
 *
 * `--param fifo=false` lets a receive take any message of a channel: a marker overtakes a
 * transfer sent before it and the snapshot loses that money (MoneyConserved and
 * SnapshotConsistent fail in 5 steps).
 */
import { always, defineSpec, messageSetEvents, exploreGraph, range, setAt } from "dscheck";

type Item = number | "marker";

/** What the application alone has: the state Chandy-Lamport records. */
export interface AppState {
  readonly balance: readonly number[];
  /** Transfers each process has made (bounded by the `transfers` param). */
  readonly made: readonly number[];
  /** Per channel i*n+j: the amounts in flight, in order. */
  readonly chan: readonly (readonly number[])[];
  /** Per channel: transfers sent on it and received from it so far. */
  readonly sentOn: readonly number[];
  readonly recvOn: readonly number[];
}

interface Recorded {
  readonly balance: number;
  readonly made: number;
  /** This process's counters: sentOn for its outgoing channels, recvOn for its incoming ones (indexed by channel). */
  readonly sentOn: readonly number[];
  readonly recvOn: readonly number[];
}

export interface CLState {
  readonly balance: readonly number[];
  readonly made: readonly number[];
  readonly chan: readonly (readonly Item[])[];
  readonly sentOn: readonly number[];
  readonly recvOn: readonly number[];
  readonly recorded: readonly (Recorded | null)[];
  /** Per channel: the amounts recorded as its state (null before its receiver records). */
  readonly chanRec: readonly (readonly number[] | null)[];
  readonly markerIn: readonly boolean[];
  /** The application state when process 0 initiated (null before). */
  readonly atStart: AppState | null;
}

interface P {
  readonly procs: number;
  readonly money: number;
  readonly transfers: number;
  readonly fifo: boolean;
  readonly snapshot: boolean;
}

const ch = (n: number, i: number, j: number) => i * n + j;
const channels = (n: number) => range(n).flatMap((i) => range(n).filter((j) => j !== i).map((j) => [i, j] as const));

export function appOf(s: CLState): AppState {
  return { balance: s.balance, made: s.made, chan: s.chan.map((q) => q.filter((x): x is number => x !== "marker")), sentOn: s.sentOn, recvOn: s.recvOn };
}

/** S*: the recorded global state, once the snapshot is complete (else null). */
export function recordedState(s: CLState, n: number): AppState | null {
  if (!done(s, n)) return null;
  const rec = s.recorded as readonly Recorded[];
  const sentOn = new Array<number>(n * n).fill(0), recvOn = new Array<number>(n * n).fill(0);
  for (const [i, j] of channels(n)) {
    sentOn[ch(n, i, j)] = rec[i].sentOn[ch(n, i, j)];
    recvOn[ch(n, i, j)] = rec[j].recvOn[ch(n, i, j)];
  }
  return { balance: rec.map((r) => r.balance), made: rec.map((r) => r.made), chan: s.chanRec.map((c) => c ?? []), sentOn, recvOn };
}

function done(s: CLState, n: number): boolean {
  return s.recorded.every((r) => r !== null) && channels(n).every(([i, j]) => s.markerIn[ch(n, i, j)]);
}

/** Termination: no process can transfer and no money is in flight (stable). */
export function terminated(a: AppState, p: P): boolean {
  return a.balance.every((b, i) => b === 0 || a.made[i] >= p.transfers) && a.chan.every((q) => q.length === 0);
}

function record(s: CLState, i: number, n: number, viaChannel: number): Partial<CLState> {
  const rec: Recorded = { balance: s.balance[i], made: s.made[i], sentOn: s.sentOn, recvOn: s.recvOn };
  let chan = s.chan, chanRec = s.chanRec;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    chan = setAt(chan, ch(n, i, j), [...chan[ch(n, i, j)], "marker"]);
    // Incoming channels start recording (empty); the one the marker came on is recorded empty and closed.
    chanRec = setAt(chanRec, ch(n, j, i), []);
  }
  return { recorded: setAt(s.recorded, i, rec), chan, chanRec, markerIn: viaChannel >= 0 ? setAt(s.markerIn, viaChannel, true) : s.markerIn };
}

const spec = defineSpec({
  name: "ChandyLamport",
  description: "Chandy-Lamport snapshot over FIFO channels with money transfers",
  params: {
    procs: { default: 2, min: 2, max: 4, integer: true, description: "processes" },
    money: { default: 2, min: 0, max: 3, integer: true, description: "initial balance of each process" },
    transfers: { default: 2, min: 0, max: 3, integer: true, description: "transfers each process may make (of 1 unit)" },
    fifo: { default: true, description: "FIFO channels (false: a receive takes any message)" },
    snapshot: { default: true, description: "run the snapshot (false: the application alone)" },
  },
  init: ({ procs: n, money }): CLState[] => [{
    balance: range(n).map(() => money),
    made: range(n).map(() => 0),
    chan: range(n * n).map(() => []),
    sentOn: range(n * n).map(() => 0),
    recvOn: range(n * n).map(() => 0),
    recorded: range(n).map(() => null),
    chanRec: range(n * n).map(() => null),
    markerIn: range(n * n).map(() => false),
    atStart: null,
  }],
  actions: [
    {
      name: "Transfer",
      args: ({ procs }) => channels(procs),
      next: (s: CLState, [i, j]: readonly [number, number], p: P) => {
        if (s.balance[i] < 1 || s.made[i] >= p.transfers) return null;
        const c = ch(p.procs, i, j);
        return { ...s, balance: setAt(s.balance, i, s.balance[i] - 1), made: setAt(s.made, i, s.made[i] + 1), chan: setAt(s.chan, c, [...s.chan[c], 1]), sentOn: setAt(s.sentOn, c, s.sentOn[c] + 1) };
      },
    },
    {
      name: "Initiate",
      next: (s: CLState, _a: readonly [], p: P) => (p.snapshot && s.recorded[0] === null ? { ...s, ...record(s, 0, p.procs, -1), atStart: appOf(s) } : null),
    },
    {
      // FIFO: the head of channel i->j; non-FIFO: any position.
      name: "Receive",
      argsFrom: (s: CLState, p: P) => channels(p.procs).flatMap(([i, j]) => {
        const q = s.chan[ch(p.procs, i, j)];
        return (p.fifo ? range(Math.min(1, q.length)) : range(q.length)).map((k) => [i, j, k] as const);
      }),
      next: (s: CLState, [i, j, k]: readonly [number, number, number], p: P) => {
        const n = p.procs, c = ch(n, i, j);
        const q = s.chan[c];
        if (k >= q.length) return null;
        const item = q[k];
        const rest = [...q.slice(0, k), ...q.slice(k + 1)];
        const t = { ...s, chan: setAt(s.chan, c, rest) };
        if (item === "marker") {
          // First marker: record; the channel it came on is recorded empty (record() sets it to [] and closes it).
          if (t.recorded[j] === null) return { ...t, ...record(t, j, n, c) };
          return { ...t, markerIn: setAt(t.markerIn, c, true) };
        }
        const recording = t.recorded[j] !== null && !t.markerIn[c];
        return {
          ...t,
          balance: setAt(t.balance, j, t.balance[j] + item),
          recvOn: setAt(t.recvOn, c, t.recvOn[c] + 1),
          chanRec: recording ? setAt(t.chanRec, c, [...t.chanRec[c]!, item]) : t.chanRec,
        };
      },
    },
  ],
  properties: {
    SnapshotConsistent: always((s: CLState, p: P) => {
      const star = recordedState(s, p.procs);
      if (!star) return true;
      for (const [i, j] of channels(p.procs)) {
        const c = ch(p.procs, i, j);
        if (star.recvOn[c] > star.sentOn[c]) return { holds: false, explanation: `orphan: p${j} recorded ${star.recvOn[c]} transfer(s) from p${i}, which recorded sending ${star.sentOn[c]}` };
        if (star.chan[c].length !== star.sentOn[c] - star.recvOn[c]) return { holds: false, explanation: `channel p${i}->p${j} recorded with ${star.chan[c].length} transfer(s), but ${star.sentOn[c] - star.recvOn[c]} were in flight across the cut` };
      }
      return true;
    }),
    MoneyConserved: always((s: CLState, p: P) => {
      const star = recordedState(s, p.procs);
      if (!star) return true;
      const total = star.balance.reduce((a, b) => a + b, 0) + star.chan.flat().reduce((a, b) => a + b, 0);
      return total === p.procs * p.money || { holds: false, explanation: `the snapshot holds ${total}, the system ${p.procs * p.money}` };
    }),
    StableTermination: always((s: CLState, p: P) => {
      const star = recordedState(s, p.procs);
      return !star || !terminated(star, p) || terminated(appOf(s), p) || { holds: false, explanation: "the snapshot is terminated but the system is not" };
    }),
  },
  // A run ends when every transfer is made and received and the snapshot is done: not a deadlock.
  deadlockIsError: false,
  // Space-time diagrams: channel items are the messages (a receive takes one off its queue); Transfer(i, j) runs on
  // p_i, Receive(i, j) on p_j, Initiate on p0.
  events: messageSetEvents({
    processes: ({ procs }: { procs: number }) => range(procs).map((i) => `p${i}`),
    messages: (s: CLState, { procs }) => channels(procs).flatMap(([i, j]) => s.chan[ch(procs, i, j)].map((item) => ({ i, j, item }))),
    key: ({ i, j, item }) => `${item === "marker" ? "marker" : `$${item}`} p${i}→p${j}`,
    to: ({ j }) => `p${j}`,
    from: ({ i }) => `p${i}`,
    actor: (action, args) => `p${action === "Transfer" ? args[0] : action === "Receive" ? args[1] : 0}`,
  }),
  formatAction: (name, args) => name === "Transfer" ? `Transfer(p${args[0]} -> p${args[1]})` : name === "Receive" ? `Receive(p${args[0]} -> p${args[1]}${args[2] ? `, position ${Number(args[2]) + 1}` : ""})` : name,
});
export default spec;

const key = (a: AppState) => JSON.stringify([a.balance, a.made, a.chan, a.sentOn, a.recvOn]);

export interface SnapshotCheck {
  /** Complete-snapshot states examined (of the full graph). */
  readonly snapshots: number;
  readonly appStates: number;
  /** Failures, with the replay path of the state in the full graph. */
  readonly failures: readonly { readonly path: readonly number[]; readonly reason: string }[];
}

/**
 * The snapshot theorem over the explored graphs: for every reachable state where the
 * snapshot is complete, S* is reachable from the application state where it began, and the
 * current application state is reachable from S*, in the application's own reachable graph.
 */
export function checkSnapshots(params: Partial<P> = {}): SnapshotCheck {
  const full = exploreGraph(spec, { params: { ...params, snapshot: true } });
  const app = exploreGraph(spec, { params: { ...params, snapshot: false } });
  const n = params.procs ?? 2;
  const ids = new Map<string, number>();
  for (let s = 0; s < app.stateCount; s++) ids.set(key(appOf(app.stateOf(s) as CLState)), s);
  const reachCache = new Map<number, Uint8Array>();
  const reach = (from: number) => {
    let seen = reachCache.get(from);
    if (seen) return seen;
    seen = new Uint8Array(app.stateCount);
    const queue = [from];
    seen[from] = 1;
    for (let h = 0; h < queue.length; h++) {
      const x = queue[h];
      for (let e = app.offsets[x]; e < app.offsets[x + 1]; e++) {
        const t = app.targets[e];
        if (t >= 0 && !seen[t]) {
          seen[t] = 1;
          queue.push(t);
        }
      }
    }
    reachCache.set(from, seen);
    return seen;
  };
  const failures: { path: number[]; reason: string }[] = [];
  let snapshots = 0;
  for (let id = 0; id < full.stateCount; id++) {
    const s = full.stateOf(id) as CLState;
    const star = recordedState(s, n);
    if (!star) continue;
    snapshots++;
    const start = ids.get(key(s.atStart!)), mid = ids.get(key(star)), end = ids.get(key(appOf(s)));
    const fail = (reason: string) => failures.push({ path: full.pathTo(id), reason });
    if (start === undefined || end === undefined) fail("the application state is not in the application's graph");
    else if (mid === undefined) fail("the recorded state is not a reachable application state");
    else if (!reach(start)[mid]) fail("the recorded state is not reachable from the state where the snapshot began");
    else if (!reach(mid)[end]) fail("the state where the snapshot completed is not reachable from the recorded state");
  }
  return { snapshots, appStates: app.stateCount, failures };
}

