/**
 * Two-phase commit with a coordinator crash: specs/two-phase-commit.ts (Lamport's
 * TwoPhase.tla) unchanged, plus `TMCrash`, after which the transaction manager takes no
 * step. A separate file, so that the pinned counts of the exact port stay as they are.
 *
 * `bivalence` shows the blocking that makes 2PC a blocking protocol: once the TM has crashed
 * with an RM prepared and no decision sent, that RM can never decide (it may not abort on its
 * own after voting, and nobody else knows the outcome). Processes: the RMs, then the TM;
 * decisions: "commit" / "abort".
 */
import { always, defineSpec, range, type ActionDef, type ParamValues } from "dscheck";
import { defineConsensus } from "dscheck";
import twoPhase, { type TwoPhaseState } from "./two-phase-commit.ts";

export interface CrashState extends TwoPhaseState {
  readonly tmCrashed: boolean;
}

const tmActions = new Set(["TMCommit", "TMAbort", "TMRcvPrepared"]);

type Action = ActionDef<CrashState, ParamValues<typeof twoPhase.params>, readonly unknown[]>;

const spec = defineSpec({
  name: "TwoPhaseCrash",
  memoize: true,
  params: twoPhase.params,
  description: "two-phase commit whose transaction manager may crash",
  init: (p) => twoPhase.init(p).map((s): CrashState => ({ ...s, tmCrashed: false })),
  actions: [
    ...twoPhase.actions.map((a): Action =>
      tmActions.has(a.name)
        ? { ...(a as unknown as Action), update: (s, args, p) => (s.tmCrashed ? null : a.update!(s, args, p)) }
        : (a as unknown as Action),
    ),
    { name: "TMCrash", update: (s: CrashState) => (s.tmCrashed ? null : { tmCrashed: true }) } as Action,
  ],
  // The port's CanCommit example is not the point here (and holds anyway); keep its invariants.
  properties: {
    TCConsistent: always((s: CrashState, p) => twoPhase.properties.TCConsistent.check(s, p)),
    TypeOK: always((s: CrashState, p) => twoPhase.properties.TypeOK.check(s, p)),
  },
  deadlockIsError: false,
  formatAction: (name, args) => (args.length ? `${name}(rm ${args[0]})` : name),
});
export default spec;

export const consensus = defineConsensus<CrashState>({
  processes: ({ rms }) => [...range(rms).map((r) => `rm${r}`), "TM"],
  values: () => ["commit", "abort"],
  decision: (s) => [
    ...s.rmState.map((r) => (r === "committed" ? "commit" : r === "aborted" ? "abort" : null)),
    s.tmState === "committed" ? "commit" : s.tmState === "aborted" ? "abort" : null,
  ],
  process: (name, args, { rms }) => (tmActions.has(name) ? rms : (args[0] as number)),
  faultActions: ["TMCrash"],
  crashed: (s) => [...s.rmState.map(() => false), s.tmCrashed],
  failure: { model: "crash-stop", maxFaulty: 1 },
});
