// Blame: properties written as named conjuncts (`all`), each conjunct's status and the state
// fields it read in a counterexample's last state, and every property's status at every step.
// Oracles: the spec's own conjuncts evaluated directly, paths read back from the state by an
// independent evaluator, and (fast-check) conjuncts that declare the fields they read.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { all, blameOf, explore, isConjunction, resolveParams } from "../../checker/index.ts";
import raft, { type RaftElectionState } from "../../specs/raft-election.ts";
import twoPhase from "../../specs/two-phase-commit.ts";
import { reportsFromResult } from "../../report/from-result.ts";
import { renderMarkdown } from "../../report/render/markdown.ts";
import { fixture } from "./fixtures.ts";

/** The value at a path such as `a.b[2]` (the paths blame reports). */
function at(state: unknown, path: string): unknown {
  let v: unknown = state;
  for (const part of path.match(/[^.[\]]+/g) ?? []) v = (v as Record<string, unknown>)[part];
  return v;
}

describe("raft-election with bug=doubleVote", () => {
  const r = explore(raft, { params: { bug: "doubleVote" } });
  const v = r.violation!;
  if (!("trace" in v)) throw new Error("no trace");
  const last = v.trace[v.trace.length - 1].state as RaftElectionState;
  const params = resolveParams(raft.params, { bug: "doubleVote" }) as Parameters<typeof raft.init>[0];
  const check = raft.properties.ElectionSafety.check;

  it("names the failing conjunct and the values it read, as the spec's own conjuncts say", () => {
    expect(isConjunction(check)).toBe(true);
    const conjuncts = (check as unknown as { conjuncts: Record<string, (s: unknown, p: unknown) => unknown> }).conjuncts;
    expect(v.blame!.map((c) => c.name)).toEqual(Object.keys(conjuncts));
    for (const c of v.blame!) {
      const direct = conjuncts[c.name](last, params);
      expect(c.holds).toBe(direct === true || (typeof direct === "object" && (direct as { holds: boolean }).holds));
      for (const [path, value] of Object.entries(c.reads)) expect(value, path).toEqual(at(last, path));
    }
    const failing = v.blame!.filter((c) => !c.holds);
    expect(failing.map((c) => c.name)).toEqual(["oneLeaderPerTerm"]);
    // The two leaders of one term, found here from the state itself: the conjunct read their roles and terms.
    const leaders = last.state.flatMap((s, i) => (s === "Leader" ? [i] : []));
    expect(leaders).toHaveLength(2);
    const reads = failing[0].reads;
    for (const i of leaders) {
      expect(reads[`state[${i}]`]).toBe("Leader");
      expect(reads[`currentTerm[${i}]`]).toBe(last.currentTerm[leaders[0]]);
    }
  });

  it("every step carries every property's status, equal to evaluating the property there", () => {
    for (const step of v.trace) {
      for (const [name, p] of Object.entries(raft.properties)) {
        const direct = p.check(step.state as RaftElectionState, params);
        expect(step.properties![name], name).toBe(direct === true || (typeof direct === "object" && direct.holds));
      }
    }
  });

  it("the explore JSON, the report and its Markdown carry the blame", () => {
    const j = fixture("explore-raft-doublevote").json as { violation: { blame: { name: string; holds: boolean; reads: Record<string, unknown> }[] } };
    expect(j.violation.blame.map((c) => [c.name, c.holds])).toEqual(v.blame!.map((c) => [c.name, c.holds]));
    const [report] = reportsFromResult(j);
    const md = renderMarkdown(report);
    expect(md).toMatch(/\| oneLeaderPerTerm \| \*\*fails\*\* \| state\\\[\d\\\] = "Leader"/);
  });

  it("a property not written with all() has no blame; statuses still come with every step", () => {
    const t = explore(twoPhase, { params: { bug: "commitWithoutVotes" } });
    const tv = t.violation!;
    if (!("trace" in tv)) throw new Error("no trace");
    expect(tv.blame).toBeUndefined();
    expect(tv.trace.every((s) => Object.keys(s.properties!).sort().join() === Object.keys(twoPhase.properties).sort().join())).toBe(true);
  });
});

describe("all() and blameOf", () => {
  // A state of numeric fields and arrays; a conjunct reads some (field, index?) leaves and compares their sum.
  const field = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 4 }));
  const state = fc.record({ a: field, b: field, c: field, d: field });
  const access = fc.record({ key: fc.constantFrom("a", "b", "c", "d"), index: fc.nat({ max: 3 }) });
  const conjunct = fc.record({ reads: fc.array(access, { minLength: 1, maxLength: 4 }), threshold: fc.integer({ min: -6, max: 6 }) });

  /** The leaf a read touches in `s`: an element of an array field (clamped), or the number. */
  const leaf = (s: Record<string, unknown>, a: { key: string; index: number }) => {
    const f = s[a.key];
    return Array.isArray(f) ? { path: `${a.key}[${a.index % f.length}]`, value: f[a.index % f.length] as number } : { path: a.key, value: f as number };
  };
  const read = (s: Record<string, unknown>, a: { key: string; index: number }) => {
    const f = s[a.key];
    return Array.isArray(f) ? (f[a.index % f.length] as number) : (f as number);
  };

  it("all() holds exactly when every conjunct does; blame reads exactly the leaves each conjunct touched, with their values", () => {
    fc.assert(
      fc.property(state, fc.array(conjunct, { minLength: 1, maxLength: 4 }), (s, cs) => {
        const fns = Object.fromEntries(cs.map((c, i) => [`c${i}`, (x: Record<string, unknown>) => c.reads.reduce((t, a) => t + read(x, a), 0) > c.threshold]));
        const holds = cs.map((c) => c.reads.reduce((t, a) => t + leaf(s, a).value, 0) > c.threshold);
        const check = all(fns);
        const r = check(Object.freeze(s), {});
        expect(r === true).toBe(holds.every(Boolean));
        if (r !== true) expect(r).toEqual({ holds: false, explanation: `c${holds.indexOf(false)} fails` });
        const blame = blameOf(check, Object.freeze(s), {})!;
        expect(blame.map((b) => b.holds)).toEqual(holds);
        blame.forEach((b, i) => {
          const expected = Object.fromEntries(cs[i].reads.map((a) => [leaf(s, a).path, leaf(s, a).value]));
          expect(b.reads).toEqual(expected);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("a conjunct that throws fails with the error; a plain check has no blame; ValueSet fields are read whole", () => {
    const check = all({ ok: () => true, boom: () => { throw new Error("no"); } });
    expect(blameOf(check, {}, {})).toEqual([{ name: "ok", holds: true, reads: {} }, { name: "boom", holds: false, explanation: "threw: no", reads: {} }]);
    expect(blameOf(() => true, {}, {})).toBeUndefined();
    const s = raft.init(resolveParams(raft.params, {}) as Parameters<typeof raft.init>[0])[0];
    const b = blameOf(all({ votes: (x: RaftElectionState) => x.votesGranted[1].size === 0 }), s, {})!;
    expect(b[0].reads).toEqual({ "votesGranted[1]": s.votesGranted[1] });
  });
});
