/**
 * Three-phase commit (Skeen, "Nonblocking Commit Protocols", SIGMOD 1981; Bernstein,
 * Hadzilacos, Goodman, "Concurrency Control and Recovery in Database Systems", ch. 7) with
 * its termination protocol. A coordinator collects votes, sends PreCommit when all voted
 * yes, and Commit once every live participant has acknowledged; a participant that voted yes
 * is uncertain until PreCommit. When the coordinator has crashed, the lowest-numbered live
 * participant runs the termination protocol atomically over the live participants' states
 * (the collection round and a perfect failure detector abstracted): some committed or
 * precommitted: commit; else abort. Messages form a set (TwoPhase.tla's style).
 *
 * - `failures=crash-stop` (default): at most `f` processes crash for good. Non-blocking:
 *   `bivalence` finds no state where a live participant can no longer decide, and Agreement
 *   holds.
 * - `failures=crash-recover`: participants may also recover with their state (stable
 *   storage), at most `f` down at a time, and run the same termination protocol. Unsafe: a
 *   precommitted participant is down while the others abort, recovers, and its termination
 *   run commits (the rule sees it precommitted): one committed, another aborted.
 */
import { always, defineSpec, range, setAt, ValueSet } from "dscheck";
import { defineConsensus } from "dscheck";

type RM = "working" | "uncertain" | "precommitted" | "committed" | "aborted";
type Msg = { readonly type: "Yes"; readonly rm: number } | { readonly type: "Ack"; readonly rm: number } | { readonly type: "PreCommit" } | { readonly type: "Commit" } | { readonly type: "Abort" };

export interface ThreePCState {
  readonly coord: "init" | "precommit" | "committed" | "aborted";
  readonly coordCrashed: boolean;
  readonly rm: readonly RM[];
  readonly crashed: readonly boolean[];
  readonly msgs: ValueSet<Msg>;
}

const PRECOMMIT: Msg = { type: "PreCommit" }, COMMIT: Msg = { type: "Commit" }, ABORT: Msg = { type: "Abort" };
const undecided = (r: RM) => r === "working" || r === "uncertain" || r === "precommitted";
const down = (s: ThreePCState) => s.crashed.filter(Boolean).length + (s.coordCrashed ? 1 : 0);

