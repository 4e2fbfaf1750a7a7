/**
 * Single-decree Paxos with dueling proposers: the liveness face of FLP. specs/paxos.ts is the
 * exact port of Paxos.tla; its message set only grows and its ballots stop at maxBallot, so
 * its graph is acyclic and every run ends. Here the same algorithm (Lamport, "Paxos Made
 * Simple" §2.2-2.3; the guards of Paxos.tla) runs with proposers that retry forever, bounded
 * so that the graph is finite and has cycles. `dscheck bivalence` then finds the livelock of
 * §2.4: each proposer's prepare is refused by an acceptor that has promised the other's
 * higher ballot, both retry higher, and so on: every process keeps stepping, every message
 * is delivered, nothing is ever chosen and both values stay possible. With `leader=true`
 * (§2.4's distinguished proposer: only the highest-numbered proposer retries after a
 * preemption, the others back off for good) every fair run decides.
 *
 * Processes: proposers p0..p{n-1}, each with an input (the initial configurations are every
 * assignment of v1/v2 to them), then acceptors a1..a{m}; quorums are the majorities. Steps:
 * - Phase1a(p, g): p starts a ballot: its first, or after a preemption a retry above every
 *   ballot it knows of (its own and the refusals'), and queues 1a for every acceptor.
 * - Phase2a(p): once a majority has promised, p proposes the value of the highest-ballot vote
 *   the promises report, or its own input if none (Paxos.tla's Phase2a), queued for all.
 * - Receive(a, p): a takes p's request off their link: 1a(b) with b > maxBal: a promises
 *   (reporting its last vote); 2a(b, v) with b >= maxBal: a votes; otherwise a refuses with
 *   its maxBal (a nack). The reply reaches p at once: a promise or a refusal of p's current
 *   ballot is recorded in p's state, anything else is stale and ignored.
 * - Send(p, a): p puts its queued request on the link to a once that link is free.
 *
 * The abstraction, and what it keeps:
 * 1. Ballots are renumbered by rank, exactly. After every step each ballot in the state
 *    (proposers' ballots, reported votes and refusals, acceptors' maxBal and maxVBal,
 *    requests on links, the ghost tallies and chosenAt) is replaced by its rank among them:
 *    0, 1, 2, ... (-1 is "none"). Every guard and update of Paxos uses ballots only through
 *    <, <=, = and max, and every ballot has one owner, so two states that differ by an
 *    order-preserving renaming of ballots have the same futures up to that renaming: the
 *    quotient is a bisimulation of the model whose ballots are unbounded. A new ballot goes
 *    into any gap above what its proposer knows (g: just below rank g, or above all): every
 *    order a real choice of "a ballot higher than any I have seen" can have with the ballots
 *    it has not seen. That is exact for a dense order of ballots; for integer ballots
 *    (round, proposer) it allows more than they can, which only strengthens the safety
 *    checked (and every retry in the lasso bivalence finds takes the top gap, which a higher
 *    round gives; the test checks it). A ballot that no longer occurs in the state can no
 *    longer be compared with anything. Agreement, Validity and the invariants below use
 *    ballots only through their order, so each holds here iff it holds with unbounded
 *    ballots. The safety argument of Paxos is kept whole: P2c (a value chosen at ballot b is
 *    the value of every proposal at a higher ballot, because the majority that voted at b
 *    meets the majority that promised any higher ballot, and the promise reports the vote)
 *    uses only the order of ballots and quorum intersection; SafeProposals checks it state by
 *    state. A lasso's loop returns to a state equal up to renaming: one round of it is one
 *    more round of the duel at higher ballots.
 * 2. A link carries one request at a time. Between p and a there is one slot; a request p
 *    makes while the slot is busy waits in p's queue (`owed`), and a newer request of p
 *    replaces a queued older one: p never sends a request it has already superseded, which
 *    Paxos allows (a proposer may send to any acceptors it likes). Nothing sent is lost, so
 *    in a fair run every message is delivered. This and 1. make the state space finite.
 * 3. Replies travel instantly, as in Paxos.tla, where a 1b is in `msgs`, usable by Phase2a,
 *    the moment it is sent; a proposer's reaction (Phase2a, a retry) is its own later step,
 *    in which it uses every reply that has arrived.
 * 4. Learning is Voting's `chosen`, as in specs/paxos.ts (which omits learners too): a ghost
 *    tally counts the votes at each ballot that can still get some (a 2a of it on a link or
 *    queued); when a majority has voted (b, v), v joins the ghost `chosen`, which every
 *    process decides. A ballot with no 2a left gets no more votes, so dropping its tally is
 *    exact. `chosenAt` (ghost) is the lowest ballot at which a value was chosen.
 * So the safety checked is that of every behaviour of unbounded-ballot Paxos over one-slot
 * links with instant replies: 2. and 3. are restrictions, not approximations (runs with two
 * requests of one proposer on the wire to one acceptor, with a reply delayed past later
 * events, or with a Phase2a that leaves out a promise already arrived, are not here);
 * specs/paxos.ts covers Paxos.tla's every message pattern within its ballot bound instead.
 *
 * Size: 2 proposers and 2 acceptors (the default) give 7,720 states (19,204 generated),
 * 1,904 with leader=true. With 2 acceptors the one quorum is both of them, so P2c's quorum
 * intersection is trivial there; acceptors=3 exercises it. 3 acceptors are allowed, but the
 * third acceptor, which a proposer does not wait for, multiplies the interleavings of stale
 * requests and their ranks: 217,908 states with leader=true (bivalence: every fair run
 * decides, 14 s), more than 3 million without (not finished); 3 proposers with 2 acceptors,
 * more than a million.
 *
 * For `bivalence`: processes are the proposers then the acceptors; crash-stop with no
 * crashes, since the point is that the duel needs none: Paxos gives up termination, never
 * safety. Messages in flight are reported per link, not by content, because contents are
 * renumbered while they wait; a request is put only on an empty link and leaves it only by
 * its delivery, so "the link to a holds a request in every state of the loop" is exactly
 * "that request is never delivered in the loop".
 *
 * `--param bug=ignoreVotes`: Phase2a proposes p's own input whatever the promises report
 * (Paxos.tla's safe-value condition dropped): two values get chosen.
 */
