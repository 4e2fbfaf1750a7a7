/**
 * A naive asynchronous consensus protocol with one crash: the seed notes' FLP example made
 * concrete (Fischer, Lynch, Paterson, "Impossibility of Distributed Consensus with One
 * Faulty Process", JACM 1985). `n` processes each start with a binary input; messages travel
 * in a set (any order, any delay, never lost); at most `f` processes crash (crash-stop: a
 * crashed process takes no more steps; what it sent is still delivered).
 *
 * Two decision rules (`rule`), the two ways FLP says a protocol must fail:
 * - `leader` (default): everyone sends its input to process 0, which decides the first input
 *   it receives and tells the others. Safe (one process chooses), and bivalent: with inputs
 *   (x, 0, 1) the order in which p0 hears p1 and p2 decides. A crash of p0 blocks everyone:
 *   the non-deciding admissible run.
 * - `quorum`: every process broadcasts its input and decides as soon as it has n-f values
 *   (its own included): their majority, a tie going to 1. Never blocks, but two processes can
 *   see different quorums: an Agreement violation.
 *
 * `bivalence` shows the bivalent initial configurations and the adjacent pair of Lemma 2 in
 * both rules; the blocked run (leader) or the disagreement (quorum).
 */
import { always, defineSpec, range, setAt, ValueSet } from "dscheck";
import { defineConsensus } from "dscheck";

type Bit = 0 | 1;
type Msg = { readonly kind: "input"; readonly from: number; readonly to: number; readonly v: Bit } | { readonly kind: "decide"; readonly from: number; readonly to: number; readonly v: Bit };

export interface NaiveState {
  readonly input: readonly Bit[];
  readonly decided: readonly (Bit | null)[];
  readonly crashed: readonly boolean[];
  readonly sent: readonly boolean[];
  /** heard[p][q]: the input p has received from q (null: none yet). */
  readonly heard: readonly (readonly (Bit | null)[])[];
  readonly msgs: ValueSet<Msg>;
}

const LEADER = 0;

const spec = defineSpec({
  name: "FLPNaiveConsensus",
  description: "naive asynchronous consensus with one crash (FLP's setting)",
  params: {
    n: { default: 3, min: 2, max: 5, integer: true, description: "number of processes" },
    f: { default: 1, min: 0, max: 4, integer: true, description: "at most this many processes crash" },
    rule: { default: "leader", choices: ["leader", "quorum"], description: "decision rule (quorum: decide on n-f values, unsafe)" },
  },
  init: ({ n }) =>
    // Every assignment of inputs, in binary order (p0 is the most significant bit).
    range(2 ** n).map((k): NaiveState => ({
      input: range(n).map((p) => ((k >> (n - 1 - p)) & 1) as Bit),
      decided: range(n).map(() => null),
      crashed: range(n).map(() => false),
      sent: range(n).map(() => false),
      heard: range(n).map(() => range(n).map(() => null)),
      msgs: ValueSet.empty<Msg>(),
    })),
  actions: [
    {
      // leader: send the input to the leader (the leader sends nothing); quorum: to everyone else.
      name: "Broadcast",
      args: ({ n }) => range(n).map((p) => [p] as const),
      update: (s: NaiveState, [p], { n, rule }) => {
        if (s.crashed[p] || s.sent[p] || (rule === "leader" && p === LEADER)) return null;
        let msgs = s.msgs;
        for (const q of range(n)) if (q !== p && (rule === "quorum" || q === LEADER)) msgs = msgs.add({ kind: "input", from: p, to: q, v: s.input[p] });
        return { sent: setAt(s.sent, p, true), msgs };
      },
    },
    {
      name: "Receive",
      argsFrom: (s: NaiveState) => [...s.msgs].map((m) => [m] as const),
      update: (s: NaiveState, [m], { n, f, rule }) => {
        const p = m.to;
        if (s.crashed[p]) return null;
        let msgs = s.msgs.delete(m);
        if (m.kind === "decide") return { msgs, decided: s.decided[p] === null ? setAt(s.decided, p, m.v) : s.decided };
        const heard = setAt(s.heard, p, setAt(s.heard[p], m.from, m.v));
        let decided = s.decided;
        if (s.decided[p] === null) {
          if (rule === "leader") {
            decided = setAt(decided, p, m.v);
            for (const q of range(n)) if (q !== p) msgs = msgs.add({ kind: "decide", from: p, to: q, v: m.v });
          } else {
            const vals = [s.input[p], ...heard[p].filter((v, q): v is Bit => q !== p && v !== null)];
            if (vals.length >= n - f) {
              const ones = vals.filter((v) => v === 1).length;
              decided = setAt(decided, p, ones * 2 >= vals.length ? 1 : 0);
            }
          }
        }
        return { msgs, heard, decided };
      },
    },
    {
      name: "Crash",
      args: ({ n }) => range(n).map((p) => [p] as const),
      update: (s: NaiveState, [p], { f }) => (!s.crashed[p] && s.crashed.filter(Boolean).length < f ? { crashed: setAt(s.crashed, p, true) } : null),
    },
  ],
  properties: {
    // The consensus properties proper (Agreement, Validity) are checked by `bivalence` from
    // the declaration below; this one is for `explore`.
    Agreement: always((s: NaiveState) => new Set(s.decided.filter((d) => d !== null)).size <= 1),
  },
  deadlockIsError: false,
  formatAction: (name, args) => {
    if (name === "Receive") {
      const m = args[0] as Msg;
      return `Receive(p${m.to} <- p${m.from}: ${m.kind} ${m.v})`;
    }
    return `${name}(p${args[0]})`;
  },
});
export default spec;

export const consensus = defineConsensus<NaiveState>({
  processes: ({ n }) => range(n).map((p) => `p${p}`),
  values: () => [0, 1],
  decision: (s) => s.decided,
  inputs: (s) => s.input,
  process: (name, args) => (name === "Receive" ? (args[0] as Msg).to : (args[0] as number)),
  faultActions: ["Crash"],
  crashed: (s) => s.crashed,
  failure: ({ f }) => ({ model: "crash-stop", maxFaulty: f }),
  pending: (s) => [...s.msgs].map((m) => [m.to, m] as const),
});
