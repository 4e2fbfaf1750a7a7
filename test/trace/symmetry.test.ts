// Symmetry in trace validation (mapping.symmetry, TwoPhase's rmsByRole). Oracles: brute
// force over every renaming of the RMs (the representative is one of them and the same for
// all; every action commutes with renaming, so TwoPhase is symmetric); the same traces
// validated without the reduction (same verdict, rejected line and matched count, on
// random runs logged as events only, with a line that names an RM now and then, which ends
// the reduction, and corrupted lines); and the witness replayed by the explorer, whose
// actions must be the trace's events one for one. A "symmetry" that is not one never
// yields a valid verdict.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundSpec, TraceValidator, ValueSet, type TraceLine } from "../../checker/index.ts";
import { replayStates } from "../../checker/explore/replay/trace.ts";
import { canonicalCode } from "../../checker/values/value.ts";
import twoPhase, { type TwoPhaseState } from "../../specs/two-phase-commit.ts";

const key = (s: unknown) => Array.from(canonicalCode(s)).join(",");
const symmetry = twoPhase.trace!.symmetry!;

function permute(s: TwoPhaseState, to: readonly number[]): TwoPhaseState {
  const rmState = [...s.rmState];
  s.rmState.forEach((r, i) => (rmState[to[i]] = r));
  return {
    rmState,
    tmState: s.tmState,
    tmPrepared: ValueSet.from([...s.tmPrepared].map((rm) => to[rm])),
    msgs: ValueSet.from([...s.msgs].map((m) => (m.type === "Prepared" ? { type: "Prepared" as const, rm: to[m.rm] } : m))),
  };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** The states of a random run (choice per step among all successors). */
function run(model: BoundSpec, choices: readonly number[]): { states: unknown[]; actions: number[]; args: (readonly unknown[])[] } {
  let state = model.initialStates()[0];
  const states = [state], actions: number[] = [], args: (readonly unknown[])[] = [];
  for (const c of choices) {
    const succ: { s: unknown; a: number; args: readonly unknown[] }[] = [];
    for (let a = 0; a < model.actionCount; a++) {
      const lists = model.instancesOf(a, state);
      model.actionSuccessors(a, state, 0, (k, t) => succ.push({ s: t, a, args: lists[k] }));
    }
    const pick = succ[c % succ.length];
    state = pick.s;
    states.push(state);
    actions.push(pick.a);
    args.push(pick.args);
  }
  return { states, actions, args };
}

describe("TwoPhase's symmetry", () => {
  const model = new BoundSpec(twoPhase as never, { rms: 4 });
  const all = permutations(4);
  it("the representative is a renaming of the state and the same for every renaming (brute force, 4 RMs)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 25 }), (choices) => {
        for (const s of run(model, choices).states as TwoPhaseState[]) {
          const rep = key(symmetry(s, model.params as never, undefined));
          const orbit = new Set(all.map((p) => key(permute(s, p))));
          expect(orbit.has(rep)).toBe(true);
          for (const p of all) expect(key(symmetry(permute(s, p), model.params as never, undefined))).toBe(rep);
        }
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it("every action commutes with renaming the RMs (the spec is symmetric)", () => {
    const successors = (s: unknown) => {
      const out = new Set<string>();
      for (let a = 0; a < model.actionCount; a++) model.actionSuccessors(a, s, 0, (_k, t) => out.add(`${model.actionNames[a]} ${key(t)}`));
      return out;
    };
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 20 }), fc.constantFrom(...all), (choices, p) => {
        for (const s of run(model, choices).states as TwoPhaseState[]) {
          const renamedThenStepped = successors(permute(s, p));
          const steppedThenRenamed = new Set([...successors(s)].map((x) => x));
          const mapped = new Set<string>();
          for (let a = 0; a < model.actionCount; a++) model.actionSuccessors(a, s, 0, (_k, t) => mapped.add(`${model.actionNames[a]} ${key(permute(t as TwoPhaseState, p))}`));
          expect(renamedThenStepped).toEqual(mapped);
          expect(steppedThenRenamed.size).toBe(mapped.size);
        }
      }),
      { numRuns: 60, seed: 6 },
    );
  });
});

