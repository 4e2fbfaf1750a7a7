// Stable properties on snapshots (--stable termination|deadlock), against brute force on
// generated logs that follow the activity rules: the evaluation on every cut agrees with a
// direct evaluation of the definitions (deadlock by trying every set of processes), and
// wherever a property holds on a consistent cut it holds on every later cut and at the end:
// the check that the definitions are stable. Then the rules themselves (a log that breaks
// one is exit 2 with its line) and the CLI on two fixtures.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildComputation, type RawEvent } from "../../checker/cuts/computation.ts";
import { isConsistent } from "../../checker/cuts/cut.ts";
import { evaluateStable, stableReport, type StableProperty } from "../../checker/cuts/stable.ts";
import { InputError } from "../../checker/history/input-error.ts";
import { dscheck } from "../cli/run-cli.ts";
import { allCuts, names, upTo } from "./brute-force.ts";

type Choice = { p: number; act: number; q: number; pick: number; flag: number };

/**
 * One global execution of processes that follow the rules: a blocked process only receives
 * from a process it waits for; a passive one does not send and wakes only on a receive.
 */
function generate(n: number, choices: Choice[]): RawEvent[] {
  const out: RawEvent[] = [];
  const pending: { id: string; from: number; to: number }[] = [];
  const passive = new Array<boolean>(n).fill(false);
  const waits: (number[] | undefined)[] = new Array(n).fill(undefined);
  let msg = 0;
  for (const c of choices) {
    const p = c.p % n, process = `p${p}`, line = out.length + 1;
    const receivable = pending.filter((m) => m.to === p && (waits[p] === undefined || waits[p]!.includes(m.from)));
    // After the event: maybe blocked (on one or two processes), maybe a new activity.
    const after = (canWake: boolean): Partial<RawEvent> => {
      const extra: { state?: "active" | "passive"; blocked?: string[] } = {};
      if (c.flag % 2 === 1) extra.state = "passive";
      else if (c.flag % 4 === 2 && (canWake || !passive[p])) extra.state = "active";
      if (c.flag >= 4) {
        const w = [...new Set([c.q % n, (c.q + c.flag) % n])].slice(0, 1 + (c.flag % 2));
        extra.blocked = w.map((q) => `p${q}`);
      }
      if (extra.state) passive[p] = extra.state === "passive";
      waits[p] = extra.blocked?.map((s) => Number(s.slice(1)));
      return extra;
    };
    if ((c.act === 0 || waits[p] !== undefined) && receivable.length > 0) {
      const m = receivable[c.pick % receivable.length];
      pending.splice(pending.indexOf(m), 1);
      out.push({ process, kind: "receive", msg: m.id, from: `p${m.from}`, line, ...after(true) });
    } else if (waits[p] !== undefined) {
      // Blocked with nothing to receive: at most a checkpoint, which keeps the wait.
      if (c.act === 2) out.push({ process, kind: "checkpoint", id: `c${line}`, line, ...(c.flag % 2 ? { state: "passive" as const } : {}) });
      if (c.act === 2 && c.flag % 2) passive[p] = true;
    } else if (c.act === 1 && !passive[p]) {
      const q = c.q % n, id = `m${msg++}`;
      pending.push({ id, from: p, to: q });
      out.push({ process, kind: "send", msg: id, to: `p${q}`, line, ...after(false) });
    } else {
      out.push({ process, kind: c.act === 2 ? "checkpoint" : "internal", ...(c.act === 2 ? { id: `c${line}` } : {}), line, ...after(false) });
    }
  }
  return out;
}

const arbLog = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    choices: fc.array(fc.record({ p: fc.nat(5), act: fc.nat(3), q: fc.nat(5), pick: fc.nat(5), flag: fc.nat(7) }), { maxLength: 12 }),
  })
  .map(({ n, choices }) => ({ n, raw: generate(n, choices) }));