import { always, defineSpec, range, setAt } from "dscheck";
import { defineConsensus } from "dscheck";

export type Phase = "idle" | "prepare" | "accept";
export type Request = { readonly k: "1a"; readonly b: number } | { readonly k: "2a"; readonly b: number; readonly v: number };
export interface Tally {
  readonly b: number;
  readonly v: number;
  /** Bitmask of the acceptors that voted (b, v). */
  readonly by: number;
}

export interface DuelState {
  /** Per proposer: its input, the value it proposes when no reported vote constrains it. */
  readonly input: readonly number[];
  readonly phase: readonly Phase[];
  /** Per proposer: its current ballot (a rank), -1 before its first. */
  readonly bal: readonly number[];
  /** Per proposer in phase "accept": the value of its 2a. */
  readonly val: readonly (number | null)[];
  /** Per proposer in phase "prepare": bitmask of the acceptors whose promise for its ballot has arrived. */
  readonly promised: readonly number[];
  /** Per proposer in phase "prepare": the highest-ballot vote those promises report (-1 / null: none). */
  readonly hvb: readonly number[];
  readonly hvv: readonly (number | null)[];
  /** Per proposer: -1, or the highest maxBal reported by a refusal (nack) of its current ballot: it is preempted. */
  readonly nack: readonly number[];
  /** Per proposer: bitmask of the acceptors its current request is queued for (their link was busy). */
  readonly owed: readonly number[];
  readonly maxBal: readonly number[];
  readonly maxVBal: readonly number[];
  readonly maxVal: readonly (number | null)[];
  /** link[p * acceptors + a]: the request from proposer p on its way to acceptor a, or null. */
  readonly link: readonly (Request | null)[];
  /** Ghost: the votes at each ballot that can still be voted for, sorted by ballot. */
  readonly tally: readonly Tally[];
  /** Ghost: the values chosen so far (Voting's chosen), sorted. */
  readonly chosen: readonly number[];
  /** Ghost: the lowest ballot at which a value was chosen (-1: none yet). */
  readonly chosenAt: number;
}

export interface DuelParams {
  readonly proposers: number;
  readonly acceptors: number;
  readonly leader: boolean;
  readonly bug: string;
}

export const NONE = -1;
const majority = (acceptors: number) => Math.floor(acceptors / 2) + 1;
const popcount = (x: number) => {
  let k = 0;
  for (; x; x &= x - 1) k++;
  return k;
};

