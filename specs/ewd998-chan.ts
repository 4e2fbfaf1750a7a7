/**
 * Safra's termination detection on a ring (Dijkstra's EWD 998) with message channels: a
 * port, variable for variable and action for action, of EWD998Chan.tla from tlaplus/Examples
 * @ 32a32c7b0b97562da2dd4b2e55b7f81cd6fea2b9, specifications/ewd998/ (with what it uses:
 * SequencesExt's RemoveAt, and the refinement mapping onto EWD998.tla, whose
 * terminationDetected, Termination and Safra's invariant Inv are checked here through it),
 * and a trace mapping that says what EWD998ChanTrace.tla (same commit and folder) says about
 * the implementation's log EWD998ChanTrace.ndjson.
 *
 * Variables: per node, `active`, `color` (white/black) and `counter` (messages sent minus
 * received), and `inbox`, a sequence of messages per node: payload messages {type: "pl"} and
 * the one token {type: "tok", q, color}. Node 0 is the initiator; the token travels from node
 * i to node i-1.
 * - InitiateProbe (rules 1, 6): the token is at node 0 and the last round was inconclusive
 *   (black token, black node 0, or counter[0] + q # 0): a fresh white token with q = 0 goes
 *   to node N-1 and node 0 turns white.
 * - PassToken(i), i > 0 (rules 2, 7): a passive node i forwards the token to node i-1, adding
 *   its counter to q and blackening it if node i is black, and turns white.
 * - SendMsg(i) (rule 0): an active node sends a payload to some other node j (appended to
 *   inbox[j] at once) and increments its counter.
 * - RecvMsg(i) (rules 0, 3): node i takes any payload out of its inbox, decrements its
 *   counter, turns black and becomes active.
 * - Deactivate(i): an active node becomes passive.
 * Indices: TLA+'s 1-based `j` into a sequence is the 0-based `j` of the action arguments here.
 *
 * Init: every counter 0, the token (black, q = 0) alone in the inbox of any one node, every
 * other inbox empty, `active` and `color` arbitrary: N * 4^N initial states.
 *
 * EWD998Chan.cfg: N = 3, CONSTRAINT StateConstraint (fewer than 3 payloads in each inbox, every
 * counter <= 3: the `constraint`, `maxPending`, `maxCounter` params), INVARIANT TypeOK,
 * PROPERTY EWD998Spec (refinement of EWD998), no deadlock check. The refinement is temporal;
 * what it gives per state is checked instead: EWD998's TerminationDetection
 * (terminationDetected => Termination) and Inv, through the refinement mapping (token = the
 * token's position, q and color; pending[n] = the payloads in inbox[n]). The test checks the
 * refinement itself step by step. The manifest has no recorded counts for this cfg. Ours, which
 * two independent oracles (test/specs/ewd998-chan.test.ts) agree with: N = 3, 1,524,022
 * distinct states, 11,906,499 generated, depth 57 (the suite checks smaller bounds).
 *
 * `--param bug=noBlacken` drops rule 3 (RecvMsg leaves the receiver's color alone): a node
 * the token has not visited yet can then receive a payload sent, uncounted, by a node the
 * token has already left, and a round ends white with a node still active, so
 * TerminationDetection fails (8 steps at N = 3).
 *
 * The trace mapping (`trace`, below) reads EWD998ChanTrace.ndjson: see the comment there.
 */
import { always, defineSpec, range, setAt, sometimes, type EventMapping, type ParamValues, type TraceMapping } from "dscheck";

export type Color = "white" | "black";
export interface TokenMsg {
  readonly type: "tok";
  readonly q: number;
  readonly color: Color;
}
export interface BasicMsg {
  readonly type: "pl";
}
export type Message = TokenMsg | BasicMsg;

export interface EWD998ChanState {
  readonly active: readonly boolean[];
  readonly color: readonly Color[];
  readonly counter: readonly number[];
  readonly inbox: readonly (readonly Message[])[];
}

const PL: BasicMsg = { type: "pl" };
const nodeName = (i: number): string => `node${i}`;

