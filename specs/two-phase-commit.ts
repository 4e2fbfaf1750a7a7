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
import { always, defineSpec, messageSetEvents, range, setAt, sometimes, ValueSet, type TraceMapping } from "dscheck";

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

/**
 * The trace mapping of lbinria/TwoPhase's trace spec (spec/TwoPhaseTrace.tla) onto this
 * port: the logs name RMs ("rm-0") where this spec numbers them, log tmState "done" for
 * either final TM state (lbinria's TwoPhase.tla has one "done" state), and carry the same
 * four variables. `--config conf.NRM.ndjson` gives the RM names (and so `rms`).
 */
interface TraceContext {
  readonly names: readonly string[];
}
// Without a --config the RMs are named "rm-0", ... (config puts the names in the context, so
// that the views below see one array per validation, not a module-level cache).
const defaultNames = (rms: number): readonly string[] => range(rms).map((i) => `rm-${i}`);
const namesOf = (p: { rms: number }, c: TraceContext | undefined): readonly string[] => c?.names ?? defaultNames(p.rms);
const rmArg = (args: readonly unknown[], p: { rms: number }, c: TraceContext | undefined) => {
  if (args.length === 0) return undefined;
  const i = namesOf(p, c).indexOf(args[0] as string);
  return i < 0 ? { reject: `${JSON.stringify(args[0])} is not one of the configured RMs (${namesOf(p, c).join(", ")})` } : [i];
};
/**
 * A view computed once per field value: a step that leaves a field alone keeps the same
 * object (states are immutable), so a long fully logged trace rebuilds only what changed.
 */
function perField<F extends object, V>(f: (field: F, names: readonly string[]) => V): (field: F, names: readonly string[]) => V {
  const cache = new WeakMap<F, { names: readonly string[]; view: V }>();
  return (field, names) => {
    const hit = cache.get(field);
    if (hit && hit.names === names) return hit.view;
    const view = f(field, names);
    cache.set(field, { names, view });
    return view;
  };
}
const rmStateView = perField((rmState: readonly RMState[], names) => Object.fromEntries(names.map((name, i) => [name, rmState[i]])));
const tmPreparedView = perField((tmPrepared: ValueSet<number>, names) => ValueSet.from([...tmPrepared].map((i) => names[i])));
const msgsView = perField((msgs: ValueSet<Message>, names) => ValueSet.from([...msgs].map((m) => (m.type === "Prepared" ? { type: m.type, rm: names[m.rm] } : m))));

const ROLE_OF: Readonly<Record<RMState, number>> = { working: 0, prepared: 1, committed: 2, aborted: 3 };
/**
 * TwoPhase does not tell RMs apart: the state with its RMs renamed so that their roles (own
 * state, vote received by the TM, Prepared message sent) come sorted is the same for every
 * renaming of one history. RMs with the same role are interchangeable, so ties need no order.
 */
function rmsByRole(s: TwoPhaseState): TwoPhaseState {
  const sent = new Set<number>();
  for (const m of s.msgs) if (m.type === "Prepared") sent.add(m.rm);
  const role = (rm: number) => ROLE_OF[s.rmState[rm]] * 4 + (s.tmPrepared.has(rm) ? 2 : 0) + (sent.has(rm) ? 1 : 0);
  const order = range(s.rmState.length).sort((a, b) => role(a) - role(b));
  if (order.every((old, i) => old === i)) return s;
  const renamed: number[] = [];
  order.forEach((old, i) => (renamed[old] = i));
  return {
    rmState: order.map((old) => s.rmState[old]),
    tmState: s.tmState,
    tmPrepared: ValueSet.from([...s.tmPrepared].map((rm) => renamed[rm])),
    msgs: ValueSet.from([...s.msgs].map((m): Message => (m.type === "Prepared" ? { type: "Prepared", rm: renamed[m.rm] } : m))),
  };
}

const twoPhaseTrace: TraceMapping<TwoPhaseState, { rms: number; bug: string }, TraceContext> = {
  // Lines that name no RM (lbinria's E traces) keep one candidate per renaming of the RMs.
  symmetry: rmsByRole,
  // The mapping reads nothing of a line but its event, arguments and variables: lines that
  // differ only in other fields (lbinria logs none; a real log stamps each line) say the same.
  lineFields: [],
  config: (records, p) => {
    const rm = records.find((r): r is { RM: string[] } => typeof r === "object" && r !== null && Array.isArray((r as { RM?: unknown }).RM));
    return rm ? { params: { rms: rm.RM.length }, context: { names: rm.RM } } : { context: { names: defaultNames(p.rms) } };
  },
  variables: {
    rmState: (s, p, c) => rmStateView(s.rmState, namesOf(p, c)),
    tmState: (s) => (s.tmState === "init" ? "init" : "done"),
    tmPrepared: (s, p, c) => tmPreparedView(s.tmPrepared, namesOf(p, c)),
    msgs: (s, p, c) => msgsView(s.msgs, namesOf(p, c)),
  },
  events: Object.fromEntries(
    ["TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg"].map((e) => [e, { actions: [e], args: rmArg }]),
  ),
};

