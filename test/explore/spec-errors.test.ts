// A spec is trusted code but may be wrong: faults come back as "error" results naming the
// action, the state and the path that reached it.
import { describe, expect, it } from "vitest";
import { always, defineSpec, explore } from "../../checker/index.ts";

type S = { n: number };
function counterSpec(next: (s: S) => unknown) {
  return defineSpec({
    name: "Counter",
    params: {},
    init: () => [{ n: 0 }],
    actions: [
      { name: "Inc", next: (s: S) => (s.n < 5 ? { n: s.n + 1 } : null) },
      { name: "Faulty", next: (s: S) => next(s) as S | null },
    ],
    properties: { Small: always((s: S) => s.n < 100) },
    deadlockIsError: false,
  });
}

describe("spec faults", () => {
  it("an action that throws", () => {
    const r = explore(counterSpec((s) => { if (s.n === 3) throw new Error("boom"); return null; }));
    expect(r.status).toBe("error");
    expect(r.error?.kind).toBe("action-threw");
    expect(r.error?.action).toBe("Faulty");
    expect(r.error?.state).toEqual({ n: 3 });
    expect(r.error?.path).toEqual([0, 0, 0, 0]);
    expect(r.error?.message).toContain("boom");
  });

  it("an action that returns a malformed state", () => {
    const r = explore(counterSpec((s) => (s.n === 2 ? { n: undefined } : null)));
    expect(r.status).toBe("error");
    expect(r.error?.kind).toBe("malformed-state");
    expect(r.error?.action).toBe("Faulty");
    expect(r.error?.message).toMatch(/state\.n is undefined/);
    expect(r.error?.state).toEqual({ n: 2 });
  });

  it("an action that is not deterministic", () => {
    let calls = 0;
    const r = explore(counterSpec((s) => (s.n === 1 ? { n: 10 + (calls++ % 2) } : null)));
    expect(r.status).toBe("error");
    expect(r.error?.kind).toBe("nondeterministic");
    expect(r.error?.action).toBe("Faulty");
    expect(r.error?.state).toEqual({ n: 1 });
  });

  it("an action that mutates its input state", () => {
    const r = explore(counterSpec((s) => { if (s.n === 4) { (s as { n: number }).n = 42; } return null; }));
    expect(r.status).toBe("error");
    expect(r.error?.kind).toBe("mutated-state");
  });

  it("a property that throws", () => {
    const spec = defineSpec({
      name: "P", params: {}, init: () => [{ n: 0 }],
      actions: [{ name: "Inc", next: (s: S) => (s.n < 3 ? { n: s.n + 1 } : null) }],
      properties: { Bad: always((s: S) => { if (s.n === 2) throw new Error("oops"); return true; }) },
      deadlockIsError: false,
    });
    const r = explore(spec);
    expect(r.status).toBe("error");
    expect(r.error?.kind).toBe("property-threw");
    expect(r.error?.property).toBe("Bad");
  });

  it("deadlock is reported by default and can be switched off", () => {
    const spec = defineSpec({
      name: "D", params: {}, init: () => [{ n: 0 }],
      actions: [{ name: "Inc", next: (s: S) => (s.n < 3 ? { n: s.n + 1 } : null) }],
      properties: {},
    });
    const r = explore(spec);
    expect(r.status).toBe("violation");
    expect(r.violation?.property).toBe("Deadlock");
    expect(r.violation && "path" in r.violation ? r.violation.path : []).toEqual([0, 0, 0, 0]);
    expect(explore(spec, { checkDeadlock: false }).status).toBe("ok");
  });

  it("a sometimes-property with no example is a failure", () => {
    const spec = defineSpec({
      name: "V", params: {}, init: () => [{ n: 0 }],
      actions: [{ name: "Inc", next: (s: S) => (s.n < 3 ? { n: s.n + 1 } : null) }],
      properties: { ReachesTen: { kind: "sometimes", check: (s: S) => s.n === 10 } },
      deadlockIsError: false,
    });
    const r = explore(spec);
    expect(r.status).toBe("violation");
    expect(r.violation?.property).toBe("ReachesTen");
  });

  it("budgets stop the search as incomplete, never ok", () => {
    const spec = defineSpec({
      name: "Big", params: {}, init: () => [{ n: 0 }],
      actions: [{ name: "Inc", next: (s: S) => (s.n < 1e6 ? { n: s.n + 1 } : null) }],
      properties: {},
      deadlockIsError: false,
    });
    const r = explore(spec, { maxStates: 5000 });
    expect(r.status).toBe("incomplete");
    expect(r.exhaustive).toBe(false);
    let t = 0;
    const timed = explore(spec, { timeLimitMs: 10, now: () => (t += 1) });
    expect(timed.status).toBe("incomplete");
    expect(timed.incompleteReason).toMatch(/time limit/);
  });
});