/** The definitions, evaluated on the raw events alone. */
function brute(raw: readonly RawEvent[], n: number, cut: readonly number[], property: StableProperty): boolean {
  const per = names(n).map((name) => raw.filter((e) => e.process === name));
  const kept = per.map((evs, p) => evs.slice(0, cut[p]));
  const received = new Set(kept.flat().filter((e) => e.kind === "receive").map((e) => e.msg));
  const inFlight = kept.flat().filter((e) => e.kind === "send" && !received.has(e.msg));
  if (property === "termination") {
    const passive = kept.every((evs) => [...evs].reverse().find((e) => e.state !== undefined)?.state === "passive");
    return passive && inFlight.length === 0;
  }
  // The last event that is not a checkpoint without "blocked" says whether p waits.
  const waits = kept.map((evs) => [...evs].reverse().find((e) => e.kind !== "checkpoint" || e.blocked !== undefined)?.blocked);
  for (let mask = 1; mask < 1 << n; mask++) {
    const inD = (name: string) => (mask >> Number(name.slice(1))) & 1;
    const ok = names(n).every((name, p) => !inD(name) || (waits[p] !== undefined && waits[p]!.every(inD) && !inFlight.some((m) => m.to === name && waits[p]!.includes(m.process))));
    if (ok) return true;
  }
  return false;
}