/** The distinct ballots occurring in s, ascending (a fraction is a new ballot not yet renumbered). */
export function ballotsOf(s: DuelState): number[] {
  const set = new Set<number>();
  const add = (b: number) => {
    if (b !== NONE) set.add(b);
  };
  s.bal.forEach(add);
  s.hvb.forEach(add);
  s.nack.forEach(add);
  s.maxBal.forEach(add);
  s.maxVBal.forEach(add);
  for (const m of s.link) if (m !== null) add(m.b);
  for (const t of s.tally) add(t.b);
  add(s.chosenAt);
  return [...set].sort((x, y) => x - y);
}

/** The canonical representative of s: every ballot replaced by its rank (s itself when they already are ranks). */
function renumber(s: DuelState): DuelState {
  const bs = ballotsOf(s);
  if (bs.every((b, i) => b === i)) return s;
  const rank = new Map(bs.map((b, i) => [b, i]));
  const r = (b: number) => (b === NONE ? b : rank.get(b)!);
  const rs = (xs: readonly number[]) => (xs.every((b) => r(b) === b) ? xs : xs.map(r));
  return {
    ...s,
    bal: rs(s.bal),
    hvb: rs(s.hvb),
    nack: rs(s.nack),
    maxBal: rs(s.maxBal),
    maxVBal: rs(s.maxVBal),
    link: s.link.map((m) => (m === null || r(m.b) === m.b ? m : { ...m, b: r(m.b) })),
    tally: s.tally.map((t) => (r(t.b) === t.b ? t : { ...t, b: r(t.b) })),
    chosenAt: r(s.chosenAt),
  };
}

/** Drops the tallies of ballots that can get no more votes (no 2a of theirs on a link or queued). */
function collectTallies(s: DuelState): DuelState {
  const live = (b: number) =>
    s.link.some((m) => m !== null && m.k === "2a" && m.b === b) || s.phase.some((ph, p) => ph === "accept" && s.bal[p] === b && s.owed[p] !== 0);
  const tally = s.tally.filter((t) => live(t.b));
  return tally.length === s.tally.length ? s : { ...s, tally };
}

const finish = (s: DuelState) => renumber(collectTallies(s));

/** p's current request, from its phase. */
function requestOf(s: DuelState, p: number): Request | null {
  if (s.phase[p] === "prepare") return { k: "1a", b: s.bal[p] };
  if (s.phase[p] === "accept") return { k: "2a", b: s.bal[p], v: s.val[p]! };
  return null;
}

/** Puts p's current request on every link it is queued for that is free. */
function flush(s: DuelState, p: number, A: number): DuelState {
  const req = requestOf(s, p);
  if (req === null || s.owed[p] === 0) return s;
  let link = s.link, owed = s.owed[p];
  for (let a = 0; a < A; a++) {
    if (!(owed & (1 << a)) || link[p * A + a] !== null) continue;
    link = setAt(link, p * A + a, req);
    owed &= ~(1 << a);
  }
  return { ...s, link, owed: setAt(s.owed, p, owed) };
}

/** Where p's new ballot can go: g stands for "just below rank g" (g = the number of ballots: above all), g > known. */
function gapsAbove(s: DuelState, known: number): number[] {
  return range(ballotsOf(s).length + 1).filter((g) => g > known);
}

/** Whether p may start a ballot now: its first, or a retry after a preemption (leader rule: only the leader retries). */
function mayStart(s: DuelState, p: number, { proposers: P, leader }: DuelParams): boolean {
  return s.phase[p] === "idle" || (s.nack[p] !== NONE && (!leader || p === P - 1));
}

/** The reply of acceptor a to request m delivered to proposer p (stale replies change nothing). */
function deliverReply(s: DuelState, p: number, a: number, m: Request, promise: boolean, vb: number, vv: number | null, refusedBy: number): DuelState {
  if (m.b !== s.bal[p]) return s;
  if (refusedBy !== NONE) {
    // A refusal of p's current ballot (either phase): p is preempted, and knows a ballot above its own.
    return s.phase[p] === "idle" ? s : { ...s, nack: setAt(s.nack, p, Math.max(s.nack[p], refusedBy)) };
  }
  if (!promise || s.phase[p] !== "prepare") return s; // a 2b (learning is the ghost's), or a promise after Phase2a
  const higher = vb > s.hvb[p];
  return {
    ...s,
    promised: setAt(s.promised, p, s.promised[p] | (1 << a)),
    hvb: higher ? setAt(s.hvb, p, vb) : s.hvb,
    hvv: higher ? setAt(s.hvv, p, vv) : s.hvv,
  };
}