describe("validation with the symmetry decides as validation without it", () => {
  const RMS = 5;
  const model = new BoundSpec(twoPhase as never, { rms: RMS });
  const names = Array.from({ length: RMS }, (_, i) => `rm-${i}`);
  const line = (event: string, i: number, args: readonly unknown[] = []): TraceLine => ({ event, eventArgs: args, vars: new Map(), raw: {}, where: `gen:${i + 1}` });

  it("random runs logged as events (now and then with the RM named), some lines wrong: same verdicts; witnesses replay to the events", () => {
    let reducedValid = 0, rejected = 0;
    fc.assert(
      fc.property(
        fc.array(fc.nat(60), { minLength: 5, maxLength: 40 }),
        fc.option(fc.nat(39), { freq: 2 }),
        fc.option(fc.record({ at: fc.nat(39), to: fc.nat(6) }), { freq: 3 }),
        fc.constantFrom(1, 4, 64),
        (choices, named, wrong, reduceFrom) => {
          const r = run(model, choices);
          const lines = r.actions.map((a, i) => {
            const event = wrong?.at === i ? model.actionNames[wrong.to] : model.actionNames[a];
            return line(event, i, named === i && r.args[i].length ? [names[r.args[i][0] as number]] : []);
          });
          const check = (from: number) => {
            const v = new TraceValidator(twoPhase as never, { params: { rms: RMS }, reduceFrom: from });
            for (const l of lines) {
              v.push(l);
              if (v.done) break;
            }
            return v.finish();
          };
          const got = check(reduceFrom), want = check(Infinity);
          expect(got.status).toBe(want.status);
          expect(got.matched).toBe(want.matched);
          expect(got.rejection?.line).toBe(want.rejection?.line);
          expect(got.rejection?.where).toBe(want.rejection?.where);
          expect(got.rejection?.of).toBe(want.rejection?.of);
          if (got.status === "valid") {
            // The witness is a real behaviour: replayed, its actions are the trace's events.
            const states = replayStates(model, got.path!);
            expect(states.length).toBe(lines.length + 1);
            let s = states[0];
            got.path!.slice(1).forEach((index, i) => {
              let base = 0, action = -1;
              for (let a = 0; a < model.actionCount && action < 0; a++) {
                const n = model.instancesOf(a, s).length;
                if (index < base + n) action = a;
                else base += n;
              }
              expect(model.actionNames[action]).toBe(lines[i].event);
              s = states[i + 1];
            });
            if (got.peakCandidates < want.peakCandidates) reducedValid++;
          } else if (got.status === "rejected") rejected++;
        },
      ),
      { numRuns: 300, seed: 20261204 },
    );
    expect(reducedValid).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(30);
  });

  it("a function that is not a symmetry never changes a verdict: rejections are confirmed without it, witnesses must be real", () => {
    const init = model.initialStates()[0];
    const bogus = { ...twoPhase, trace: { ...twoPhase.trace!, symmetry: () => init as TwoPhaseState } };
    const validate = (events: string[], spec: typeof twoPhase) => {
      const v = new TraceValidator(spec as never, { params: { rms: RMS }, reduceFrom: 1 });
      events.forEach((e, i) => v.push(line(e, i)));
      return v.finish();
    };
    // Everything looks like the initial state: the representatives reject the TMRcvPrepared
    // lines; the real states take them.
    const valid = ["RMPrepare", "RMPrepare", "TMRcvPrepared", "TMRcvPrepared", "RMPrepare"];
    expect(validate(valid, bogus).status).toBe("valid");
    // The representatives take a sixth RMPrepare with five RMs; no real state can.
    const six = Array.from({ length: RMS + 1 }, () => "RMPrepare");
    expect(validate(six, twoPhase).status).toBe("rejected");
    const r = validate(six, bogus);
    expect(r.status).toBe("error");
    expect(r.error!.message).toMatch(/not a symmetry of the spec/);
  });
});