describe("stable properties against brute force", () => {
  for (const property of ["termination", "deadlock"] as const) {
    it(`${property}: agrees with the definition on every cut, and once true on a consistent cut stays true on every later cut and at the end`, () => {
      let heldOnConsistent = 0, beforeEnd = 0;
      fc.assert(
        fc.property(arbLog, ({ n, raw }) => {
          const comp = buildComputation("gen", raw, names(n));
          const cuts = allCuts(comp.events.map((e) => upTo(e.length)));
          const end = comp.events.map((e) => e.length);
          for (const cut of cuts) {
            const ev = evaluateStable(comp, cut, property);
            expect(ev.holds).toBe(brute(raw, n, cut, property));
            if (ev.holds && property === "deadlock") {
              // The cycle is real: each next process is one the previous waits for, all deadlocked.
              expect(ev.cycle[0]).toBe(ev.cycle[ev.cycle.length - 1]);
              const waitsOf = (p: number) => comp.events[p].slice(0, cut[p]).reverse().find((e) => e.kind !== "checkpoint" || e.blocked !== undefined)?.blocked;
              for (let i = 1; i < ev.cycle.length; i++) expect(waitsOf(ev.cycle[i - 1])).toContain(ev.cycle[i]);
              for (const p of ev.cycle) expect(ev.deadlocked).toContain(p);
            }
            const report = stableReport(comp, cut, property);
            expect(report.guaranteedAtEnd).toBe(isConsistent(comp, cut) && ev.holds);
            expect(report.atEnd).toBe(brute(raw, n, end, property));
            if (!ev.holds || !isConsistent(comp, cut)) continue;
            heldOnConsistent++;
            if (cut.some((k, p) => k < end[p])) beforeEnd++;
            expect(report.atEnd).toBe(true);
            for (const later of cuts) if (later.every((k, p) => k >= cut[p])) expect(brute(raw, n, later, property)).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
      // Not vacuous: the property held on many consistent cuts short of the end.
      expect(heldOnConsistent).toBeGreaterThan(50);
      expect(beforeEnd).toBeGreaterThan(15);
    });
  }
});

describe("the activity rules", () => {
  const bad = (events: Omit<RawEvent, "line">[]) => () => buildComputation("bad.ndjson", events.map((e, i) => ({ ...e, line: i + 1 })), ["a", "b"]);
  it("a passive process that sends, wakes without a receive, or a blocked one that does anything but receive from whom it waits for: InputError with the line", () => {
    expect(bad([{ process: "a", kind: "internal", state: "passive" }, { process: "a", kind: "send", msg: "m", to: "b" }])).toThrow(/line 2: a is passive .* and sends/);
    expect(bad([{ process: "a", kind: "internal", state: "passive" }, { process: "a", kind: "internal", state: "active" }])).toThrow(/line 2: a becomes active at a internal event/);
    expect(bad([{ process: "a", kind: "internal", blocked: ["b"] }, { process: "a", kind: "internal" }])).toThrow(/line 2: a is blocked on b since line 1/);
    expect(bad([{ process: "b", kind: "send", msg: "m", to: "a" }, { process: "a", kind: "internal", blocked: ["a"] }, { process: "a", kind: "receive", msg: "m", from: "b" }])).toThrow(InputError);
    expect(bad([{ process: "a", kind: "internal", blocked: ["c"] }])).toThrow(/unknown process "c" in "blocked"/);
    expect(bad([{ process: "a", kind: "internal", state: "passive" }, { process: "a", kind: "checkpoint", id: "k", state: "active" }])).toThrow(/line 2: a becomes active at a checkpoint event/);
    expect(bad([{ process: "a", kind: "internal", blocked: ["b"] }, { process: "a", kind: "checkpoint", id: "k" }, { process: "a", kind: "send", msg: "m", to: "b" }])).toThrow(/line 3: a is blocked on b since line 1/);
    // Allowed: waking at a receive, a receive from the awaited process, a send that goes passive.
    expect(bad([{ process: "b", kind: "send", msg: "m", to: "a", state: "passive" }, { process: "a", kind: "internal", state: "passive", blocked: ["b"] }, { process: "a", kind: "receive", msg: "m", from: "b", state: "active" }])).not.toThrow();
  });
});

describe("dscheck cuts --stable", () => {
  const run = (file: string, ...args: string[]) => {
    const r = dscheck(["cuts", `test/fixtures/cuts/${file}`, ...args, "--json"]);
    return { code: r.code, report: JSON.parse(r.stdout), stderr: r.stderr };
  };

  it("termination: holds on a consistent snapshot (exit 0), and so at the end; does not hold earlier (exit 1); an inconsistent cut guarantees nothing (exit 1)", () => {
    const done = run("termination.ndjson", "--cut", "p1=end,p2=end,p3=4", "--stable", "termination");
    expect(done.code).toBe(0);
    expect(done.report.stable).toMatchObject({ property: "termination", consistentCut: true, holds: true, guaranteedAtEnd: true, atEnd: true, active: [], inFlight: [], recorded: true });
    const early = run("termination.ndjson", "--cut", "p1=3,p2=1,p3=2", "--stable", "termination");
    expect(early.code).toBe(1);
    expect(early.report.stable).toMatchObject({ consistentCut: true, holds: false, guaranteedAtEnd: false, atEnd: true, active: ["p3"], inFlight: ["w1"] });
    expect(early.report.findings[0]).toMatch(/termination does not hold on the cut/);
    const orphan = run("termination.ndjson", "--cut", "p1=0", "--stable", "termination");
    expect(orphan.code).toBe(1);
    expect(orphan.report.stable).toMatchObject({ consistentCut: false, guaranteedAtEnd: false });
    expect(orphan.report.findings).toHaveLength(1);
    expect(orphan.report.findings[0]).toMatch(/the cut is inconsistent/);
  });

  it("deadlock: a wait-for cycle with nothing in flight is reported with its cycle and carries to the end (exit 1); none before p3 blocks (exit 0)", () => {
    const dead = run("deadlock.ndjson", "--cut", "p1=2,p2=3,p3=2,p4=0", "--stable", "deadlock");
    expect(dead.code).toBe(1);
    expect(dead.report.stable).toMatchObject({ property: "deadlock", holds: true, guaranteedAtEnd: true, atEnd: true, deadlocked: ["p1", "p2", "p3"], cycle: ["p1", "p2", "p3", "p1"] });
    const before = run("deadlock.ndjson", "--cut", "p1=2,p2=3,p3=1,p4=0", "--stable", "deadlock");
    expect(before.code).toBe(0);
    expect(before.report.stable).toMatchObject({ holds: false, deadlocked: [], atEnd: true });
  });

  it("--stable needs --cut (exit 2, one line)", () => {
    const r = dscheck(["cuts", "test/fixtures/cuts/deadlock.ndjson", "--stable", "deadlock"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/--stable evaluates deadlock on a snapshot: give the snapshot with --cut/)]);
  });
});
