/**
 * Single-decree Paxos: a port of Lamport's Paxos.tla (tlaplus/Examples,
 * specifications/Paxos/Paxos.tla, "the Paxos algorithm without explicit leaders or
 * learners"), action for action, with MCPaxos.cfg's model as the default: one acceptor, one
 * value, ballots 0..1, the quorum {{a1}}. TLC's recorded counts for MCPaxos
 * (../shared/corpora/tlaplus-examples/ORACLES_from_manifests.csv): 25 distinct / 82
 * generated states; the test pins them.
 *
 * Variables as in the TLA+: maxBal, maxVBal, maxVal per acceptor (-1 / null for "none") and
 * msgs, the set of every message sent (never shrunk: loss is "never received"). Quorums are
 * the majorities of the acceptors (for one acceptor, {{a1}}, as MCQuorum; for three, the
 * three pairs, as the commented-out MCQuorum). The `\E Q \in Quorum` of Phase2a is an
 * argument, so that, as in TLC, each quorum that enables it generates its successor.
 *
 * Properties: TypeOK (Inv1), Inv2 (an acceptor's vote is a 2b message it sent),
 * OneValuePerBallot (the 2a part of Inv3) and Agreement (Voting's chosen has at most one
 * value). `--param bug=anyValue` drops Phase2a's safe-value condition (the heart of the
 * algorithm): with values=2 two values get chosen.
 *
 * For `bivalence`: learners are omitted in Paxos.tla, so every process (acceptors and the
 * ballot leaders) is taken to learn `chosen`; the decision values are the values.
 */
import { always, defineSpec, messageSetEvents, range, setAt, ValueSet } from "dscheck";
import { defineConsensus } from "dscheck";

type Msg =
  | { readonly type: "1a"; readonly bal: number }
  | { readonly type: "1b"; readonly acc: number; readonly bal: number; readonly mbal: number; readonly mval: number | null }
  | { readonly type: "2a"; readonly bal: number; readonly val: number }
  | { readonly type: "2b"; readonly acc: number; readonly bal: number; readonly val: number };

export interface PaxosState {
  readonly maxBal: readonly number[];
  readonly maxVBal: readonly number[];
  readonly maxVal: readonly (number | null)[];
  readonly msgs: ValueSet<Msg>;
}

/** The majorities of 0..n-1 (for n = 1: [[0]]). */
export function majorities(n: number): number[][] {
  const out: number[][] = [];
  const need = Math.floor(n / 2) + 1;
  for (let mask = 1; mask < 1 << n; mask++) {
    const q = range(n).filter((a) => mask & (1 << a));
    if (q.length === need) out.push(q);
  }
  return out;
}

/** Voting's chosen: the values v with a ballot b and a quorum all of whose members voted for (b, v). */
export function chosen(s: PaxosState, acceptors: number): number[] {
  const votes = new Set<string>();
  for (const m of s.msgs) if (m.type === "2b") votes.add(`${m.acc}:${m.bal}:${m.val}`);
  const out = new Set<number>();
  for (const m of s.msgs) {
    if (m.type !== "2b") continue;
    if (majorities(acceptors).some((q) => q.every((a) => votes.has(`${a}:${m.bal}:${m.val}`)))) out.add(m.val);
  }
  return [...out].sort((a, b) => a - b);
}

