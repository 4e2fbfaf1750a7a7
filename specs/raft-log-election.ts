/**
 * Bounded Raft leader election WITH logs and the election restriction (issue #2's richer
 * variant of ./raft-election.ts). Sources: Ongaro & Ousterhout, "In Search of an
 * Understandable Consensus Algorithm" (USENIX ATC 2014), §5.2 (election), §5.3 (log
 * replication), §5.4.1 (election restriction), §5.4.2 (commit only current-term entries), and
 * Ongaro's raft.tla (github.com/ongardie/raft.tla): RequestVote carries lastLogTerm /
 * lastLogIndex and a voter grants only if the candidate's log is at least as up-to-date
 * (raft.tla's `logOk`: a later last term, or the same last term and a log at least as long).
 *
 * What is modelled:
 * - Terms start at 0; Timeout (not a leader, currentTerm < maxTerm) starts a candidacy.
 * - RequestVote(i, j) is one atomic RPC: candidate i's request {term, lastLogTerm,
 *   lastLogIndex} is handled by j (UpdateTerm, then grant iff same term, no other vote this
 *   term, and logOk) and j's reply is handled by i (a newer term makes i step down; a grant is
 *   counted). BecomeLeader on a majority of votes.
 * - ClientRequest(i): a leader appends an entry of its current term (log length <= maxLogLength).
 *   An entry is just its term: in a log, index + term identify it (Log Matching).
 * - AppendEntries(i, j): leader i's whole log is copied to j as one atomic, successful RPC
 *   (j adopts i's term if newer, steps down to follower, and its log becomes i's). Since a
 *   leader's log only grows in its term, this covers every successful AppendEntries that
 *   ends with j's log equal to the leader's.
 * - Commitment (§5.4.2): after an append or a replication, if the leader's entry at index k
 *   has the leader's current term and a majority of logs hold the leader's prefix up to k,
 *   entries 1..k are committed. `committed` is a ghost (history) variable of
 *   [index, entryTerm, commitTerm] triples, commitTerm being the leader's term at commit time.
 *
 * What is omitted: message loss, duplication, reordering and stale RPCs (both RPCs are
 * atomic), AppendEntries' consistency check and partial/one-entry-at-a-time replication
 * (j's log is replaced by the leader's, so non-conflicting extra entries that real Raft would
 * keep for a while are dropped at once), commitIndex propagation to followers, state
 * machines, restarts, membership changes.
 *
 * Counts (dscheck, regression pins in test/specs/raft-log-election.test.ts; distinct /
 * generated): servers=3 maxTerm=2 maxLogLength=2 (default): 7,836 / 19,909 (~0.4 s);
 * servers=3 maxTerm=3: 67,539 / 215,092; servers=3 maxTerm=3 maxLogLength=3: 177,568 /
 * 569,302; servers=4 maxTerm=2: 155,143 / 486,325. Atomic RPCs are what keep this small:
 * the message-set election of ./raft-election.ts alone has 8,001,110 states at (3, 2).
 *
 * Properties:
 * - ElectionSafety (§5.2): at most one leader per term.
 * - LeaderCompleteness (§5.4, Figure 3): an entry committed in term c is in the log of every
 *   leader of a term > c. This is what the election restriction protects: the commit majority
 *   and the new leader's voters intersect, and that voter refuses a candidate whose log lacks
 *   the entry. `--param bug=noLogCheck` drops logOk, and a server with an empty log can win
 *   term 2 after an entry was committed in term 1. `--param bug=doubleVote` drops the votedFor
 *   check, as in ./raft-election.ts: two leaders in one term.
 */
import { always, defineSpec, range, setAt, sometimes, ValueSet } from "dscheck";

type Role = "Follower" | "Candidate" | "Leader";
/** [index (1-based), term of the entry, term of the leader that committed it]. */
type Committed = readonly [number, number, number];

export interface RaftLogElectionState {
  readonly currentTerm: readonly number[];
  readonly state: readonly Role[];
  /** null is TLA+'s Nil: no vote in the current term. */
  readonly votedFor: readonly (number | null)[];
  readonly votesGranted: readonly ValueSet<number>[];
  /** log[i][k] is the term of server i's entry at index k + 1. */
  readonly log: readonly (readonly number[])[];
  readonly committed: ValueSet<Committed>;
}

const lastTerm = (log: readonly number[]): number => (log.length === 0 ? 0 : log[log.length - 1]);

/** UpdateTerm(i, t): adopt a newer term, step down, forget the vote. */
function updateTerm(s: RaftLogElectionState, i: number, t: number): RaftLogElectionState {
  return { ...s, currentTerm: setAt(s.currentTerm, i, t), state: setAt(s.state, i, "Follower"), votedFor: setAt(s.votedFor, i, null) };
}

/** Whether log a holds log b's first k entries. */
const hasPrefix = (a: readonly number[], b: readonly number[], k: number): boolean =>
  a.length >= k && b.slice(0, k).every((t, x) => a[x] === t);

/** AdvanceCommitIndex for leader i: commit 1..k for the largest majority-stored current-term k. */
function advanceCommit(s: RaftLogElectionState, i: number): RaftLogElectionState {
  const log = s.log[i];
  const term = s.currentTerm[i];
  for (let k = log.length; k >= 1; k--) {
    if (log[k - 1] !== term) continue;
    const holders = s.log.filter((l) => hasPrefix(l, log, k)).length;
    if (2 * holders <= s.log.length) continue;
    let committed = s.committed;
    for (let x = 1; x <= k; x++) if (!committed.items.some(([n, t]) => n === x && t === log[x - 1])) committed = committed.add([x, log[x - 1], term]);
    return committed === s.committed ? s : { ...s, committed };
  }
  return s;
}

