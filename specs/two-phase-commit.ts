/**
 * Two-phase commit: a port of Leslie Lamport's TwoPhase.tla (tlaplus/Examples,
 * specifications/transaction_commit), action for action. A transaction manager (TM)
 * collects "Prepared" messages from the resource managers (RMs) and broadcasts Commit or
 * Abort; messages form a set that is never shrunk (loss, duplication and reordering are all
 * covered). TCConsistent: no RM has committed while another has aborted.
 *
 * Exact counts (TLC and SPIN agree, ../shared/reference/README.md): rms=3: 288 distinct /
 * 1,146 generated; rms=6: 50,816 / 402,306; rms=8: 1,745,408 / 18,507,778.
 *
 * `--param bug=commitWithoutVotes` lets the TM commit before every RM has prepared (an RM
 * may then abort on its own): TCConsistent fails.
 */
import { always, defineSpec, range, setAt, sometimes, ValueSet } from "dscheck";

type RMState = "working" | "prepared" | "committed" | "aborted";
type Message = { readonly type: "Prepared"; readonly rm: number } | { readonly type: "Commit" } | { readonly type: "Abort" };

export interface TwoPhaseState {
  readonly rmState: readonly RMState[];
  readonly tmState: "init" | "committed" | "aborted";
  readonly tmPrepared: ValueSet<number>;
  readonly msgs: ValueSet<Message>;
}

const COMMIT: Message = { type: "Commit" };
const ABORT: Message = { type: "Abort" };

export default defineSpec({
  name: "TwoPhase",
  // Actions are written as updates (they return the fields they write, like TLA+'s primed
  // variables), so BFS can memoize them: every read is observed (see memoize in spec.ts).
  memoize: true,
  description: "Lamport's two-phase commit (TwoPhase.tla)",
  params: {
    rms: { default: 3, min: 1, max: 12, integer: true, description: "number of resource managers" },
    bug: { default: "none", choices: ["none", "commitWithoutVotes"], description: "seeded bug" },
  },
  init: ({ rms }) => [
    {
      rmState: range(rms).map((): RMState => "working"),
      tmState: "init",
      tmPrepared: ValueSet.empty<number>(),
      msgs: ValueSet.empty<Message>(),
    } as TwoPhaseState,
  ],
  actions: [
    {
      name: "TMCommit",
      update: (s: TwoPhaseState, _a, p) =>
        s.tmState === "init" && (p.bug === "commitWithoutVotes" || s.tmPrepared.size === p.rms)
          ? { tmState: "committed" as const, msgs: s.msgs.add(COMMIT) }
          : null,
    },
    {
      name: "TMAbort",
      update: (s: TwoPhaseState) => (s.tmState === "init" ? { tmState: "aborted" as const, msgs: s.msgs.add(ABORT) } : null),
    },
    {
      // \E rm : [type |-> "Prepared", rm |-> rm] \in msgs: the instances are the Prepared
      // messages present (reading the set, rather than building and looking up a message
      // per rm, gives the same enabled instances for less work).
      name: "TMRcvPrepared",
      argsFrom: (s: TwoPhaseState) => {
        const out: (readonly [number])[] = [];
        if (s.tmState === "init") for (const m of s.msgs) if (m.type === "Prepared") out.push([m.rm]);
        return out;
      },
      update: (s: TwoPhaseState, [rm]) => (s.tmState === "init" ? { tmPrepared: s.tmPrepared.add(rm) } : null),
    },
    {
      name: "RMPrepare",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      update: (s: TwoPhaseState, [rm]) =>
        s.rmState[rm] === "working" ? { rmState: setAt(s.rmState, rm, "prepared"), msgs: s.msgs.add({ type: "Prepared", rm }) } : null,
    },
    {
      name: "RMChooseToAbort",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      update: (s: TwoPhaseState, [rm]) => (s.rmState[rm] === "working" ? { rmState: setAt(s.rmState, rm, "aborted") } : null),
    },
    {
      name: "RMRcvCommitMsg",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      update: (s: TwoPhaseState, [rm]) => (s.msgs.has(COMMIT) ? { rmState: setAt(s.rmState, rm, "committed") } : null),
    },
    {
      name: "RMRcvAbortMsg",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      update: (s: TwoPhaseState, [rm]) => (s.msgs.has(ABORT) ? { rmState: setAt(s.rmState, rm, "aborted") } : null),
    },
  ],
  properties: {
    TCConsistent: always((s: TwoPhaseState) => !(s.rmState.includes("aborted") && s.rmState.includes("committed"))),
    TypeOK: always((s: TwoPhaseState) => s.tmPrepared.every((rm) => rm >= 0 && rm < s.rmState.length)),
    CanCommit: sometimes((s: TwoPhaseState) => s.rmState.every((r) => r === "committed")),
  },
  formatAction: (name, args) => (args.length ? `${name}(rm ${args[0]})` : name),
});