const spec = defineSpec({
  name: "Paxos",
  description: "single-decree Paxos (Paxos.tla, MCPaxos model by default)",
  memoize: true,
  params: {
    acceptors: { default: 1, min: 1, max: 5, integer: true, description: "number of acceptors (MCAcceptor: 1)" },
    values: { default: 1, min: 1, max: 3, integer: true, description: "number of values (MCValue: 1)" },
    maxBallot: { default: 1, min: 0, max: 4, integer: true, description: "ballots are 0..maxBallot (MCMaxBallot: 1)" },
    bug: { default: "none", choices: ["none", "anyValue"], description: "seeded bug: Phase2a ignores the votes reported in phase 1b" },
  },
  init: ({ acceptors }) => [
    {
      maxBal: range(acceptors).map(() => -1),
      maxVBal: range(acceptors).map(() => -1),
      maxVal: range(acceptors).map(() => null),
      msgs: ValueSet.empty<Msg>(),
    } as PaxosState,
  ],
  actions: [
    {
      // Phase1a(b) == Send([type |-> "1a", bal |-> b]): always enabled (a self-loop once sent).
      name: "Phase1a",
      args: ({ maxBallot }) => range(maxBallot + 1).map((b) => [b] as const),
      update: (s: PaxosState, [b]) => ({ msgs: s.msgs.add({ type: "1a", bal: b }) }),
    },
    {
      name: "Phase2a",
      args: ({ maxBallot, values, acceptors }) =>
        range(maxBallot + 1).flatMap((b) => range(values).flatMap((v) => majorities(acceptors).map((_, q) => [b, v, q] as const))),
      update: (s: PaxosState, [b, v, qi], { acceptors, bug }) => {
        for (const m of s.msgs) if (m.type === "2a" && m.bal === b) return null;
        const q = majorities(acceptors)[qi];
        const q1b: Extract<Msg, { type: "1b" }>[] = [];
        for (const m of s.msgs) if (m.type === "1b" && q.includes(m.acc) && m.bal === b) q1b.push(m);
        if (!q.every((a) => q1b.some((m) => m.acc === a))) return null;
        const q1bv = q1b.filter((m) => m.mbal >= 0);
        const safe = bug === "anyValue" || q1bv.length === 0 || q1bv.some((m) => m.mval === v && q1bv.every((mm) => m.mbal >= mm.mbal));
        return safe ? { msgs: s.msgs.add({ type: "2a", bal: b, val: v }) } : null;
      },
    },
    {
      // Phase1b(a) == \E m \in msgs : m.type = "1a" /\ m.bal > maxBal[a] /\ ...: the instances are the 1a messages.
      name: "Phase1b",
      argsFrom: (s: PaxosState) => {
        const out: (readonly [number, number])[] = [];
        for (let a = 0; a < s.maxBal.length; a++) for (const m of s.msgs) if (m.type === "1a") out.push([a, m.bal]);
        return out;
      },
      update: (s: PaxosState, [a, bal]) =>
        bal > s.maxBal[a]
          ? { maxBal: setAt(s.maxBal, a, bal), msgs: s.msgs.add({ type: "1b", acc: a, bal, mbal: s.maxVBal[a], mval: s.maxVal[a] }) }
          : null,
    },
    {
      name: "Phase2b",
      argsFrom: (s: PaxosState) => {
        const out: (readonly [number, number, number])[] = [];
        for (let a = 0; a < s.maxBal.length; a++) for (const m of s.msgs) if (m.type === "2a") out.push([a, m.bal, m.val]);
        return out;
      },
      update: (s: PaxosState, [a, bal, val]) =>
        bal >= s.maxBal[a]
          ? {
              maxBal: setAt(s.maxBal, a, bal),
              maxVBal: setAt(s.maxVBal, a, bal),
              maxVal: setAt(s.maxVal, a, val),
              msgs: s.msgs.add({ type: "2b", acc: a, bal, val }),
            }
          : null,
    },
  ],
  properties: {
    TypeOK: always((s: PaxosState, p: { maxBallot: number; values: number }) =>
      s.maxBal.every((b, a) => b >= -1 && b <= p.maxBallot && s.maxVBal[a] >= -1 && s.maxVBal[a] <= p.maxBallot && (s.maxVal[a] === null || s.maxVal[a]! < p.values)),
    ),
    // Inv2: IF maxVBal[a] = -1 THEN maxVal[a] = None ELSE <<maxVBal[a], maxVal[a]>> \in votes[a].
    Inv2: always((s: PaxosState) =>
      s.maxVBal.every((vb, a) => (vb === -1 ? s.maxVal[a] === null : s.msgs.has({ type: "2b", acc: a, bal: vb, val: s.maxVal[a]! }))),
    ),
    OneValuePerBallot: always((s: PaxosState) => {
      const byBal = new Map<number, number>();
      for (const m of s.msgs) if (m.type === "2a") {
        if (byBal.has(m.bal) && byBal.get(m.bal) !== m.val) return false;
        byBal.set(m.bal, m.val);
      }
      return true;
    }),
    Agreement: always((s: PaxosState) => {
      const c = chosen(s, s.maxBal.length);
      return c.length <= 1 ? true : { holds: false, explanation: `values ${c.map((v) => `v${v + 1}`).join(" and ")} are both chosen` };
    }),
  },
  deadlockIsError: false,
  formatAction: (name, args) => {
    const [x, y, z] = args as number[];
    switch (name) {
      case "Phase1a":
        return `Phase1a(ballot ${x})`;
      case "Phase2a":
        return `Phase2a(ballot ${x}, v${y + 1}, quorum #${z})`;
      case "Phase1b":
        return `Phase1b(a${x + 1}, ballot ${y})`;
      default:
        return `Phase2b(a${x + 1}, ballot ${y}, v${z + 1})`;
    }
  },
  // Space-time diagrams: the leader of ballot b runs Phase1a/2a(b), acceptor a runs Phase1b/2b(a); 2b messages are
  // for the learners, which Paxos.tla leaves out (so they stay in flight).
  events: messageSetEvents({
    processes: ({ acceptors, maxBallot }: { acceptors: number; maxBallot: number }) => [...range(acceptors).map((a) => `a${a + 1}`), ...range(maxBallot + 1).map((b) => `leader${b}`)],
    messages: (s: PaxosState) => s.msgs,
    key: (m: Msg) =>
      m.type === "1a" ? `1a b${m.bal}` : m.type === "1b" ? `1b a${m.acc + 1} b${m.bal}${m.mbal >= 0 ? ` voted b${m.mbal} v${m.mval! + 1}` : ""}`
        : m.type === "2a" ? `2a b${m.bal} v${m.val + 1}` : `2b a${m.acc + 1} b${m.bal} v${m.val + 1}`,
    to: (m: Msg, { acceptors }) => (m.type === "1b" ? `leader${m.bal}` : m.type === "2b" ? [] : range(acceptors).map((a) => `a${a + 1}`)),
    from: (m: Msg) => (m.type === "1a" || m.type === "2a" ? `leader${m.bal}` : `a${m.acc + 1}`),
    actor: (action, args) => (action === "Phase1a" || action === "Phase2a" ? `leader${args[0]}` : `a${(args[0] as number) + 1}`),
    receives: ({ action, args, before, params }): Msg[] => {
      if (action === "Phase1b") return [{ type: "1a", bal: args[1] as number }];
      if (action === "Phase2b") return [{ type: "2a", bal: args[1] as number, val: args[2] as number }];
      if (action !== "Phase2a") return [];
      const q = majorities(params.acceptors)[args[2] as number];
      return [...before.msgs].filter((m) => m.type === "1b" && m.bal === args[0] && q.includes(m.acc));
    },
  }),
});
export default spec;

export const consensus = defineConsensus<PaxosState>({
  processes: ({ acceptors, maxBallot }) => [...range(acceptors).map((a) => `a${a + 1}`), ...range(maxBallot + 1).map((b) => `leader${b}`)],
  values: ({ values }) => range(values).map((v) => `v${v + 1}`),
  // Every process learns `chosen`; if two values are chosen (the bug), processes learn different ones.
  decision: (s, { acceptors, maxBallot }) => {
    const c = chosen(s, acceptors);
    return range(acceptors + maxBallot + 1).map((p) => (c.length === 0 ? null : `v${c[p % c.length] + 1}`));
  },
  process: (name, args, { acceptors }) => (name === "Phase1a" || name === "Phase2a" ? acceptors + (args[0] as number) : (args[0] as number)),
  failure: { model: "crash-stop", maxFaulty: 0 },
});