const pairs = ({ servers }: { servers: number }) =>
  range(servers).flatMap((i) => range(servers).filter((j) => j !== i).map((j) => [i, j] as const));

export default defineSpec({
  name: "RaftLogElection",
  description: "Bounded Raft election with logs and the election restriction (§5.4.1)",
  params: {
    servers: { default: 3, min: 1, max: 5, integer: true, description: "number of servers" },
    maxTerm: { default: 2, min: 0, max: 4, integer: true, description: "highest term a timeout may reach" },
    maxLogLength: { default: 2, min: 0, max: 4, integer: true, description: "longest log a ClientRequest may produce" },
    bug: {
      default: "none",
      choices: ["none", "noLogCheck", "doubleVote"],
      description: "seeded bug: noLogCheck drops the up-to-date check (§5.4.1); doubleVote lets a server vote twice in a term",
    },
  },
  init: ({ servers }) => [
    {
      currentTerm: range(servers).map(() => 0),
      state: range(servers).map((): Role => "Follower"),
      votedFor: range(servers).map(() => null),
      votesGranted: range(servers).map(() => ValueSet.empty<number>()),
      log: range(servers).map((): number[] => []),
      committed: ValueSet.empty<Committed>(),
    } as RaftLogElectionState,
  ],
  actions: [
    {
      name: "Timeout",
      args: ({ servers }) => range(servers).map((i) => [i] as const),
      next: (s: RaftLogElectionState, [i], { maxTerm }) =>
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
      // Candidate i asks j; j handles the request and i handles the reply, atomically.
      name: "RequestVote",
      args: pairs,
      next: (s: RaftLogElectionState, [i, j], { bug }) => {
        if (s.state[i] !== "Candidate" || s.votesGranted[i].has(j)) return null;
        if (s.currentTerm[j] > s.currentTerm[i]) return updateTerm(s, i, s.currentTerm[j]); // denied, newer term
        const req = { term: s.currentTerm[i], lastLogTerm: lastTerm(s.log[i]), lastLogIndex: s.log[i].length };
        const v = req.term > s.currentTerm[j] ? updateTerm(s, j, req.term) : s;
        const logOk = req.lastLogTerm > lastTerm(v.log[j]) || (req.lastLogTerm === lastTerm(v.log[j]) && req.lastLogIndex >= v.log[j].length);
        const grant = (bug === "noLogCheck" || logOk) && (bug === "doubleVote" || v.votedFor[j] === null || v.votedFor[j] === i);
        if (!grant) return v === s ? null : v; // a denial at the same term changes nothing
        return { ...v, votedFor: setAt(v.votedFor, j, i), votesGranted: setAt(v.votesGranted, i, v.votesGranted[i].add(j)) };
      },
    },
    {
      name: "BecomeLeader",
      args: ({ servers }) => range(servers).map((i) => [i] as const),
      next: (s: RaftLogElectionState, [i], { servers }) =>
        s.state[i] === "Candidate" && 2 * s.votesGranted[i].size > servers ? { ...s, state: setAt(s.state, i, "Leader") } : null,
    },
    {
      name: "ClientRequest",
      args: ({ servers }) => range(servers).map((i) => [i] as const),
      next: (s: RaftLogElectionState, [i], { maxLogLength }) =>
        s.state[i] === "Leader" && s.log[i].length < maxLogLength
          ? advanceCommit({ ...s, log: setAt(s.log, i, [...s.log[i], s.currentTerm[i]]) }, i)
          : null,
    },
    {
      // Leader i replicates its whole log to j (one successful AppendEntries, atomically).
      name: "AppendEntries",
      args: pairs,
      next: (s: RaftLogElectionState, [i, j]) => {
        if (s.state[i] !== "Leader") return null;
        if (s.currentTerm[j] > s.currentTerm[i]) return updateTerm(s, i, s.currentTerm[j]); // rejected, newer term
        const v = s.currentTerm[j] < s.currentTerm[i] ? updateTerm(s, j, s.currentTerm[i]) : s;
        if (v.state[j] === "Follower" && v.log[j].length === s.log[i].length && hasPrefix(v.log[j], s.log[i], s.log[i].length)) return v === s ? null : v;
        return advanceCommit({ ...v, state: setAt(v.state, j, "Follower"), log: setAt(v.log, j, s.log[i]) }, i);
      },
    },
  ],
  properties: {
    ElectionSafety: always((s: RaftLogElectionState) => {
      for (let i = 0; i < s.state.length; i++)
        for (let j = i + 1; j < s.state.length; j++)
          if (s.state[i] === "Leader" && s.state[j] === "Leader" && s.currentTerm[i] === s.currentTerm[j])
            return { holds: false, explanation: `servers ${i} and ${j} are both leader in term ${s.currentTerm[i]}` };
      return true;
    }),
    LeaderCompleteness: always((s: RaftLogElectionState) => {
      for (let i = 0; i < s.state.length; i++) {
        if (s.state[i] !== "Leader") continue;
        for (const [n, t, c] of s.committed.items)
          if (c < s.currentTerm[i] && s.log[i][n - 1] !== t)
            return { holds: false, explanation: `leader ${i} of term ${s.currentTerm[i]} lacks entry ${n} (term ${t}) committed in term ${c}` };
      }
      return true;
    }),
    LeaderElected: sometimes((s: RaftLogElectionState) => s.state.includes("Leader")),
    EntryCommitted: sometimes((s: RaftLogElectionState) => s.committed.size > 0),
  },
  deadlockIsError: false,
  formatAction: (name, args) => {
    const [i, j] = args as number[];
    switch (name) {
      case "RequestVote": return `RequestVote(${i} -> ${j})`;
      case "AppendEntries": return `AppendEntries(${i} -> ${j})`;
      default: return `${name}(server ${i})`;
    }
  },
});
