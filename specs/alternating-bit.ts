/**
 * The alternating-bit protocol over two lossy FIFO channels: a port, action for action and
 * variable for variable, of AlternatingBit.tla checked through MCAlternatingBit.tla /
 * MCAlternatingBit.cfg (tlaplus/Examples @32a32c7b0b97562da2dd4b2e55b7f81cd6fea2b9,
 * specifications/SpecifyingSystems/TLC/, from Lamport's "Specifying Systems", chapter 14).
 *
 * A sender tags each new value with a bit it flips per value (SndNewValue) and resends the
 * current message until an acknowledgement carrying that bit comes back (ReSndMsg, RcvAck);
 * the receiver takes the value and bit of the head message (RcvMsg) and can acknowledge its
 * last bit at any time (SndAck). Either channel may drop any one message (LoseMsg, LoseAck).
 * Neither queue has a bound in the spec: both grow without limit.
 *
 * The cfg: Data = {d1, d2} (the `data` param: values "d1".."dN"), msgQLen = 2, ackQLen = 2.
 * Its CONSTRAINT SeqConstraint, Len(msgQ) <= msgQLen /\ Len(ackQ) <= ackQLen, is what makes
 * the model finite: a state with a longer queue is generated and checked but not expanded.
 * The cfg's INVARIANT is ABTypeInv; its PROPERTIES (refinement of ABCorrectness's ABCSpec
 * and a liveness property) are temporal, so they are not ported. What refinement implies for
 * single states is checked instead: ABCReachable (below).
 *
 * TLC's counts for that cfg (the tlaplus/Examples manifest, copied into
 * ../shared/corpora/tlaplus-examples/ORACLES_from_manifests.csv): 240 distinct states,
 * 1,392 generated ("totalStates"), depth 10. Initial states: 2 (sBit) x 2 (sent) x 2 (rcvd).
 *
 * `--param bug=anyAckAccepted` has the sender take any acknowledgement as confirming its
 * current message (RcvAck sets sAck to sBit instead of to the ack's bit): a stale ack then
 * "confirms" a value the receiver never got, and ABCReachable fails in three steps.
 */
import { always, defineSpec, range } from "dscheck";

type Bit = 0 | 1;
/** A message on msgQ: <<bit, data>>. */
type Msg = readonly [Bit, string];

export interface ABState {
  readonly msgQ: readonly Msg[];
  readonly ackQ: readonly Bit[];
  readonly sBit: Bit;
  readonly sAck: Bit;
  readonly rBit: Bit;
  readonly sent: string;
  readonly rcvd: string;
}

const dataValues = (n: number): string[] => range(n).map((i) => `d${i + 1}`);
const flip = (b: Bit): Bit => (b === 0 ? 1 : 0);
/** q without its element at (0-based) position i: Lose(q)'s successor for TLA+'s i + 1. */
const without = <T>(q: readonly T[], i: number): readonly T[] => [...q.slice(0, i), ...q.slice(i + 1)];
const isBit = (b: unknown): boolean => b === 0 || b === 1;