type Outcome = "promise" | "vote" | "refuse";

/** What acceptor a does with request m: Paxos.tla's Phase1b guard (b > maxBal) and Phase2b guard (b >= maxBal). */
function outcome(s: DuelState, a: number, m: Request): Outcome {
  if (m.k === "1a") return m.b > s.maxBal[a] ? "promise" : "refuse";
  return m.b >= s.maxBal[a] ? "vote" : "refuse";
}

const spec = defineSpec({
  name: "PaxosDueling",
  description: "single-decree Paxos with proposers that retry forever (ballots renumbered by rank, one-request links)",
  params: {
    proposers: { default: 2, min: 1, max: 3, integer: true, description: "number of proposers, each with an input value" },
    acceptors: { default: 2, min: 1, max: 3, integer: true, description: "number of acceptors (quorums: the majorities)" },
    leader: { default: false, description: "only the leader (the highest-numbered proposer) starts a new ballot after a preemption" },
    bug: { default: "none", choices: ["none", "ignoreVotes"], description: "seeded bug: Phase2a proposes the proposer's own input whatever the promises report" },
  },
  init: ({ proposers: P, acceptors: A }) =>
    // Every assignment of the two values to the proposers, p0 the most significant bit.
    range(2 ** P).map((k): DuelState => ({
      input: range(P).map((p) => (k >> (P - 1 - p)) & 1),
      phase: range(P).map((): Phase => "idle"),
      bal: range(P).map(() => NONE),
      val: range(P).map(() => null),
      promised: range(P).map(() => 0),
      hvb: range(P).map(() => NONE),
      hvv: range(P).map(() => null),
      nack: range(P).map(() => NONE),
      owed: range(P).map(() => 0),
      maxBal: range(A).map(() => NONE),
      maxVBal: range(A).map(() => NONE),
      maxVal: range(A).map(() => null),
      link: range(P * A).map(() => null),
      tally: [],
      chosen: [],
      chosenAt: NONE,
    })),
  actions: [
    {
      // Phase1a: p starts a ballot above every ballot it knows of (its own, the refusals'), in any
      // gap among the ballots there are, and queues 1a for every acceptor.
      name: "Phase1a",
      // Arguments: p, the gap g, and (for the label) how many ballots there are.
      argsFrom: (s: DuelState, params: DuelParams) => {
        const k = ballotsOf(s).length;
        return range(params.proposers).flatMap((p) => (mayStart(s, p, params) ? gapsAbove(s, Math.max(s.bal[p], s.nack[p])).map((g) => [p, g, k] as const) : []));
      },
      next: (s: DuelState, [p, g]: readonly [number, number, number], params: DuelParams) => {
        if (!mayStart(s, p, params)) return null;
        const A = params.acceptors;
        const t: DuelState = {
          ...s,
          phase: setAt(s.phase, p, "prepare"),
          bal: setAt(s.bal, p, g - 0.5),
          val: setAt(s.val, p, null),
          promised: setAt(s.promised, p, 0),
          hvb: setAt(s.hvb, p, NONE),
          hvv: setAt(s.hvv, p, null),
          nack: setAt(s.nack, p, NONE),
          owed: setAt(s.owed, p, (1 << A) - 1),
        };
        return finish(flush(t, p, A));
      },
    },
    {
      // Phase2a: once a majority has promised, p proposes the value of the highest-ballot vote
      // reported, or its own input if none, and queues 2a for every acceptor.
      name: "Phase2a",
      args: ({ proposers: P }) => range(P).map((p) => [p] as const),
      next: (s: DuelState, [p]: readonly [number], { acceptors: A, bug }: DuelParams) => {
        if (s.phase[p] !== "prepare" || popcount(s.promised[p]) < majority(A)) return null;
        const v = s.hvb[p] !== NONE && bug !== "ignoreVotes" ? s.hvv[p]! : s.input[p];
        const t: DuelState = {
          ...s,
          phase: setAt(s.phase, p, "accept"),
          val: setAt(s.val, p, v),
          promised: setAt(s.promised, p, 0),
          hvb: setAt(s.hvb, p, NONE),
          hvv: setAt(s.hvv, p, null),
          owed: setAt(s.owed, p, (1 << A) - 1),
          tally: [...s.tally, { b: s.bal[p], v, by: 0 }].sort((x, y) => x.b - y.b),
        };
        return finish(flush(t, p, A));
      },
    },
    {
      // Acceptor a takes p's request off their link (Paxos.tla's Phase1b / Phase2b guards: promise
      // if b > maxBal, vote if b >= maxBal, else refuse with its maxBal); the reply reaches p; the
      // link takes p's queued request for a, if any.
      name: "Receive",
      // Arguments: a, p, and (for the label) the request and what a does with it.
      argsFrom: (s: DuelState, { proposers: P, acceptors: A }: DuelParams) => {
        const out: (readonly [number, number, Request, Outcome])[] = [];
        for (let a = 0; a < A; a++) for (let p = 0; p < P; p++) {
          const m = s.link[p * A + a];
          if (m !== null) out.push([a, p, m, outcome(s, a, m)]);
        }
        return out;
      },
      next: (s: DuelState, [a, p]: readonly [number, number, Request, Outcome], { acceptors: A }: DuelParams) => {
        const i = p * A + a, m = s.link[i];
        if (m === null) return null;
        let t: DuelState = { ...s, link: setAt(s.link, i, null) };
        const o = outcome(s, a, m);
        if (o === "promise") {
          t = deliverReply({ ...t, maxBal: setAt(s.maxBal, a, m.b) }, p, a, m, true, s.maxVBal[a], s.maxVal[a], NONE);
        } else if (o === "vote" && m.k === "2a") {
          // A vote: counted in its ballot's ghost tally; a majority makes its value chosen.
          let { chosen, chosenAt } = s;
          const tally = s.tally.map((x) => {
            if (x.b !== m.b) return x;
            const by = x.by | (1 << a);
            if (popcount(by) >= majority(A) && popcount(x.by) < majority(A)) {
              if (!chosen.includes(x.v)) chosen = [...chosen, x.v].sort((u, w) => u - w);
              if (chosenAt === NONE || x.b < chosenAt) chosenAt = x.b;
            }
            return { ...x, by };
          });
          t = { ...t, maxBal: setAt(s.maxBal, a, m.b), maxVBal: setAt(s.maxVBal, a, m.b), maxVal: setAt(s.maxVal, a, m.v), tally, chosen, chosenAt };
          t = deliverReply(t, p, a, m, false, NONE, null, NONE);
        } else {
          t = deliverReply(t, p, a, m, false, NONE, null, s.maxBal[a]);
        }
        return finish(t);
      },
    },
    {
      // p puts its current request on a link it is queued for, once the link is free.
      name: "Send",
      args: ({ proposers: P, acceptors: A }) => range(P).flatMap((p) => range(A).map((a) => [p, a] as const)),
      next: (s: DuelState, [p, a]: readonly [number, number], { acceptors: A }: DuelParams) => {
        const req = requestOf(s, p);
        if (req === null || !(s.owed[p] & (1 << a)) || s.link[p * A + a] !== null) return null;
        return { ...s, link: setAt(s.link, p * A + a, req), owed: setAt(s.owed, p, s.owed[p] & ~(1 << a)) };
      },
    },
  ],
  properties: {
    TypeOK: always((s: DuelState, { acceptors: A }: DuelParams) => {
      const k = ballotsOf(s).length;
      const ok = (b: number) => Number.isInteger(b) && b >= NONE && b < k;
      return (
        [...s.bal, ...s.hvb, ...s.nack, ...s.maxBal, s.chosenAt].every(ok) &&
        s.maxVBal.every((b, a) => ok(b) && b <= s.maxBal[a] && (b === NONE) === (s.maxVal[a] === null)) &&
        s.owed.every((o) => o >= 0 && o < 1 << A) && s.chosen.every((v) => v === 0 || v === 1)
      );
    }),
    // At most one value is ever chosen (Voting's chosen, counted exactly by the ghost tally).
    Agreement: always((s: DuelState) =>
      s.chosen.length <= 1 ? true : { holds: false, explanation: `values ${s.chosen.map((v) => `v${v + 1}`).join(" and ")} are both chosen` },
    ),
    Validity: always((s: DuelState) => s.chosen.every((v) => s.input.includes(v))),
    // One value per ballot: the 2a messages, the proposer in phase 2 and the tally agree.
    OneValuePerBallot: always((s: DuelState) => {
      const byBal = new Map<number, number>();
      const see = (b: number, v: number) => {
        if (byBal.has(b) && byBal.get(b) !== v) return false;
        byBal.set(b, v);
        return true;
      };
      for (const m of s.link) if (m !== null && m.k === "2a" && !see(m.b, m.v)) return false;
      for (const x of s.tally) if (!see(x.b, x.v)) return false;
      return s.phase.every((ph, p) => ph !== "accept" || see(s.bal[p], s.val[p]!));
    }),
    // P2c: once v is chosen at ballot chosenAt, every proposal and every vote at a ballot >= chosenAt is for v.
    SafeProposals: always((s: DuelState) => {
      if (s.chosenAt === NONE) return true;
      const v = s.chosen[0];
      const bad: string[] = [];
      for (const m of s.link) if (m !== null && m.k === "2a" && m.b >= s.chosenAt && m.v !== v) bad.push(`2a(b${m.b}, v${m.v + 1}) on a link`);
      s.phase.forEach((ph, p) => {
        if (ph === "accept" && s.bal[p] >= s.chosenAt && s.val[p] !== v) bad.push(`p${p} proposes v${s.val[p]! + 1} at b${s.bal[p]}`);
      });
      s.maxVBal.forEach((b, a) => {
        if (b !== NONE && b >= s.chosenAt && s.maxVal[a] !== v) bad.push(`a${a + 1} voted v${s.maxVal[a]! + 1} at b${b}`);
      });
      return bad.length === 0 ? true : { holds: false, explanation: `v${v + 1} was chosen at b${s.chosenAt}, but ${bad.join(", ")}` };
    }),
  },
  deadlockIsError: false,
  formatAction: (name, args) => {
    if (name === "Phase1a") {
      const [p, g, k] = args as number[];
      const where = k === 0 ? "the first ballot" : g === k ? `ballot above b${k - 1}` : g === 0 ? "ballot below b0" : `ballot between b${g - 1} and b${g}`;
      return `Phase1a(p${p}: ${where})`;
    }
    if (name === "Phase2a") return `Phase2a(p${args[0]})`;
    if (name === "Send") return `Send(p${args[0]} -> a${(args[1] as number) + 1})`;
    const m = args[2] as Request;
    return `a${(args[0] as number) + 1} <- p${args[1]}: ${m.k === "1a" ? `1a(b${m.b})` : `2a(b${m.b}, v${m.v + 1})`}, ${args[3] === "promise" ? "promises" : args[3] === "vote" ? "votes" : "refuses"}`;
  },
});
export default spec;

