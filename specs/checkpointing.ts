/**
 * Checkpointing and rollback recovery: uncoordinated checkpointing, where `explore` finds a
 * run with the domino effect, and coordinated checkpointing, where the latest permanent
 * checkpoints always form a consistent global checkpoint. After the seed notes' chapter on
 * checkpointing (uncoordinated, coordinated and communication-induced checkpointing; the
 * domino effect; Koo and Toueg's two-phase coordinated checkpoints) and Chandy and Lamport
 * (ACM TOCS 3(1), 1985) for the marker rule that makes a round consistent.
 *
 * Processes exchange application messages over FIFO channels. Each process's state holds
 * its event log (sends, receives, checkpoints), so every state *is* an event log that
 * checker/cuts analyses: the properties below call its recovery line and cut checks.
 *
 * - mode=uncoordinated: a process checkpoints whenever it likes (up to `checkpoints` times).
 * - mode=coordinated: p0 starts round r by checkpointing and sending a marker on every
 *   channel; a process checkpoints on its first marker of round r, before any later message
 *   of that channel, and forwards markers (Chandy-Lamport); the round commits (Koo-Toueg's
 *   second phase) once every process has its round-r checkpoint. Only committed checkpoints
 *   are permanent: recovery uses those.
 *
 * Properties:
 * - LatestConsistent: the latest permanent checkpoints form a consistent cut (no orphan).
 * - NoDomino: once every process has a permanent checkpoint, the failure of any one process
 *   pushes no process back to its initial state (the recovery line of checker/cuts).
 * - AllCheckpoints (sometimes): a run takes every checkpoint the bound allows (coordinated:
 *   commits every round).
 * LatestConsistent and NoDomino hold for mode=coordinated; `--invariant NoDomino` with mode=uncoordinated gives the
 * shortest domino run (4 steps: p1 checkpoints and sends m, p0 receives m and checkpoints;
 * p1 fails and p0 must roll back past its only checkpoint). `events` describes each step,
 * so `explore --event-log run.ndjson` writes the counterexample (or the example) as an event
 * log for `dscheck cuts`.
 */
import { always, sometimes, buildComputation, defineSpec, isConsistent, range, recoveryLine, setAt, type RawEvent, type StepEvent } from "dscheck";

/** A logged event: send to j (seq on that channel), receive from i (seq), checkpoint (round, 0 when uncoordinated). */
type Ev = readonly ["s", number, number] | readonly ["r", number, number] | readonly ["c", number];

export interface CkState {
  readonly log: readonly (readonly Ev[])[];
  /** Per channel i*n+j: application messages (their seq, >= 0) and markers (-round), in order. */
  readonly chan: readonly (readonly number[])[];
  /** Coordinated: the last committed round. */
  readonly committed: number;
}

interface P {
  readonly procs: number;
  readonly sends: number;
  readonly checkpoints: number;
  readonly mode: "uncoordinated" | "coordinated";
}

const ch = (n: number, i: number, j: number) => i * n + j;
const pairs = (n: number) => range(n).flatMap((i) => range(n).filter((j) => j !== i).map((j) => [i, j] as const));
const count = (evs: readonly Ev[], k: Ev[0]) => evs.filter((e) => e[0] === k).length;
const lastRound = (evs: readonly Ev[]) => {
  for (let i = evs.length - 1; i >= 0; i--) if (evs[i][0] === "c") return evs[i][1] as number;
  return 0;
};
const sentOn = (evs: readonly Ev[], j: number) => evs.filter((e) => e[0] === "s" && e[1] === j).length;

function withEvent(s: CkState, i: number, e: Ev): readonly (readonly Ev[])[] {
  return setAt(s.log, i, [...s.log[i], e]);
}

/** Takes process i's checkpoint of `round` and sends markers on its outgoing channels. */
function checkpointRound(s: CkState, i: number, round: number, n: number): CkState {
  let chan = s.chan;
  for (let j = 0; j < n; j++) if (j !== i) chan = setAt(chan, ch(n, i, j), [...chan[ch(n, i, j)], -round]);
  return { ...s, log: withEvent(s, i, ["c", round]), chan };
}

