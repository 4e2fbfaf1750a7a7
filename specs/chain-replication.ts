/**
 * Chain replication of a register over 3 replicas: van Renesse and Schneider, "Chain
 * Replication for Supporting High Throughput and Availability" (OSDI 2004), with the read
 * path of CRAQ: Terrace and Freedman, "Object Storage on CRAQ" (USENIX ATC 2009).
 *
 * Replica 0 is the head, replica 2 the tail. The writer's `write v` is applied at the head,
 * which orders writes (version k holds value k), and is forwarded down the chain one version
 * at a time (FIFO links); the write completes when the tail has applied it. A reader issues
 * reads; how a read is served depends on `--param reads=`:
 *
 * - `tail` (the paper's protocol): reads go to the tail, which holds exactly the committed
 *   versions: linearizable.
 * - `any`: a read is served by any replica from its latest version. A replica ahead of the
 *   tail exposes an uncommitted write, and a later read at the tail returns the older value:
 *   not linearizable (the explorer finds the new/old inversion).
 * - `craq`: any replica serves reads. Acknowledgements flow back from the tail and mark
 *   versions clean; a replica whose latest version is clean returns it, a replica with a
 *   dirty version asks the tail for the committed version number and returns that version
 *   (which it holds, being upstream of the tail): linearizable.
 *
 * The recorded client history must be linearizable w.r.t. a register with initial value 0
 * (checked in every state). Bounds: `writes` writes by client 0, `readOps` reads by client 1.
 *
 * Measured (distinct / generated, defaults writes=2 readOps=2): tail 750 / 873; craq
 * 4,073 / 10,038; any: a 6-step counterexample. writes=3 readOps=3: tail 14,523 / 16,804,
 * craq 140,299 / 383,060 (about 4 s).
 */
import { type ClientEvent, defineSpec, linearizableHistory, range, setAt, sometimes } from "dscheck";

type WriterPhase = "idle" | "sent" | "applied";
type ReaderPhase = "idle" | "reading" | "askTail";

export interface ChainState {
  /** Highest version applied at each replica (head first). */
  readonly applied: readonly number[];
  /** CRAQ: highest version known committed (acknowledged by the tail) at each replica. */
  readonly clean: readonly number[];
  readonly writer: { readonly pc: number; readonly phase: WriterPhase };
  readonly reader: { readonly pc: number; readonly phase: ReaderPhase };
  readonly history: readonly ClientEvent[];
}

const N = 3;
const HEAD = 0;
const TAIL = N - 1;
const WRITER = 0;
const READER = 1;

/** The committed version as replica i knows it; the tail's latest version is committed by definition. */
function committedAt(s: ChainState, i: number): number {
  return i === TAIL ? s.applied[TAIL] : s.clean[i];
}

function readDone(s: ChainState, value: number): ChainState {
  const event: ClientEvent = { type: "ok", process: READER, f: "read", value };
  return { ...s, reader: { pc: s.reader.pc + 1, phase: "idle" }, history: [...s.history, event] };
}

export default defineSpec({
  name: "ChainReplication",
  description: "chain replication (tail reads), reads from any replica, and CRAQ reads",
  params: {
    reads: { default: "tail", choices: ["tail", "any", "craq"], description: "where reads are served" },
    writes: { default: 2, min: 1, max: 3, integer: true, description: "writes by the writer" },
    readOps: { default: 2, min: 1, max: 3, integer: true, description: "reads by the reader" },
  },
  init: () => [
    {
      applied: range(N).map(() => 0),
      clean: range(N).map(() => 0),
      writer: { pc: 0, phase: "idle" },
      reader: { pc: 0, phase: "idle" },
      history: [],
    } as ChainState,
  ],
  actions: [
    {
      name: "InvokeWrite",
      next: (s: ChainState, _a, p) => {
        if (s.writer.phase !== "idle" || s.writer.pc >= p.writes) return null;
        const event: ClientEvent = { type: "invoke", process: WRITER, f: "write", value: s.writer.pc + 1 };
        return { ...s, writer: { ...s.writer, phase: "sent" as const }, history: [...s.history, event] };
      },
    },
    {
      // The head orders the write: the writer's (pc+1)-th write is version pc+1.
      name: "HeadApply",
      next: (s: ChainState) =>
        s.writer.phase === "sent"
          ? { ...s, applied: setAt(s.applied, HEAD, s.writer.pc + 1), writer: { ...s.writer, phase: "applied" as const } }
          : null,
    },
    {
      // Replica i forwards its next version to its successor.
      name: "Forward",
      args: () => range(N - 1).map((i) => [i] as const),
      next: (s: ChainState, [i]) => (s.applied[i + 1] < s.applied[i] ? { ...s, applied: setAt(s.applied, i + 1, s.applied[i + 1] + 1) } : null),
    },
    {
      // The tail has applied the write: the writer's operation completes.
      name: "WriteAck",
      next: (s: ChainState) => {
        const v = s.writer.pc + 1;
        if (s.writer.phase !== "applied" || s.applied[TAIL] < v) return null;
        const event: ClientEvent = { type: "ok", process: WRITER, f: "write", value: v };
        return { ...s, writer: { pc: v, phase: "idle" as const }, history: [...s.history, event] };
      },
    },
    {
      // CRAQ: replica i learns from its successor which versions are committed.
      name: "AckBack",
      args: () => range(N - 1).map((i) => [i] as const),
      next: (s: ChainState, [i], p) =>
        p.reads === "craq" && s.clean[i] < committedAt(s, i + 1) ? { ...s, clean: setAt(s.clean, i, committedAt(s, i + 1)) } : null,
    },
    {
      name: "InvokeRead",
      next: (s: ChainState, _a, p) => {
        if (s.reader.phase !== "idle" || s.reader.pc >= p.readOps) return null;
        const event: ClientEvent = { type: "invoke", process: READER, f: "read", value: null };
        return { ...s, reader: { ...s.reader, phase: "reading" as const }, history: [...s.history, event] };
      },
    },
    {
      // Replica r serves the read (only the tail when reads=tail).
      name: "ReadAt",
      args: () => range(N).map((r) => [r] as const),
      next: (s: ChainState, [r], p) => {
        if (s.reader.phase !== "reading" || (p.reads === "tail" && r !== TAIL)) return null;
        if (p.reads !== "craq" || committedAt(s, r) === s.applied[r]) return readDone(s, s.applied[r]);
        return { ...s, reader: { ...s.reader, phase: "askTail" as const } }; // dirty: ask the tail
      },
    },
    {
      // CRAQ version query: the tail's latest version is the committed one; return it.
      name: "TailVersion",
      next: (s: ChainState) => (s.reader.phase === "askTail" ? readDone(s, s.applied[TAIL]) : null),
    },
  ],
  properties: {
    Linearizable: linearizableHistory("register", (s: ChainState) => s.history, { init: 0, kind: "always" }),
    DirtyRead: sometimes((s: ChainState) => s.reader.phase === "askTail" || s.applied[HEAD] > s.applied[TAIL]),
  },
  deadlockIsError: false,
  formatAction: (name, args) => {
    if (name === "ReadAt") return `ReadAt(replica ${args[0]})`;
    return args.length ? `${name}(replica ${args[0]})` : name;
  },
});
