/**
 * Bounded Raft leader election without logs: the transition system of
 * ../shared/reference/RaftElection.tla (and raft_election.pml), action for action, in the
 * style of the election part of Ongaro's raft.tla. Terms start at 0; Timeout is enabled while
 * currentTerm < maxTerm; messages form a set that is never shrunk (loss, duplication and
 * reordering are all covered). ElectionSafety: at most one leader per term (Raft §5.2).
 *
 * Exact counts (TLC and SPIN agree, ../shared/reference/README.md):
 *   servers=2 maxTerm=1: 20 / 39; servers=2 maxTerm=2: 513 / 1,685;
 *   servers=2 maxTerm=3: 12,934 / 57,673; servers=3 maxTerm=1: 1,393 / 7,369;
 *   servers=3 maxTerm=2: 8,001,110 / 72,866,410 (distinct / generated).
 *
 * `--param bug=doubleVote` drops the votedFor check, so a server may vote for two
 * candidates in one term: the shortest counterexample shows two leaders in one term.
 */
import { all, always, defineSpec, messageSetEvents, range, setAt, sometimes, ValueSet } from "dscheck";

type Role = "Follower" | "Candidate" | "Leader";
type Message =
  | { readonly type: "RVReq"; readonly term: number; readonly src: number; readonly dst: number }
  | { readonly type: "RVResp"; readonly term: number; readonly granted: boolean; readonly src: number; readonly dst: number };

export interface RaftElectionState {
  readonly currentTerm: readonly number[];
  readonly state: readonly Role[];
  /** null is TLA+'s Nil: no vote in the current term. */
  readonly votedFor: readonly (number | null)[];
  readonly votesGranted: readonly ValueSet<number>[];
  readonly msgs: ValueSet<Message>;
}

const rvReq = (term: number, src: number, dst: number): Message => ({ type: "RVReq", term, src, dst });
const rvResp = (term: number, granted: boolean, src: number, dst: number): Message => ({ type: "RVResp", term, granted, src, dst });

/** UpdateTerm(i, t): adopt a newer term, step down, forget the vote. */
function updateTerm(s: RaftElectionState, i: number, t: number): RaftElectionState {
  return { ...s, currentTerm: setAt(s.currentTerm, i, t), state: setAt(s.state, i, "Follower"), votedFor: setAt(s.votedFor, i, null) };
}

/**
 * The (i, j, t) of the TLA+ spec's `\E i, j, t` for which the message that the handler
 * receives is in `msgs` (request {t, j -> i}, or response {t, granted, j -> i}): the same
 * enabled instances as enumerating every triple and testing membership, without building
 * and looking up a message per triple (the network is usually far smaller than
 * servers^2 * maxTerm). Set order is canonical, so the instance order is deterministic.
 */
const received = (s: RaftElectionState, wanted: (m: Message) => boolean) => {
  const out: (readonly [number, number, number])[] = [];
  for (const m of s.msgs) if (wanted(m)) out.push([m.dst, m.src, m.term]);
  return out;
};
const isRequest = (m: Message) => m.type === "RVReq";
const isGrant = (m: Message) => m.type === "RVResp" && m.granted;
const isDenial = (m: Message) => m.type === "RVResp" && !m.granted;