/** The process of an action instance: proposers 0..P-1, then acceptors P..P+A-1. */
export function processOf(name: string, args: readonly unknown[], { proposers: P }: { proposers: number }): number {
  return name === "Receive" ? P + (args[0] as number) : (args[0] as number);
}

export const consensus = defineConsensus<DuelState, DuelParams>({
  processes: ({ proposers: P, acceptors: A }) => [...range(P).map((p) => `p${p}`), ...range(A).map((a) => `a${a + 1}`)],
  values: () => ["v1", "v2"],
  // Every process learns Voting's chosen; with two values chosen (the bug) they learn different ones.
  decision: (s, { proposers: P, acceptors: A }) => range(P + A).map((q) => (s.chosen.length === 0 ? null : `v${s.chosen[q % s.chosen.length] + 1}`)),
  inputs: (s, { acceptors: A }) => [...s.input.map((v) => `v${v + 1}`), ...range(A).map(() => null)],
  process: processOf,
  failure: { model: "crash-stop", maxFaulty: 0 },
  // Per link, not by content: contents are renumbered while they wait, and a link changes only by a delivery.
  pending: (s, { proposers: P, acceptors: A }) => {
    const out: (readonly [number, string])[] = [];
    for (let p = 0; p < P; p++) for (let a = 0; a < A; a++) if (s.link[p * A + a] !== null) out.push([P + a, `p${p}->a${a + 1}`]);
    return out;
  },
});