const spec = defineSpec({
  name: "ThreePhaseCommit",
  description: "three-phase commit with its termination protocol",
  params: {
    rms: { default: 3, min: 2, max: 5, integer: true, description: "number of participants" },
    f: { default: 2, min: 0, max: 5, integer: true, description: "at most this many processes down (at a time, for crash-recover)" },
    failures: { default: "crash-stop", choices: ["crash-stop", "crash-recover"], description: "failure model" },
  },
  init: ({ rms }) => [{ coord: "init", coordCrashed: false, rm: range(rms).map((): RM => "working"), crashed: range(rms).map(() => false), msgs: ValueSet.empty<Msg>() } as ThreePCState],
  actions: [
    { name: "VoteYes", args: ({ rms }) => range(rms).map((i) => [i] as const), update: (s: ThreePCState, [i]) => (!s.crashed[i] && s.rm[i] === "working" ? { rm: setAt(s.rm, i, "uncertain"), msgs: s.msgs.add({ type: "Yes", rm: i }) } : null) },
    { name: "VoteNo", args: ({ rms }) => range(rms).map((i) => [i] as const), update: (s: ThreePCState, [i]) => (!s.crashed[i] && s.rm[i] === "working" ? { rm: setAt(s.rm, i, "aborted") } : null) },
    {
      name: "CoordPreCommit",
      update: (s: ThreePCState) => (!s.coordCrashed && s.coord === "init" && s.rm.every((_, i) => s.msgs.has({ type: "Yes", rm: i })) ? { coord: "precommit" as const, msgs: s.msgs.add(PRECOMMIT) } : null),
    },
    // The coordinator may abort (a timeout) any time before it precommits.
    { name: "CoordAbort", update: (s: ThreePCState) => (!s.coordCrashed && s.coord === "init" ? { coord: "aborted" as const, msgs: s.msgs.add(ABORT) } : null) },
    {
      // Commit once every live participant has acknowledged (a perfect failure detector, as 3PC assumes).
      name: "CoordCommit",
      update: (s: ThreePCState) => (!s.coordCrashed && s.coord === "precommit" && s.rm.every((_, i) => s.crashed[i] || s.msgs.has({ type: "Ack", rm: i })) ? { coord: "committed" as const, msgs: s.msgs.add(COMMIT) } : null),
    },
    { name: "RcvPreCommit", args: ({ rms }) => range(rms).map((i) => [i] as const), update: (s: ThreePCState, [i]) => (!s.crashed[i] && s.rm[i] === "uncertain" && s.msgs.has(PRECOMMIT) ? { rm: setAt(s.rm, i, "precommitted"), msgs: s.msgs.add({ type: "Ack", rm: i }) } : null) },
    { name: "RcvCommit", args: ({ rms }) => range(rms).map((i) => [i] as const), update: (s: ThreePCState, [i]) => (!s.crashed[i] && s.rm[i] === "precommitted" && s.msgs.has(COMMIT) ? { rm: setAt(s.rm, i, "committed") } : null) },
    { name: "RcvAbort", args: ({ rms }) => range(rms).map((i) => [i] as const), update: (s: ThreePCState, [i]) => (!s.crashed[i] && (s.rm[i] === "working" || s.rm[i] === "uncertain") && s.msgs.has(ABORT) ? { rm: setAt(s.rm, i, "aborted") } : null) },
    {
      name: "Terminate",
      args: ({ rms }) => range(rms).map((i) => [i] as const),
      update: (s: ThreePCState, [i]) => {
        if (!s.coordCrashed || s.crashed[i] || s.crashed.findIndex((c) => !c) !== i) return null;
        const live = s.rm.filter((_, j) => !s.crashed[j]);
        if (!live.some(undecided)) return null;
        const outcome: RM = live.some((r) => r === "committed" || r === "precommitted") ? "committed" : "aborted";
        return { rm: s.rm.map((r, j) => (!s.crashed[j] && undecided(r) ? outcome : r)) };
      },
    },
    { name: "CoordCrash", update: (s: ThreePCState, _a, { f }) => (!s.coordCrashed && down(s) < f ? { coordCrashed: true } : null) },
    { name: "Crash", args: ({ rms }) => range(rms).map((i) => [i] as const), update: (s: ThreePCState, [i], { f }) => (!s.crashed[i] && down(s) < f ? { crashed: setAt(s.crashed, i, true) } : null) },
    { name: "Recover", args: ({ rms }) => range(rms).map((i) => [i] as const), update: (s: ThreePCState, [i], { failures }) => (failures === "crash-recover" && s.crashed[i] ? { crashed: setAt(s.crashed, i, false) } : null) },
  ],
  properties: {
    Consistent: always((s: ThreePCState) => !(s.rm.includes("committed") && s.rm.includes("aborted"))),
  },
  deadlockIsError: false,
  formatAction: (name, args) => (args.length ? `${name}(rm ${args[0]})` : name),
});
export default spec;

export const consensus = defineConsensus<ThreePCState>({
  processes: ({ rms }) => [...range(rms).map((i) => `rm${i}`), "coordinator"],
  values: () => ["commit", "abort"],
  decision: (s) => [...s.rm.map((r) => (r === "committed" ? "commit" : r === "aborted" ? "abort" : null)), s.coord === "committed" ? "commit" : s.coord === "aborted" ? "abort" : null],
  process: (name, args, { rms }) => (name.startsWith("Coord") ? rms : (args[0] as number)),
  faultActions: ["CoordCrash", "Crash", "Recover"],
  crashed: (s) => [...s.crashed, s.coordCrashed],
  failure: ({ failures, f }) => ({ model: failures, maxFaulty: f }),
});