const params = {
  N: { default: 3, min: 1, max: 8, integer: true, description: "number of nodes (node 0 initiates)" },
  constraint: { default: true, description: "apply EWD998Chan.cfg's StateConstraint (off for trace validation, whose cfg has none)" },
  maxPending: { default: 2, min: 0, max: 10, integer: true, description: "StateConstraint: at most this many payloads in each inbox (the cfg: < 3)" },
  maxCounter: { default: 3, min: 0, max: 10, integer: true, description: "StateConstraint: counter[i] <= this (the cfg: 3)" },
  traceInit: { default: false, description: "only EWD998ChanTrace's TraceInit states: every node active and white (set by the trace mapping)" },
  bug: { default: "none", choices: ["none", "noBlacken"], description: "seeded bug: noBlacken = RecvMsg forgets rule 3" },
} as const;
export type EWD998ChanParams = ParamValues<typeof params>;

// ---------------------------------------------------------------------------------------
// Sequences and the refinement mapping onto EWD998.

/** SequencesExt's RemoveAt(s, j + 1): s without its element at 0-based position j. */
const removeAt = <T>(s: readonly T[], j: number): readonly T[] => [...s.slice(0, j), ...s.slice(j + 1)];
const append = <T>(s: readonly T[], x: T): readonly T[] => [...s, x];

/** The 0-based positions of the token messages in a sequence. */
function tokenPositions(ibx: readonly Message[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < ibx.length; j++) if (ibx[j].type === "tok") out.push(j);
  return out;
}

/** NumberOfMsg: the payload messages of one inbox. */
export function numberOfMsg(ibx: readonly Message[]): number {
  let n = 0;
  for (const m of ibx) if (m.type === "pl") n++;
  return n;
}

/** EWD998's `token` under the refinement mapping: [pos |-> tpos, q, color], or undefined without a token. */
export function abstractToken(s: EWD998ChanState): { readonly pos: number; readonly q: number; readonly color: Color } | undefined {
  for (let i = 0; i < s.inbox.length; i++) {
    for (const m of s.inbox[i]) if (m.type === "tok") return { pos: i, q: m.q, color: m.color };
  }
  return undefined;
}

/** EWD998's `pending` under the refinement mapping: the in-flight payloads per node. */
export const abstractPending = (s: EWD998ChanState): number[] => s.inbox.map(numberOfMsg);

const sum = (xs: readonly number[], from = 0, to = xs.length - 1): number => {
  let t = 0;
  for (let i = Math.max(from, 0); i <= to && i < xs.length; i++) t += xs[i];
  return t;
};

/** EWD998!terminationDetected: a white token at node 0, q + counter[0] = 0, node 0 white and passive. */
export function terminationDetected(s: EWD998ChanState): boolean {
  const t = abstractToken(s);
  return t !== undefined && t.pos === 0 && t.color === "white" && t.q + s.counter[0] === 0 && s.color[0] === "white" && !s.active[0];
}

/** EWD998!Termination: every node passive and no payload in flight. */
export function termination(s: EWD998ChanState): boolean {
  return s.active.every((a) => !a) && sum(abstractPending(s)) === 0;
}

/** EWD998!Inv, Safra's inductive invariant, through the refinement mapping. */
export function safraInv(s: EWD998ChanState, N: number): boolean {
  const t = abstractToken(s);
  if (t === undefined) return false;
  const P0 = sum(abstractPending(s)) === sum(s.counter);
  const P1 = range(N).every((i) => i <= t.pos || !s.active[i]) && (t.pos === N - 1 ? t.q === 0 : t.q === sum(s.counter, t.pos + 1, N - 1));
  const P2 = sum(s.counter, 0, t.pos) + t.q > 0;
  const P3 = range(t.pos + 1).some((i) => s.color[i] === "black");
  const P4 = t.color === "black";
  return P0 && (P1 || P2 || P3 || P4);
}

const isColor = (c: unknown): boolean => c === "white" || c === "black";

