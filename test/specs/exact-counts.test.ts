// Exact state counts of the reference specs, as TLC and SPIN report them
// (../shared/reference/README.md; TwoPhase rms=3 = 288 is also Stateright's and TLC's
// tlaplus/Examples figure).
import { describe, expect, it } from "vitest";
import { explore } from "../../checker/index.ts";
import raft from "../../specs/raft-election.ts";
import twoPhase from "../../specs/two-phase-commit.ts";

describe("TwoPhase (TwoPhase.tla)", () => {
  it.each([
    [3, 288, 1146],
    [4, 1568, 8258],
    [5, 8832, 58146],
    [6, 50816, 402306],
  ])("rms=%i: %i distinct, %i generated", (rms, distinct, generated) => {
    const r = explore(twoPhase, { params: { rms } });
    expect(r.status).toBe("ok");
    expect(r.distinctStates).toBe(distinct);
    expect(r.generatedStates).toBe(generated);
  });

  it("the seeded bug breaks TCConsistent with a shortest trace", () => {
    const r = explore(twoPhase, { params: { bug: "commitWithoutVotes" } });
    expect(r.status).toBe("violation");
    expect(r.violation?.property).toBe("TCConsistent");
    // By hand: an RM aborts on its own, the TM commits without votes, another RM receives
    // Commit: three steps, and no shorter path has both outcomes.
    if (!r.violation || !("trace" in r.violation)) throw new Error("no trace");
    expect(r.violation.trace.slice(1).map((s) => s.action).sort()).toEqual(["RMChooseToAbort", "RMRcvCommitMsg", "TMCommit"]);
    expect(r.violation.trace.length - 1).toBe(3);
  });
});

describe("RaftElection (../shared/reference/RaftElection.tla)", () => {
  it.each([
    [2, 1, 20, 39],
    [2, 2, 513, 1685],
    [2, 3, 12934, 57673],
    [3, 1, 1393, 7369],
  ])("servers=%i maxTerm=%i: %i distinct, %i generated", (servers, maxTerm, distinct, generated) => {
    const r = explore(raft, { params: { servers, maxTerm } });
    expect(r.status).toBe("ok");
    expect(r.distinctStates).toBe(distinct);
    expect(r.generatedStates).toBe(generated);
    expect(Object.keys(r.examples)).toContain("LeaderElected");
  });

  it("bug=doubleVote: the shortest counterexample has two leaders in one term", () => {
    const r = explore(raft, { params: { bug: "doubleVote" } });
    expect(r.status).toBe("violation");
    const v = r.violation!;
    if (!("trace" in v)) throw new Error("no trace");
    const last = v.trace[v.trace.length - 1].state as { state: string[]; currentTerm: number[] };
    const leaders = last.state.flatMap((s, i) => (s === "Leader" ? [i] : []));
    expect(leaders.length).toBe(2);
    expect(last.currentTerm[leaders[0]]).toBe(last.currentTerm[leaders[1]]);
    // By hand: each of the two leaders needs Timeout, RequestVote, the voter's HandleRVReq,
    // HandleRVGrant and BecomeLeader (one other vote makes a majority of 3): 10 steps.
    expect(v.trace.length - 1).toBe(10);
  });
});
