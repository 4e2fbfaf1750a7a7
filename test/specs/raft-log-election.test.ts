// Raft election with logs and the election restriction (specs/raft-log-election.ts). There is
// no TLC/SPIN reference for this model; the counts are checked against an independent oracle,
// test/support/brute-force-reach.ts (a plain BFS over its own canonical strings, sharing no
// code with the explorer or the value encoding), which confirmed the pinned numbers.
import { describe, expect, it } from "vitest";
import { explore } from "../../checker/index.ts";
import spec, { type RaftLogElectionState } from "../../specs/raft-log-election.ts";
import { bruteForceReach } from "../support/brute-force-reach.ts";

function lastState(r: ReturnType<typeof explore>) {
  const v = r.violation;
  if (!v || !("trace" in v)) throw new Error("no trace");
  return { v, trace: v.trace, last: v.trace[v.trace.length - 1].state as RaftLogElectionState };
}

describe("RaftLogElection", () => {
  it.each([
    [3, 2, 2, 7836, 19909],
    [3, 3, 2, 67539, 215092],
  ])("servers=%i maxTerm=%i maxLogLength=%i: ok, %i distinct, %i generated", (servers, maxTerm, maxLogLength, distinct, generated) => {
    const params = { servers, maxTerm, maxLogLength };
    const oracle = bruteForceReach(spec, params); // about 0.3 s and 2 s
    expect(oracle).toEqual({ distinct, generated });
    const r = explore(spec, { params });
    expect(r.status).toBe("ok");
    expect(r.distinctStates).toBe(oracle.distinct);
    expect(r.generatedStates).toBe(oracle.generated);
    // Not vacuous: a leader is elected and an entry gets committed somewhere.
    expect(Object.keys(r.examples)).toContain("LeaderElected");
    expect(Object.keys(r.examples)).toContain("EntryCommitted");
  });

  it("bug=noLogCheck: a term-2 leader lacks an entry committed in term 1 (8 steps)", () => {
    const r = explore(spec, { params: { bug: "noLogCheck" } });
    expect(r.status).toBe("violation");
    const { v, trace, last } = lastState(r);
    expect(v.property).toBe("LeaderCompleteness");
    // Checked by hand on the final state: some leader L, some committed [n, t, c] with c below
    // L's term, and L's log has no entry of term t at index n.
    const leaders = last.state.flatMap((role, i) => (role === "Leader" ? [i] : []));
    expect(leaders).toHaveLength(1);
    const L = leaders[0];
    expect(last.currentTerm[L]).toBe(2);
    expect(last.log[L]).toEqual([]);
    expect(last.committed.items).toEqual([[1, 1, 1]]);
    // The entry really is on a majority (2 of 3), and L is the one server without it.
    expect(last.log.filter((l) => l[0] === 1)).toHaveLength(2);
    // Why 8 steps, and none fewer. An entry committed in term 1 needs a term-1 leader
    // (Timeout, one RequestVote for a majority of 3, BecomeLeader) plus ClientRequest and one
    // AppendEntries to a second server: 5 steps, after which two of the three servers hold
    // it. The term-2 leader must be the third server, and its one needed vote must come from a
    // holder: exactly what §5.4.1 forbids, so only noLogCheck lets it through. To time out
    // into term 2 it must already be in term 1, and the cheap way is to be the term-1
    // leader's voter (the vote adopts term 1 and gives no entry); then Timeout, RequestVote,
    // BecomeLeader: 3 more steps. 5 + 3 = 8.
    expect(trace.length - 1).toBe(8);
    expect(trace.slice(1).map((s) => s.action).sort()).toEqual([
      "AppendEntries",
      "BecomeLeader",
      "BecomeLeader",
      "ClientRequest",
      "RequestVote",
      "RequestVote",
      "Timeout",
      "Timeout",
    ]);
  });

  it("bug=doubleVote: two leaders in one term (ElectionSafety)", () => {
    const r = explore(spec, { params: { bug: "doubleVote" } });
    expect(r.status).toBe("violation");
    const { v, trace, last } = lastState(r);
    expect(v.property).toBe("ElectionSafety");
    const leaders = last.state.flatMap((role, i) => (role === "Leader" ? [i] : []));
    expect(leaders).toHaveLength(2);
    expect(last.currentTerm[leaders[0]]).toBe(last.currentTerm[leaders[1]]);
    // Two Timeouts, each candidate's RequestVote to the other (each votes twice), two
    // BecomeLeaders: with atomic RequestVote, 6 steps.
    expect(trace.length - 1).toBe(6);
  });
});