/**
 * The state's log as RawEvents for checker/cuts: messages "m<i><j>.<seq>", checkpoints
 * "c<i>.<k>". Checkpoints that are not permanent (a round not yet committed) are logged as
 * internal events: recovery cannot use them.
 */
export function rawEvents(s: CkState, p: P): RawEvent[] {
  const out: RawEvent[] = [];
  let line = 1;
  s.log.forEach((evs, i) => {
    let k = 0;
    for (const e of evs) {
      const process = `p${i}`;
      line++;
      if (e[0] === "s") out.push({ process, kind: "send", msg: `m${i}${e[1]}.${e[2]}`, to: `p${e[1]}`, line });
      else if (e[0] === "r") out.push({ process, kind: "receive", msg: `m${e[1]}${i}.${e[2]}`, from: `p${e[1]}`, line });
      else {
        k++;
        const permanent = p.mode === "uncoordinated" || e[1] <= s.committed;
        out.push(permanent
          ? { process, kind: "checkpoint", id: `c${i}.${k}`, line, ...(p.mode === "coordinated" ? { round: e[1] } : {}) }
          : { process, kind: "internal", label: `tentative checkpoint of round ${e[1]}`, line });
      }
    }
  });
  return out;
}

/**
 * The events of one step, for `explore --event-log`. Unlike rawEvents, markers are logged as
 * the messages they are (they carry causality), and every checkpoint as taken, with its
 * round when coordinated. A process that checkpoints on a marker records its state before
 * taking the marker in (Chandy-Lamport), so the checkpoint comes first: the marker is then
 * no orphan of its round.
 */
function stepEvents(action: string, args: readonly unknown[], before: CkState, after: CkState, p: P): StepEvent[] {
  const n = p.procs, name = (i: number) => `p${i}`;
  const checkpoint = (i: number): StepEvent[] => {
    const k = count(after.log[i], "c"), round = lastRound(after.log[i]);
    const ck: StepEvent = { process: name(i), kind: "checkpoint", id: `c${i}.${k}`, ...(p.mode === "coordinated" ? { round, label: `checkpoint of round ${round}` } : {}) };
    if (p.mode !== "coordinated") return [ck];
    return [ck, ...range(n).filter((j) => j !== i).map((j): StepEvent => ({ process: name(i), kind: "send", msg: `M${i}${j}.${round}`, to: name(j), label: `marker of round ${round}` }))];
  };
  if (action === "Send") {
    const [i, j] = args as [number, number];
    const e = after.log[i][after.log[i].length - 1];
    return [{ process: name(i), kind: "send", msg: `m${i}${j}.${e[2]}`, to: name(j) }];
  }
  if (action === "Receive") {
    const [i, j] = args as [number, number];
    const head = before.chan[ch(n, i, j)][0];
    if (head >= 0) return [{ process: name(j), kind: "receive", msg: `m${i}${j}.${head}`, from: name(i) }];
    const marker: StepEvent = { process: name(j), kind: "receive", msg: `M${i}${j}.${-head}`, from: name(i), label: `marker of round ${-head}` };
    if (lastRound(before.log[j]) >= -head) return [marker];
    const [ck, ...markers] = checkpoint(j);
    return [ck, marker, ...markers];
  }
  if (action === "Checkpoint") return checkpoint((args as [number])[0]);
  if (action === "StartRound") return checkpoint(0);
  return [{ process: name(0), kind: "internal", label: `commit round ${after.committed}` }];
}

const computation = (s: CkState, p: P) => buildComputation("state", rawEvents(s, p), range(p.procs).map((i) => `p${i}`));