export default defineSpec({
  name: "AlternatingBit",
  description: "alternating-bit protocol over lossy FIFO channels (AlternatingBit.tla, MCAlternatingBit.cfg)",
  params: {
    data: { default: 2, min: 1, max: 6, integer: true, description: "|Data|: values d1..dN" },
    msgQLen: { default: 2, min: 0, max: 6, integer: true, description: "constraint: Len(msgQ) <= msgQLen" },
    ackQLen: { default: 2, min: 0, max: 6, integer: true, description: "constraint: Len(ackQ) <= ackQLen" },
    bug: { default: "none", choices: ["none", "anyAckAccepted"], description: "seeded bug" },
  },
  // ABInit: both queues empty, sBit either bit, sAck = rBit = sBit, sent and rcvd any datum.
  init: ({ data }) => {
    const out: ABState[] = [];
    for (const sBit of [0, 1] as const)
      for (const sent of dataValues(data))
        for (const rcvd of dataValues(data)) out.push({ msgQ: [], ackQ: [], sBit, sAck: sBit, rBit: sBit, sent, rcvd });
    return out;
  },
  actions: [
    {
      // \E d \in Data : SndNewValue(d)
      name: "SndNewValue",
      args: ({ data }) => dataValues(data).map((d) => [d] as const),
      next: (s: ABState, [d]: readonly [string]) => {
        if (s.sAck !== s.sBit) return null;
        const sBit = flip(s.sBit);
        return { ...s, sent: d, sBit, msgQ: [...s.msgQ, [sBit, d] as const] };
      },
    },
    {
      name: "ReSndMsg",
      next: (s: ABState) => (s.sAck !== s.sBit ? { ...s, msgQ: [...s.msgQ, [s.sBit, s.sent] as const] } : null),
    },
    {
      // Takes the head whatever its bit (the spec's receiver does not test it).
      name: "RcvMsg",
      next: (s: ABState) => {
        if (s.msgQ.length === 0) return null;
        const [bit, d] = s.msgQ[0];
        return { ...s, msgQ: s.msgQ.slice(1), rBit: bit, rcvd: d };
      },
    },
    {
      name: "SndAck",
      next: (s: ABState) => ({ ...s, ackQ: [...s.ackQ, s.rBit] }),
    },
    {
      name: "RcvAck",
      next: (s: ABState, _a, p) => {
        if (s.ackQ.length === 0) return null;
        const sAck = p.bug === "anyAckAccepted" ? s.sBit : s.ackQ[0];
        return { ...s, ackQ: s.ackQ.slice(1), sAck };
      },
    },
    {
      // Lose(msgQ) /\ UNCHANGED ackQ: one instance per position \E i \in 1..Len(msgQ)
      // (0-based here), so equal messages at two positions give two (equal) successors.
      name: "LoseMsg",
      argsFrom: (s: ABState) => range(s.msgQ.length).map((i) => [i] as const),
      next: (s: ABState, [i]: readonly [number]) => (i < s.msgQ.length ? { ...s, msgQ: without(s.msgQ, i) } : null),
    },
    {
      name: "LoseAck",
      argsFrom: (s: ABState) => range(s.ackQ.length).map((i) => [i] as const),
      next: (s: ABState, [i]: readonly [number]) => (i < s.ackQ.length ? { ...s, ackQ: without(s.ackQ, i) } : null),
    },
  ],
  // MCAlternatingBit's SeqConstraint.
  constraint: (s: ABState, { msgQLen, ackQLen }) => s.msgQ.length <= msgQLen && s.ackQ.length <= ackQLen,
  properties: {
    // The cfg's INVARIANT.
    ABTypeInv: always((s: ABState, { data }: { data: number }) => {
      const ds = dataValues(data);
      return (
        s.msgQ.every((m) => m.length === 2 && isBit(m[0]) && ds.includes(m[1])) &&
        s.ackQ.every(isBit) &&
        isBit(s.sBit) &&
        isBit(s.sAck) &&
        isBit(s.rBit) &&
        ds.includes(s.sent) &&
        ds.includes(s.rcvd)
      );
    }),
    // The projection onto <<sBit, sAck, rBit, sent, rcvd>> is a reachable state of
    // ABCorrectness's ABCSpec (which AB refines; TLC checks that as PROPERTY ABCSpec). Those
    // states are exactly: the sender never holds an ack for a bit the receiver has not
    // taken, and while the receiver holds the current bit unacknowledged it holds `sent`.
    ABCReachable: always((s: ABState) => {
      if (s.sAck === s.sBit && s.rBit !== s.sBit)
        return { holds: false, explanation: `sAck = sBit = ${s.sBit} but the receiver's bit is ${s.rBit}` };
      if (s.rBit === s.sBit && s.sAck !== s.sBit && s.rcvd !== s.sent)
        return { holds: false, explanation: `the receiver took bit ${s.rBit} with ${s.rcvd}, but ${s.sent} was sent with it` };
      return true;
    }),
  },
  formatAction: (name, args) => (args.length ? `${name}(${name === "SndNewValue" ? args[0] : `position ${Number(args[0]) + 1}`})` : name),
});