/** TypeOK: the variables' types, and exactly one token in all the inboxes. */
function typeOK(s: EWD998ChanState, N: number): boolean {
  const fn = (xs: readonly unknown[], ok: (x: unknown) => boolean) => Array.isArray(xs) && xs.length === N && xs.every(ok);
  if (!fn(s.counter, (c) => Number.isInteger(c))) return false;
  if (!fn(s.active, (a) => typeof a === "boolean")) return false;
  if (!fn(s.color, isColor)) return false;
  const msgOK = (m: Message) => m.type === "pl" || (m.type === "tok" && Number.isInteger(m.q) && isColor(m.color));
  if (!fn(s.inbox, (b) => Array.isArray(b) && (b as Message[]).every(msgOK))) return false;
  return sum(s.inbox.map((b) => tokenPositions(b).length)) === 1;
}

// ---------------------------------------------------------------------------------------
// Initial states.

function initialStates(p: EWD998ChanParams): EWD998ChanState[] {
  const { N } = p;
  const counter = range(N).map(() => 0);
  const token: TokenMsg = { type: "tok", q: 0, color: "black" };
  // TraceInit fixes active and color; Init lets each be any function of the nodes.
  const patterns = p.traceInit ? [(1 << N) - 1] : range(1 << N);
  const colors = p.traceInit ? [0] : range(1 << N);
  const out: EWD998ChanState[] = [];
  for (let at = 0; at < N; at++) {
    const inbox = range(N).map((i): readonly Message[] => (i === at ? [token] : []));
    for (const a of patterns) {
      for (const c of colors) {
        out.push({
          active: range(N).map((i) => ((a >> i) & 1) === 1),
          color: range(N).map((i): Color => (((c >> i) & 1) === 1 ? "black" : "white")),
          counter,
          inbox,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The trace mapping (EWD998ChanTrace.tla).

type Raw = Readonly<Record<string, unknown>>;
type StepCheck = (before: EWD998ChanState, after: EWD998ChanState, params: EWD998ChanParams, context: undefined, line: Raw) => boolean;

/**
 * What this mapping says beyond checker/trace/mapping.ts as it stands (the validator does not
 * read these three yet; the trace cannot be checked without them):
 * - `causalOrder`: the log was merged from the nodes' logs and is not in causal order (its
 *   third line is node 4 receiving a payload whose send is 80 lines further down); the trace
 *   spec sorts it with VectorClocks' CausalOrder on `pkt.vc`, the clock of node `node`, before
 *   matching. Any linearization of the happened-before order will do.
 * - `eventOf`: which TLA+ predicate a line stands for. The log's event names ("<", ">", "d")
 *   do not decide it: "<" is a payload receive (RecvMsg), a token receive (a stuttering
 *   step) or a "trm" message (a stuttering step), by the message's type.
 * - `where` (on an event): named conditions on the step (state before, state after) beyond
 *   the action and its arguments: the conjuncts of the trace spec's predicates that are about
 *   the states, such as "the receiver's inbox holds a token with the logged q and color".
 */
export type EWD998TraceMapping = TraceMapping<EWD998ChanState, EWD998ChanParams, undefined>;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
/** The line's pkt (an empty record when it has none: "d" lines carry only the clock). */
const pktOf = (line: Raw): Record<string, unknown> => (isRecord(line.pkt) ? line.pkt : {});
const msgOf = (line: Raw): Record<string, unknown> => {
  const m = pktOf(line).msg;
  return isRecord(m) ? m : {};
};
const sndOf = (line: Raw): unknown => pktOf(line).snd;
const rcvOf = (line: Raw): unknown => pktOf(line).rcv;

const sameMsg = (a: Message, b: Message): boolean => a === b || (a.type === b.type && (a.type === "pl" || (a.q === (b as TokenMsg).q && a.color === (b as TokenMsg).color)));
const sameSeq = <T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean => a === b || (a.length === b.length && a.every((x, i) => eq(x, b[i])));
const sameState = (a: EWD998ChanState, b: EWD998ChanState): boolean =>
  sameSeq(a.active, b.active, Object.is) && sameSeq(a.color, b.color, Object.is) && sameSeq(a.counter, b.counter, Object.is) && sameSeq(a.inbox, b.inbox, (x, y) => sameSeq(x, y, sameMsg));

const trace: EWD998TraceMapping = {
  // The first line is {"N": 5}: TraceN, the number of nodes. TraceInit: every node active and
  // white (the implementation starts them so), the token at any node; no state constraint.
  header: 1,
  config: (records) => {
    const withN = records.filter((r) => isRecord(r) && "N" in r) as Record<string, unknown>[];
    const N = withN.length ? withN[withN.length - 1].N : undefined;
    if (typeof N !== "number" || !Number.isInteger(N) || N < 1) throw new Error(`the first line of an EWD998 trace is {"N": <number of nodes>}, not ${JSON.stringify(records[records.length - 1])}`);
    return { params: { N, traceInit: true, constraint: false } };
  },
  // The log records no variable: each line is matched by its event and what its arguments pin
  // down, as in the trace spec. Every line is one step (TLC's level advances one line per
  // step), so no action runs unlogged: no `silent`.
  variables: {},
  causalOrder: { clock: (line) => pktOf(line).vc as Readonly<Record<string, number>> },
  eventOf: (line, event) => {
    // TraceNextConstraint: a line with a "failure" field is never accepted.
    if ("failure" in line) return "Failure";
    const type = msgOf(line).type;
    if (event === "d") return "IsDeactivate";
    if ((event === "<" || event === ">") && type === "trm") return "IsTrm";
    if (event === ">" && type === "tok") return sndOf(line) === 0 ? "IsInitiateToken" : "IsPassToken";
    if (event === "<" && type === "tok") return "IsRecvToken";
    if (event === ">" && type === "pl") return "IsSendMsg";
    if (event === "<" && type === "pl") return "IsRecvMsg";
    return "Unmatched";
  },
  events: {
    // ">" tok from node 0 to node N-1: <<InitiateProbe>>_vars (the token's contents are not
    // compared here; the receiver's "<" line does that).
    IsInitiateToken: {
      actions: ["InitiateProbe"],
      args: (_a, { N }, _c, line) => (rcvOf(line) === N - 1 ? undefined : { reject: `the initiator sends the token to node N-1 = ${N - 1}, not to node ${JSON.stringify(rcvOf(line))}` }),
      // <<A>>_vars: not a stuttering step (only possible at N = 1, where the token stays in inbox[0]).
      where: { changesState: (before, after) => !sameState(before, after) },
    },
    // ">" tok from node snd > 0: <<PassToken(snd)>>_vars (PassToken always moves the token
    // to another inbox, so it never stutters). The logged receiver is not compared.
    IsPassToken: { actions: ["PassToken"], args: (_a, _p, _c, line) => [sndOf(line)] },
    // "<" tok: no action of the spec receives the token (PassToken already put it into the
    // receiver's inbox). Any step, stuttering included, in which the payloads stay where they
    // are, active, counter and color do not change, and the receiver's inbox then holds a
    // token with the logged q and color. Of Next's actions only InitiateProbe and PassToken
    // can (SendMsg and RecvMsg change counter, Deactivate active), and only when the node
    // that forwards the token is already white.
    IsRecvToken: {
      actions: [[], "InitiateProbe", "PassToken"],
      where: {
        payloadsUnchanged: (before, after) => before.inbox.every((b, n) => sameSeq(b.filter((m) => m.type === "pl"), after.inbox[n].filter((m) => m.type === "pl"), sameMsg)),
        nodesUnchanged: (before, after) => sameSeq(before.active, after.active, Object.is) && sameSeq(before.counter, after.counter, Object.is) && sameSeq(before.color, after.color, Object.is),
        tokenAtReceiver: (_b, after, _p, _c, line) => {
          const ibx = after.inbox[rcvOf(line) as number];
          const msg = msgOf(line);
          return ibx !== undefined && ibx.some((m) => m.type === "tok" && m.q === msg.q && m.color === msg.color);
        },
      },
    },
    // ">" pl: <<SendMsg(snd)>>_vars with one more payload in inbox[rcv], i.e. SendMsg(snd, rcv).
    IsSendMsg: { actions: ["SendMsg"], args: (_a, _p, _c, line) => [sndOf(line), rcvOf(line)] },
    // "<" pl: <<RecvMsg(rcv)>>_vars, any payload of inbox[rcv] (they are all alike).
    IsRecvMsg: { actions: ["RecvMsg"], args: (_a, _p, _c, line) => [rcvOf(line)] },
    // "d": <<Deactivate(node)>>_vars.
    IsDeactivate: { actions: ["Deactivate"], args: (_a, _p, _c, line) => [line.node] },
    // "trm" messages (sent and received) are not part of EWD998: a stuttering step, allowed
    // only once every node is passive.
    IsTrm: { actions: [[]], where: { allPassive: (before) => before.active.every((a) => !a) } },
    Failure: { actions: [[]], args: (_a, _p, _c, line) => ({ reject: `the implementation logged a failure: ${JSON.stringify(line.failure)}` }) },
    Unmatched: {
      actions: [[]],
      args: (_a, _p, _c, line) => ({ reject: `no predicate of EWD998ChanTrace's TraceNextConstraint takes event ${JSON.stringify(line.event)} with a message of type ${JSON.stringify(msgOf(line).type)}` }),
    },
  },
};

// ---------------------------------------------------------------------------------------

export default defineSpec({
  name: "EWD998Chan",
  description: "Safra's termination detection on a ring with message channels (EWD998Chan.tla)",
  memoize: true,
  params,
  init: (p) => initialStates(p),
  actions: [
    {
      // \E j \in 1..Len(inbox[0]) : inbox[0][j].type = "tok" /\ (inconclusive) /\ ...
      name: "InitiateProbe",
      argsFrom: (s: EWD998ChanState) => tokenPositions(s.inbox[0]).map((j) => [j] as const),
      guards: {
        roundInconclusive: (s: EWD998ChanState, [j]: readonly [number]) => {
          const tok = s.inbox[0][j] as TokenMsg;
          return tok.color === "black" || s.color[0] === "black" || s.counter[0] + tok.q !== 0;
        },
      },
      // [inbox EXCEPT ![N-1] = Append(@, token), ![0] = RemoveAt(@, j)]: the two updates in
      // that order (at N = 1 both are to inbox[0]: the old token goes, the new one stays).
      update: (s: EWD998ChanState, [j]: readonly [number], { N }) => {
        const withNew = setAt(s.inbox, N - 1, append(s.inbox[N - 1], { type: "tok", q: 0, color: "white" } as Message));
        return { inbox: setAt(withNew, 0, removeAt(withNew[0], j)), color: setAt(s.color, 0, "white") };
      },
    },
    {
      name: "PassToken",
      // PassToken(i) for i \in Node \ {0}, one instance per token position j in inbox[i].
      argsFrom: (s: EWD998ChanState, { N }) => {
        const out: (readonly [number, number])[] = [];
        for (let i = 1; i < N; i++) for (const j of tokenPositions(s.inbox[i])) out.push([i, j]);
        return out;
      },
      guards: { passive: (s: EWD998ChanState, [i]: readonly [number, number]) => !s.active[i] },
      update: (s: EWD998ChanState, [i, j]: readonly [number, number]) => {
        const tkn = s.inbox[i][j] as TokenMsg;
        const passed: TokenMsg = { type: "tok", q: tkn.q + s.counter[i], color: s.color[i] === "black" ? "black" : tkn.color };
        const withNew = setAt(s.inbox, i - 1, append(s.inbox[i - 1], passed as Message));
        return { inbox: setAt(withNew, i, removeAt(withNew[i], j)), color: setAt(s.color, i, "white") };
      },
    },
    {
      // SendMsg(i) with its receiver j \in Node \ {i}.
      name: "SendMsg",
      args: ({ N }) => range(N).flatMap((i) => range(N).filter((j) => j !== i).map((j) => [i, j] as const)),
      guards: { active: (s: EWD998ChanState, [i]: readonly [number, number]) => s.active[i] },
      update: (s: EWD998ChanState, [i, j]: readonly [number, number]) => ({
        counter: setAt(s.counter, i, s.counter[i] + 1),
        inbox: setAt(s.inbox, j, append(s.inbox[j], PL as Message)),
      }),
    },
    {
      // RecvMsg(i), one instance per payload position j in inbox[i].
      name: "RecvMsg",
      argsFrom: (s: EWD998ChanState, { N }) => {
        const out: (readonly [number, number])[] = [];
        for (let i = 0; i < N; i++) s.inbox[i].forEach((m, j) => m.type === "pl" && out.push([i, j]));
        return out;
      },
      update: (s: EWD998ChanState, [i, j]: readonly [number, number], { bug }) => ({
        counter: setAt(s.counter, i, s.counter[i] - 1),
        color: bug === "noBlacken" ? s.color : setAt(s.color, i, "black"),
        active: setAt(s.active, i, true),
        inbox: setAt(s.inbox, i, removeAt(s.inbox[i], j)),
      }),
    },
    {
      name: "Deactivate",
      args: ({ N }) => range(N).map((i) => [i] as const),
      guards: { active: (s: EWD998ChanState, [i]: readonly [number]) => s.active[i] },
      update: (s: EWD998ChanState, [i]: readonly [number]) => ({ active: setAt(s.active, i, false) }),
    },
  ],
  constraint: (s: EWD998ChanState, p) => !p.constraint || (s.inbox.every((b) => numberOfMsg(b) <= p.maxPending) && s.counter.every((c) => c <= p.maxCounter)),
  properties: {
    TypeOK: always((s: EWD998ChanState, p: EWD998ChanParams) => typeOK(s, p.N)),
    TerminationDetection: always((s: EWD998ChanState) =>
      !terminationDetected(s) || termination(s) ? true : { holds: false, explanation: `termination detected at node 0, but ${s.active.some((a) => a) ? `node(s) ${range(s.active.length).filter((i) => s.active[i]).join(", ")} still active` : "payloads still in flight"}` },
    ),
    Inv: always((s: EWD998ChanState, p: EWD998ChanParams) => safraInv(s, p.N)),
    // Not vacuous: some round does conclude.
    TerminationDetected: sometimes((s: EWD998ChanState) => terminationDetected(s)),
  },
  deadlockIsError: false,
  // Runs as event logs for `dscheck cuts` (`explore --event-log`): payloads are messages (a
  // receive takes one sent to the node; they are all alike), the token's moves are internal
  // events (a control message, which termination does not wait for), and every event carries
  // the node's activity after it, so `cuts --stable termination` can be asked of a run. The
  // log format has no initial state: a node passive from the start counts as active until
  // its first event.
  events: {
    processes: ({ N }) => range(N).map(nodeName),
    of: ({ action, args, after }) => {
      const [i, j] = args as readonly number[];
      const state = (n: number): "active" | "passive" => (after.active[n] ? "active" : "passive");
      switch (action) {
        case "SendMsg":
          return [{ process: nodeName(i), kind: "send", msg: `pl to ${nodeName(j)}`, to: nodeName(j), state: state(i) }];
        case "RecvMsg":
          return [{ process: nodeName(i), kind: "receive", msg: `pl to ${nodeName(i)}`, state: state(i) }];
        case "Deactivate":
          return [{ process: nodeName(i), kind: "internal", state: state(i) }];
        case "InitiateProbe":
          return [{ process: nodeName(0), kind: "internal", label: `InitiateProbe (the token to ${nodeName(after.inbox.length - 1)})`, state: state(0) }];
        default:
          return [{ process: nodeName(i), kind: "internal", label: `PassToken (the token to ${nodeName(i - 1)})`, state: state(i) }];
      }
    },
  },
  trace,
  formatAction: (name, args) => {
    switch (name) {
      case "InitiateProbe":
        return `InitiateProbe(token at ${args[0]} in inbox[0])`;
      case "PassToken":
        return `PassToken(node ${args[0]}, token at ${args[1]})`;
      case "SendMsg":
        return `SendMsg(node ${args[0]} to node ${args[1]})`;
      case "RecvMsg":
        return `RecvMsg(node ${args[0]}, payload at ${args[1]})`;
      default:
        return `${name}(node ${args[0]})`;
    }
  },
});
