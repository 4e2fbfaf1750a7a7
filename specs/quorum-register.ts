/**
 * A multi-writer atomic register emulated over 3 replicas with majority quorums: the ABD
 * algorithm of Attiya, Bar-Noy and Dolev, "Sharing Memory Robustly in Message-Passing
 * Systems" (JACM 42(1), 1995), in its multi-writer form (Lynch & Shvartsman, 1997).
 *
 * Every replica stores a tagged value (ts, writer, value). A write queries a majority for the
 * highest tag, then stores (ts + 1, writer, v) at a majority. A read queries a majority,
 * picks the value with the highest tag, writes it back to a majority (read repair), then
 * returns it. Each request/response with one replica is one atomic step; any majority may
 * answer, in any order, interleaved with the other client.
 *
 * Clients: client 0 runs `write 1` then `read`; client 1 runs `read` twice (or `write 2`
 * then `read` with `--param writers=2`). The recorded client history must be linearizable
 * w.r.t. a register with initial value 0 (checked in every state).
 *
 * `--param bug=noWriteBack` skips the write-back phase of reads: a read may see the new
 * value at one replica and return it, and a later read served by a majority that does not
 * include that replica returns the old value while the write is still in progress
 * (new/old inversion), which no linearization explains.
 *
 * Measured (distinct / generated, BFS): writers=1 43,231 / 155,811 (about 2 s); writers=2
 * 102,245 / 366,723 (about 5 s); bug=noWriteBack: a 13-step counterexample.
 */
import { type ClientEvent, defineSpec, linearizableHistory, range, setAt, sometimes } from "dscheck";

/** (ts, writer, value), ordered by (ts, writer). */
type Tag = readonly [number, number, number];
type Phase = "idle" | "query" | "store" | "done";

interface Client {
  readonly pc: number;
  readonly phase: Phase;
  /** Replicas that answered in the current phase. */
  readonly acked: readonly boolean[];
  /** Highest tag seen in the query phase; then the tag being stored. */
  readonly tag: Tag;
}

export interface QuorumRegisterState {
  readonly replicas: readonly Tag[];
  readonly clients: readonly Client[];
  readonly history: readonly ClientEvent[];
}

type Op = { readonly f: "write"; readonly value: number } | { readonly f: "read" };

const REPLICAS = 3;
const MAJORITY = 2;
const INITIAL: Tag = [0, -1, 0];

function script(client: number, writers: number): readonly Op[] {
  if (client === 0) return [{ f: "write", value: 1 }, { f: "read" }];
  return writers === 2 ? [{ f: "write", value: 2 }, { f: "read" }] : [{ f: "read" }, { f: "read" }];
}

function greater(a: Tag, b: Tag): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

function count(acked: readonly boolean[]): number {
  return acked.filter(Boolean).length;
}

const NONE: readonly boolean[] = range(REPLICAS).map(() => false);

function withClient(s: QuorumRegisterState, c: number, client: Client, event?: ClientEvent): QuorumRegisterState {
  return { ...s, clients: setAt(s.clients, c, client), history: event ? [...s.history, event] : s.history };
}