export default defineSpec({
  name: "RaftElection",
  description: "Bounded Raft leader election (RaftElection.tla)",
  params: {
    servers: { default: 3, min: 1, max: 7, integer: true, description: "number of servers" },
    maxTerm: { default: 1, min: 0, max: 6, integer: true, description: "highest term a timeout may reach" },
    bug: { default: "none", choices: ["none", "doubleVote"], description: "seeded bug: doubleVote lets a server vote twice in a term" },
  },
  init: ({ servers }) => [
    {
      currentTerm: range(servers).map(() => 0),
      state: range(servers).map((): Role => "Follower"),
      votedFor: range(servers).map(() => null),
      votesGranted: range(servers).map(() => ValueSet.empty<number>()),
      msgs: ValueSet.empty<Message>(),
    } as RaftElectionState,
  ],
  actions: [
    {
      name: "Timeout",
      args: ({ servers }) => range(servers).map((i) => [i] as const),
      next: (s: RaftElectionState, [i], { maxTerm }) =>
        s.state[i] !== "Leader" && s.currentTerm[i] < maxTerm
          ? {
              ...s,
              currentTerm: setAt(s.currentTerm, i, s.currentTerm[i] + 1),
              state: setAt(s.state, i, "Candidate"),
              votedFor: setAt(s.votedFor, i, i),
              votesGranted: setAt(s.votesGranted, i, ValueSet.of(i)),
            }
          : null,
    },
    {
      name: "BecomeLeader",
      args: ({ servers }) => range(servers).map((i) => [i] as const),
      next: (s: RaftElectionState, [i], { servers }) =>
        s.state[i] === "Candidate" && 2 * s.votesGranted[i].size > servers ? { ...s, state: setAt(s.state, i, "Leader") } : null,
    },
    {
      name: "RequestVote",
      args: ({ servers }) => range(servers).flatMap((i) => range(servers).filter((j) => j !== i).map((j) => [i, j] as const)),
      next: (s: RaftElectionState, [i, j]) => {
        if (s.state[i] !== "Candidate") return null;
        const m = rvReq(s.currentTerm[i], i, j);
        return s.msgs.has(m) ? null : { ...s, msgs: s.msgs.add(m) };
      },
    },
    {
      // i handles RequestVote{t, j -> i}: UpdateTerm, then decide, then reply.
      name: "HandleRVReq",
      argsFrom: (s: RaftElectionState) => received(s, isRequest),
      next: (s: RaftElectionState, [i, j, t], { bug }) => {
        const newer = t > s.currentTerm[i];
        const term = newer ? t : s.currentTerm[i];
        const vf = newer ? null : s.votedFor[i];
        const grant = t === term && (bug === "doubleVote" || vf === null || vf === j);
        return {
          ...s,
          currentTerm: setAt(s.currentTerm, i, term),
          state: newer ? setAt(s.state, i, "Follower") : s.state,
          votedFor: setAt(s.votedFor, i, grant ? j : vf),
          msgs: s.msgs.add(rvResp(term, grant, i, j)),
        };
      },
    },
    {
      // i handles a granted response {t, TRUE, j -> i}; stale ones are not offered.
      name: "HandleRVGrant",
      argsFrom: (s: RaftElectionState) => received(s, isGrant),
      next: (s: RaftElectionState, [i, j, t]) => {
        if (t > s.currentTerm[i]) return updateTerm(s, i, t);
        if (t === s.currentTerm[i] && s.state[i] === "Candidate" && !s.votesGranted[i].has(j)) {
          return { ...s, votesGranted: setAt(s.votesGranted, i, s.votesGranted[i].add(j)) };
        }
        return null;
      },
    },
    {
      // i handles a denied response {t, FALSE, j -> i}: only a newer term matters.
      name: "HandleRVDeny",
      argsFrom: (s: RaftElectionState) => received(s, isDenial),
      next: (s: RaftElectionState, [i, j, t]) => (t > s.currentTerm[i] ? updateTerm(s, i, t) : null),
    },
  ],
  properties: {
    // Named conjuncts: a counterexample's report says which one fails, with the fields it read.
    ElectionSafety: always(
      all({
        oneLeaderPerTerm: (s: RaftElectionState) => {
          for (let i = 0; i < s.state.length; i++)
            for (let j = i + 1; j < s.state.length; j++)
              if (s.state[i] === "Leader" && s.state[j] === "Leader" && s.currentTerm[i] === s.currentTerm[j])
                return { holds: false, explanation: `servers ${i} and ${j} are both leader in term ${s.currentTerm[i]}` };
          return true;
        },
        // A leader won a majority of votes in its term (BecomeLeader's quorum, kept while it leads).
        leadersHaveQuorum: (s: RaftElectionState, { servers }: { servers: number }) =>
          s.state.every((role, i) => role !== "Leader" || 2 * s.votesGranted[i].size > servers),
      }),
    ),
    LeaderElected: sometimes((s: RaftElectionState) => s.state.includes("Leader")),
  },
  formatAction: (name, args) => {
    const [i, j, t] = args as number[];
    switch (name) {
      case "Timeout": return `Timeout(server ${i})`;
      case "BecomeLeader": return `BecomeLeader(server ${i})`;
      case "RequestVote": return `RequestVote(${i} -> ${j})`;
      default: return `${name}(server ${i} from ${j}, term ${t})`;
    }
  },
  // Space-time diagrams: server i takes the steps whose first argument is i; handlers receive the message their arguments name.
  events: messageSetEvents({
    processes: ({ servers }: { servers: number }) => range(servers).map((i) => `s${i}`),
    messages: (s: RaftElectionState) => s.msgs,
    key: (m: Message) => `${m.type === "RVReq" ? "RVReq" : m.granted ? "RVResp granted" : "RVResp denied"} t${m.term} s${m.src}→s${m.dst}`,
    to: (m: Message) => `s${m.dst}`,
    from: (m: Message) => `s${m.src}`,
    actor: (_action, args) => `s${args[0]}`,
    receives: ({ action, args }) => {
      const [i, j, t] = args as number[];
      if (action === "HandleRVReq") return [rvReq(t, j, i)];
      return action === "HandleRVGrant" || action === "HandleRVDeny" ? [rvResp(t, action === "HandleRVGrant", j, i)] : [];
    },
  }),
});