const spec = defineSpec({
  name: "Checkpointing",
  description: "uncoordinated (domino effect) and coordinated checkpointing over FIFO channels",
  params: {
    procs: { default: 2, min: 2, max: 3, integer: true, description: "processes" },
    sends: { default: 2, min: 0, max: 3, integer: true, description: "application messages each process may send" },
    checkpoints: { default: 2, min: 0, max: 3, integer: true, description: "checkpoints per process (uncoordinated) or rounds (coordinated)" },
    mode: { default: "uncoordinated", choices: ["uncoordinated", "coordinated"], description: "checkpointing protocol" },
  },
  init: ({ procs: n }): CkState[] => [{ log: range(n).map(() => []), chan: range(n * n).map(() => []), committed: 0 }],
  actions: [
    {
      name: "Send",
      args: ({ procs }) => pairs(procs),
      next: (s: CkState, [i, j]: readonly [number, number], p: P) => {
        if (count(s.log[i], "s") >= p.sends) return null;
        const seq = sentOn(s.log[i], j), c = ch(p.procs, i, j);
        return { ...s, log: withEvent(s, i, ["s", j, seq]), chan: setAt(s.chan, c, [...s.chan[c], seq]) };
      },
    },
    {
      name: "Receive",
      args: ({ procs }) => pairs(procs),
      next: (s: CkState, [i, j]: readonly [number, number], p: P) => {
        const c = ch(p.procs, i, j);
        const q = s.chan[c];
        if (q.length === 0) return null;
        const t = { ...s, chan: setAt(s.chan, c, q.slice(1)) };
        if (q[0] >= 0) return { ...t, log: withEvent(t, j, ["r", i, q[0]]) };
        // A marker of round r: checkpoint first if this is j's first marker of that round.
        const round = -q[0];
        return lastRound(t.log[j]) < round ? checkpointRound(t, j, round, p.procs) : t;
      },
    },
    {
      name: "Checkpoint",
      args: ({ procs }) => range(procs).map((i) => [i] as const),
      next: (s: CkState, [i]: readonly [number], p: P) =>
        p.mode === "uncoordinated" && count(s.log[i], "c") < p.checkpoints ? { ...s, log: withEvent(s, i, ["c", 0]) } : null,
    },
    {
      // p0 starts the next round once the previous one is committed.
      name: "StartRound",
      next: (s: CkState, _a: readonly [], p: P) =>
        p.mode === "coordinated" && s.committed < p.checkpoints && lastRound(s.log[0]) === s.committed ? checkpointRound(s, 0, s.committed + 1, p.procs) : null,
    },
    {
      name: "Commit",
      next: (s: CkState, _a: readonly [], p: P) =>
        p.mode === "coordinated" && s.log.every((evs) => lastRound(evs) === s.committed + 1) ? { ...s, committed: s.committed + 1 } : null,
    },
  ],
  properties: {
    LatestConsistent: always((s: CkState, p: P) => {
      const comp = computation(s, p);
      const latest = comp.checkpoints.map((cs) => cs[cs.length - 1].position);
      return isConsistent(comp, latest) || { holds: false, explanation: `the latest checkpoints ${comp.checkpoints.map((cs) => cs[cs.length - 1].id).join(", ")} have an orphan message` };
    }),
    NoDomino: always((s: CkState, p: P) => {
      const comp = computation(s, p);
      if (comp.checkpoints.some((cs) => cs.length < 2)) return true;
      for (let f = 0; f < p.procs; f++) {
        const r = recoveryLine(comp, [f]);
        const pushed = r.cut.findIndex((k, q) => k === 0 && r.start[q] > 0);
        if (pushed >= 0) return { holds: false, explanation: `domino effect: if p${f} fails, p${pushed} rolls back to its initial state` };
      }
      return true;
    }),
    // An example run for `explore --event-log` when nothing fails, and a check that every
    // checkpoint the bound allows can be taken.
    AllCheckpoints: sometimes((s: CkState, p: P) =>
      p.mode === "coordinated" ? s.committed === p.checkpoints : s.log.every((evs) => count(evs, "c") === p.checkpoints)),
  },
  events: {
    processes: (p: P) => range(p.procs).map((i) => `p${i}`),
    of: ({ action, args, before, after, params }) => stepEvents(action, args, before, after, params),
  },
  deadlockIsError: false,
  formatAction: (name, args) => (name === "Send" || name === "Receive" ? `${name}(p${args[0]} -> p${args[1]})` : name === "Checkpoint" ? `Checkpoint(p${args[0]})` : name),
});
export default spec;