export default defineSpec({
  name: "QuorumRegister",
  description: "ABD multi-writer atomic register over 3 replicas with majority quorums",
  params: {
    writers: { default: 1, min: 1, max: 2, integer: true, description: "1: client 1 only reads; 2: client 1 also writes" },
    bug: { default: "none", choices: ["none", "noWriteBack"], description: "seeded bug: reads skip the write-back phase" },
  },
  init: () => [
    {
      replicas: range(REPLICAS).map(() => INITIAL),
      clients: range(2).map((): Client => ({ pc: 0, phase: "idle", acked: NONE, tag: INITIAL })),
      history: [],
    } as QuorumRegisterState,
  ],
  actions: [
    {
      // The client invokes its next operation and starts the query phase.
      name: "Invoke",
      args: () => range(2).map((c) => [c] as const),
      next: (s: QuorumRegisterState, [c], p) => {
        const cl = s.clients[c];
        const ops = script(c, p.writers);
        if (cl.phase !== "idle" || cl.pc >= ops.length) return null;
        const op = ops[cl.pc];
        const event: ClientEvent = { type: "invoke", process: c, f: op.f, value: op.f === "write" ? op.value : null };
        return withClient(s, c, { ...cl, phase: "query", acked: NONE, tag: INITIAL }, event);
      },
    },
    {
      // Replica r answers the query with its tag.
      name: "Query",
      args: () => range(2).flatMap((c) => range(REPLICAS).map((r) => [c, r] as const)),
      next: (s: QuorumRegisterState, [c, r]) => {
        const cl = s.clients[c];
        if (cl.phase !== "query" || cl.acked[r]) return null;
        const tag = greater(s.replicas[r], cl.tag) ? s.replicas[r] : cl.tag;
        return withClient(s, c, { ...cl, acked: setAt(cl.acked, r, true), tag });
      },
    },
    {
      // A majority answered: a write picks a higher tag, a read keeps the highest one; both
      // move on to the store phase, except a read under bug=noWriteBack, which returns at once.
      name: "QueryDone",
      args: () => range(2).map((c) => [c] as const),
      next: (s: QuorumRegisterState, [c], p) => {
        const cl = s.clients[c];
        if (cl.phase !== "query" || count(cl.acked) < MAJORITY) return null;
        const op = script(c, p.writers)[cl.pc];
        if (op.f === "read" && p.bug === "noWriteBack") {
          const event: ClientEvent = { type: "ok", process: c, f: "read", value: cl.tag[2] };
          return withClient(s, c, { pc: cl.pc + 1, phase: "idle", acked: NONE, tag: INITIAL }, event);
        }
        const tag: Tag = op.f === "write" ? [cl.tag[0] + 1, c, op.value] : cl.tag;
        return withClient(s, c, { ...cl, phase: "store", acked: NONE, tag });
      },
    },
    {
      // Replica r adopts the tag if it is newer, and acknowledges.
      name: "Store",
      args: () => range(2).flatMap((c) => range(REPLICAS).map((r) => [c, r] as const)),
      next: (s: QuorumRegisterState, [c, r]) => {
        const cl = s.clients[c];
        if (cl.phase !== "store" || cl.acked[r]) return null;
        const replicas = greater(cl.tag, s.replicas[r]) ? setAt(s.replicas, r, cl.tag) : s.replicas;
        return { ...withClient(s, c, { ...cl, acked: setAt(cl.acked, r, true) }), replicas };
      },
    },
    {
      // A majority stored the tag: the operation completes.
      name: "Return",
      args: () => range(2).map((c) => [c] as const),
      next: (s: QuorumRegisterState, [c], p) => {
        const cl = s.clients[c];
        if (cl.phase !== "store" || count(cl.acked) < MAJORITY) return null;
        const op = script(c, p.writers)[cl.pc];
        const event: ClientEvent = { type: "ok", process: c, f: op.f, value: op.f === "read" ? cl.tag[2] : op.f === "write" ? op.value : null };
        return withClient(s, c, { pc: cl.pc + 1, phase: "idle", acked: NONE, tag: INITIAL }, event);
      },
    },
  ],
  properties: {
    Linearizable: linearizableHistory("register", (s: QuorumRegisterState) => s.history, { init: 0, kind: "always" }),
    AllDone: sometimes((s: QuorumRegisterState, p: { readonly writers: number }) => s.clients.every((cl, c) => cl.pc === script(c, p.writers).length)),
  },
  deadlockIsError: false,
  formatAction: (name, args) => {
    const [c, r] = args as number[];
    return r === undefined ? `${name}(client ${c})` : `${name}(client ${c}, replica ${r})`;
  },
});