export default defineSpec({
  name: "TwoPhase",
  // Actions are written as updates (they return the fields they write, like TLA+'s primed
  // variables), so BFS can memoize them: every read is observed (see memoize in spec.ts).
  memoize: true,
  description: "Lamport's two-phase commit (TwoPhase.tla)",
  params: {
    rms: { default: 3, min: 1, max: 32, integer: true, description: "number of resource managers" },
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
      guards: {
        tmInit: (s: TwoPhaseState) => s.tmState === "init",
        allPrepared: (s: TwoPhaseState, _a, p) => p.bug === "commitWithoutVotes" || s.tmPrepared.size === p.rms,
      },
      update: (s: TwoPhaseState) => ({ tmState: "committed" as const, msgs: s.msgs.add(COMMIT) }),
    },
    {
      name: "TMAbort",
      guards: { tmInit: (s: TwoPhaseState) => s.tmState === "init" },
      update: (s: TwoPhaseState) => ({ tmState: "aborted" as const, msgs: s.msgs.add(ABORT) }),
    },
    {
      // \E rm : [type |-> "Prepared", rm |-> rm] \in msgs: the instances are the Prepared
      // messages present (reading the set, rather than building and looking up a message
      // per rm, gives the same enabled instances for less work).
      name: "TMRcvPrepared",
      argsFrom: (s: TwoPhaseState) => {
        const out: (readonly [number])[] = [];
        for (const m of s.msgs) if (m.type === "Prepared") out.push([m.rm]);
        return out;
      },
      guards: { tmInit: (s: TwoPhaseState) => s.tmState === "init" },
      update: (s: TwoPhaseState, [rm]) => ({ tmPrepared: s.tmPrepared.add(rm) }),
    },
    {
      name: "RMPrepare",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      guards: { working: (s: TwoPhaseState, [rm]) => s.rmState[rm] === "working" },
      update: (s: TwoPhaseState, [rm]) => ({ rmState: setAt(s.rmState, rm, "prepared"), msgs: s.msgs.add({ type: "Prepared", rm }) }),
    },
    {
      name: "RMChooseToAbort",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      guards: { working: (s: TwoPhaseState, [rm]) => s.rmState[rm] === "working" },
      update: (s: TwoPhaseState, [rm]) => ({ rmState: setAt(s.rmState, rm, "aborted") }),
    },
    {
      name: "RMRcvCommitMsg",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      guards: { commitSent: (s: TwoPhaseState) => s.msgs.has(COMMIT) },
      update: (s: TwoPhaseState, [rm]) => ({ rmState: setAt(s.rmState, rm, "committed") }),
    },
    {
      name: "RMRcvAbortMsg",
      args: ({ rms }) => range(rms).map((rm) => [rm] as const),
      guards: { abortSent: (s: TwoPhaseState) => s.msgs.has(ABORT) },
      update: (s: TwoPhaseState, [rm]) => ({ rmState: setAt(s.rmState, rm, "aborted") }),
    },
  ],
  properties: {
    TCConsistent: always((s: TwoPhaseState) => !(s.rmState.includes("aborted") && s.rmState.includes("committed"))),
    TypeOK: always((s: TwoPhaseState) => s.tmPrepared.every((rm) => rm >= 0 && rm < s.rmState.length)),
    CanCommit: sometimes((s: TwoPhaseState) => s.rmState.every((r) => r === "committed")),
  },
  formatAction: (name, args) => (args.length ? `${name}(rm ${args[0]})` : name),
  trace: twoPhaseTrace,
  // Space-time diagrams: TM* actions run on the TM, RM* actions on their RM; Commit and Abort go to every RM.
  events: messageSetEvents({
    processes: ({ rms }: { rms: number }) => ["TM", ...range(rms).map((rm) => `rm${rm}`)],
    messages: (s: TwoPhaseState) => s.msgs,
    key: (m: Message) => (m.type === "Prepared" ? `Prepared rm${m.rm}` : m.type),
    to: (m: Message) => (m.type === "Prepared" ? "TM" : undefined),
    actor: (action, args) => (action.startsWith("TM") ? "TM" : `rm${args[0]}`),
    receives: ({ action, args }): Message[] =>
      action === "TMRcvPrepared" ? [{ type: "Prepared", rm: args[0] as number }] : action === "RMRcvCommitMsg" ? [COMMIT] : action === "RMRcvAbortMsg" ? [ABORT] : [],
  }),
});
