// EWD998Chan (specs/ewd998-chan.ts), Safra's termination detection with channels.
//
// Counts: the tlaplus/Examples manifest records none for EWD998Chan.cfg (EWD998ChanID's
// 14/15 and AsyncTerminationDetection's 4097/53271 are other specs), so they are checked
// against two oracles: an independent transcription of EWD998Chan.tla's Init, Next and
// StateConstraint written here (its own state encoding, sharing no code with the port), and
// test/support/brute-force-reach.ts run on the port (sharing no code with the explorer).
// The cfg itself (N = 3) is 1,524,022 distinct / 11,906,499 generated states, depth 57: both
// oracles agreed once (minutes), too slow for this suite.
//
// The trace: EWD998ChanTrace.ndjson (655 lines, from the Java implementation in
// tlaplus/Examples) is checked here by two small reference checkers of this test: one reads
// the spec's trace mapping (causal order, eventOf, events with their args and `where`), the
// other is a direct transcription of EWD998ChanTrace.tla's TraceNextConstraint over
// Next \/ UNCHANGED vars. Both must accept it with the same candidate sets line by line. The
// product validator's test is test/specs/ewd998-chan-trace.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore, resolveParams } from "../../checker/index.ts";
import spec, { abstractPending, abstractToken, type EWD998ChanParams, type EWD998ChanState, type EWD998TraceMapping } from "../../specs/ewd998-chan.ts";
import { bruteForceReach, canonicalString, type ReachableSpec } from "../support/brute-force-reach.ts";
import { corporaDir } from "../support/corpora.ts";

type Raw = Record<string, unknown>;
type Params = EWD998ChanParams;
const paramsOf = (overrides: Record<string, unknown> = {}) => resolveParams(spec.params, overrides) as unknown as Params;

// ---------------------------------------------------------------------------------------
// Oracle 1: EWD998Chan.tla transcribed again, on strings. A message is "pl" or
// "tok:<q>:<color>"; a state is {a, c, n, box}. Counting as TLC: initial states plus one per
// successor computed (one per witness of each \E), a successor outside the constraint
// counted but neither kept nor expanded.
interface O {
  a: boolean[];
  c: string[];
  n: number[];
  box: string[][];
}
function transcription(N: number, o: { maxPending: number; maxCounter: number; bug?: string }): { distinct: number; generated: number } {
  const Node = Array.from({ length: N }, (_, i) => i);
  const inits: O[] = [];
  for (let t = 0; t < N; t++)
    for (let a = 0; a < 2 ** N; a++)
      for (let c = 0; c < 2 ** N; c++)
        inits.push({ a: Node.map((i) => !!(a & (2 ** i))), c: Node.map((i) => (c & (2 ** i) ? "black" : "white")), n: Node.map(() => 0), box: Node.map((i) => (i === t ? ["tok:0:black"] : [])) });
  const tok = (m: string) => {
    const [, q, color] = m.split(":");
    return { q: Number(q), color };
  };
  const cut = (s: string[], j: number) => s.filter((_, k) => k !== j);
  const next = (s: O): O[] => {
    const out: O[] = [];
    const copy = (): O => ({ a: [...s.a], c: [...s.c], n: [...s.n], box: s.box.map((b) => [...b]) });
    // InitiateProbe
    s.box[0].forEach((m, j) => {
      if (!m.startsWith("tok")) return;
      const t = tok(m);
      if (!(t.color === "black" || s.c[0] === "black" || s.n[0] + t.q !== 0)) return;
      const x = copy();
      x.box[N - 1] = [...x.box[N - 1], "tok:0:white"];
      x.box[0] = cut(x.box[0], j);
      x.c[0] = "white";
      out.push(x);
    });
    for (const i of Node) {
      // PassToken(i), i # 0
      if (i !== 0 && !s.a[i])
        s.box[i].forEach((m, j) => {
          if (!m.startsWith("tok")) return;
          const t = tok(m);
          const x = copy();
          x.box[i - 1] = [...x.box[i - 1], `tok:${t.q + s.n[i]}:${s.c[i] === "black" ? "black" : t.color}`];
          x.box[i] = cut(x.box[i], j);
          x.c[i] = "white";
          out.push(x);
        });
      // SendMsg(i)
      if (s.a[i])
        for (const j of Node) {
          if (j === i) continue;
          const x = copy();
          x.n[i]++;
          x.box[j].push("pl");
          out.push(x);
        }
      // RecvMsg(i)
      s.box[i].forEach((m, j) => {
        if (m !== "pl") return;
        const x = copy();
        x.n[i]--;
        if (o.bug !== "noBlacken") x.c[i] = "black";
        x.a[i] = true;
        x.box[i] = cut(x.box[i], j);
        out.push(x);
      });
      // Deactivate(i)
      if (s.a[i]) {
        const x = copy();
        x.a[i] = false;
        out.push(x);
      }
    }
    return out;
  };
  const within = (s: O) => s.box.every((b) => b.filter((m) => m === "pl").length <= o.maxPending) && s.n.every((x) => x <= o.maxCounter);
  const seen = new Set<string>();
  const queue: O[] = [];
  let generated = 0;
  const found = (s: O) => {
    generated++;
    if (!within(s)) return;
    const k = JSON.stringify(s);
    if (!seen.has(k)) (seen.add(k), queue.push(s));
  };
  inits.forEach(found);
  for (let h = 0; h < queue.length; h++) next(queue[h]).forEach(found);
  return { distinct: seen.size, generated };
}

// ---------------------------------------------------------------------------------------
// The port's actions, run directly (guards first, then the update), for the oracles below.
type Act = (typeof spec.actions)[number];
function* successors(act: Act, s: EWD998ChanState, p: Params): Generator<{ args: readonly unknown[]; next: EWD998ChanState }> {
  const instances = act.argsFrom ? [...act.argsFrom(s, p)] : act.args ? act.args(p) : [[]];
  for (const args of instances) {
    if (act.guards && !Object.values(act.guards).every((g) => g(s, args, p))) continue;
    const u = act.update!(s, args, p);
    if (u) yield { args, next: { ...s, ...u } };
  }
}
const actionNamed = (name: string): Act => {
  const a = spec.actions.find((x) => x.name === name);
  if (!a) throw new Error(`no action ${name}`);
  return a;
};
/** The port with its named guards folded into the updates, for brute-force-reach (which knows no guards). */
const guardsFolded = {
  ...spec,
  actions: spec.actions.map((a) => ({
    name: a.name,
    args: a.args,
    argsFrom: a.argsFrom,
    update: (s: EWD998ChanState, args: readonly unknown[], p: Params) => (a.guards && !Object.values(a.guards).every((g) => g(s, args, p)) ? null : a.update!(s, args, p)),
  })),
} as unknown as ReachableSpec;

describe("EWD998Chan: counts against two independent oracles", () => {
  it.each([
    // N, maxPending, maxCounter: the cfg's bounds (fewer than 3 payloads, counters <= 3) at
    // N = 1, 2, and smaller bounds at N = 3.
    [1, 2, 3, 6, 11],
    [2, 2, 3, 7150, 34166],
    [3, 1, 1, 23596, 144640],
  ])("N=%i maxPending=%i maxCounter=%i: %i distinct, %i generated", (N, maxPending, maxCounter, distinct, generated) => {
    const params = { N, maxPending, maxCounter };
    const independent = transcription(N, { maxPending, maxCounter });
    expect(independent).toEqual({ distinct, generated });
    expect(bruteForceReach(guardsFolded, params)).toEqual(independent);
    const r = explore(spec, { params });
    expect(r.status).toBe("ok");
    expect({ distinct: r.distinctStates, generated: r.generatedStates }).toEqual(independent);
    expect(Object.keys(r.examples)).toContain("TerminationDetected");
    // The same without memoization.
    const plain = explore(spec, { params, memoize: false });
    expect({ distinct: plain.distinctStates, generated: plain.generatedStates }).toEqual(independent);
  });

  it("N * 4^N initial states; TraceInit keeps N (every node active and white)", () => {
    expect(spec.init(paramsOf({ N: 3 }))).toHaveLength(3 * 64);
    const t = spec.init(paramsOf({ N: 5, traceInit: true }));
    expect(t).toHaveLength(5);
    expect(t.every((s) => s.active.every((a) => a) && s.color.every((c) => c === "white") && s.counter.every((c) => c === 0))).toBe(true);
    expect(t.map((s) => abstractToken(s))).toEqual([0, 1, 2, 3, 4].map((pos) => ({ pos, q: 0, color: "black" })));
  });
});

// ---------------------------------------------------------------------------------------
// EWD998Spec (the cfg's PROPERTY): every reachable step maps, through the refinement mapping,
// to a step of EWD998's Next or a stutter; every initial state to one of EWD998's Init.
interface Abs {
  active: readonly boolean[];
  color: readonly string[];
  counter: readonly number[];
  pending: readonly number[];
  token: { pos: number; q: number; color: string };
}
const abs = (s: EWD998ChanState): Abs => ({ active: s.active, color: s.color, counter: s.counter, pending: abstractPending(s), token: abstractToken(s)! });
const eq = (x: unknown, y: unknown) => canonicalString(x) === canonicalString(y);
const except = <T>(xs: readonly T[], i: number, x: T) => xs.map((y, k) => (k === i ? x : y));
function ewd998Step(N: number, s: Abs, t: Abs): string | undefined {
  if (eq(s, t)) return "stutter";
  const same = (...keys: (keyof Abs)[]) => keys.every((k) => eq(s[k], t[k]));
  if (s.token.pos === 0 && (s.token.color === "black" || s.color[0] === "black" || s.counter[0] + s.token.q > 0) && eq(t.token, { pos: N - 1, q: 0, color: "white" }) && eq(t.color, except(s.color, 0, "white")) && same("active", "counter", "pending")) return "InitiateProbe";
  for (let i = 0; i < N; i++) {
    const tok = { pos: s.token.pos - 1, q: s.token.q + s.counter[i], color: s.color[i] === "black" ? "black" : s.token.color };
    if (i !== 0 && !s.active[i] && s.token.pos === i && eq(t.token, tok) && eq(t.color, except(s.color, i, "white")) && same("active", "counter", "pending")) return "PassToken";
    if (s.active[i] && eq(t.counter, except(s.counter, i, s.counter[i] + 1)) && [...Array(N).keys()].some((j) => j !== i && eq(t.pending, except(s.pending, j, s.pending[j] + 1))) && same("active", "color", "token")) return "SendMsg";
    if (s.pending[i] > 0 && eq(t.pending, except(s.pending, i, s.pending[i] - 1)) && eq(t.counter, except(s.counter, i, s.counter[i] - 1)) && eq(t.color, except(s.color, i, "black")) && eq(t.active, except(s.active, i, true)) && same("token")) return "RecvMsg";
    if (s.active[i] && eq(t.active, except(s.active, i, false)) && same("color", "counter", "pending", "token")) return "Deactivate";
  }
  return undefined;
}

describe("EWD998Chan refines EWD998 (EWD998Spec), step by step", () => {
  it.each([
    [2, 2, 3],
    [3, 1, 1],
  ])("N=%i maxPending=%i maxCounter=%i", (N, maxPending, maxCounter) => {
    const p = paramsOf({ N, maxPending, maxCounter });
    const seen = new Set<string>();
    const queue: EWD998ChanState[] = [];
    for (const s of spec.init(p)) {
      const a = abs(s);
      expect(eq(a.counter, a.counter.map(() => 0)) && eq(a.pending, a.pending.map(() => 0)) && a.token.q === 0 && a.token.color === "black").toBe(true);
      const k = canonicalString(s);
      if (!seen.has(k)) (seen.add(k), queue.push(s));
    }
    const used = new Map<string, number>();
    for (let h = 0; h < queue.length; h++) {
      const s = queue[h];
      for (const act of spec.actions) {
        for (const { args, next } of successors(act, s, p)) {
          const step = ewd998Step(N, abs(s), abs(next));
          if (step === undefined) throw new Error(`${act.name}(${args.join(", ")}) from ${canonicalString(s)} is no step of EWD998`);
          used.set(step, (used.get(step) ?? 0) + 1);
          if (!spec.constraint!(next, p)) continue;
          const k = canonicalString(next);
          if (!seen.has(k)) (seen.add(k), queue.push(next));
        }
      }
    }
    // Not vacuous: every EWD998 action is the image of some step.
    expect([...used.keys()].sort()).toEqual(["Deactivate", "InitiateProbe", "PassToken", "RecvMsg", "SendMsg"]);
  });
});

describe("bug=noBlacken (RecvMsg forgets rule 3)", () => {
  it("N=3: TerminationDetection fails, shortest counterexample 8 steps", () => {
    const r = explore(spec, { params: { N: 3, bug: "noBlacken" }, properties: ["TerminationDetection"] });
    expect(r.status).toBe("violation");
    const v = r.violation!;
    expect(v.property).toBe("TerminationDetection");
    if (!("trace" in v)) throw new Error("no trace");
    const last = v.trace[v.trace.length - 1].state as EWD998ChanState;
    // Detected at node 0 while a node is still active.
    expect(abstractToken(last)).toMatchObject({ pos: 0, color: "white" });
    expect(last.active[0]).toBe(false);
    expect(last.active.some((a) => a)).toBe(true);
    // By hand: a white round completes (InitiateProbe, PassToken(2), PassToken(1)); then
    // node 0 sends to node 1, node 1 receives (active) and sends back, node 0 receives -
    // staying white, the bug - and deactivates: counters back to 0, token white with q = 0,
    // node 0 white and passive, node 1 active. Eight steps; the first three are the cheapest
    // way to a white token at node 0, and the last five the cheapest way to leave a node
    // active with node 0's counter at 0.
    expect(v.trace.length - 1).toBe(8);
    expect(v.trace.slice(1).map((t) => t.action)).toEqual(["InitiateProbe", "PassToken", "PassToken", "SendMsg", "RecvMsg", "SendMsg", "RecvMsg", "Deactivate"]);
  });

  it("N=3: Safra's invariant breaks earlier (6 steps), and the correct spec keeps it", () => {
    const r = explore(spec, { params: { N: 3, bug: "noBlacken" }, properties: ["Inv"] });
    expect(r.status).toBe("violation");
    if (!r.violation || !("trace" in r.violation)) throw new Error("no trace");
    expect(r.violation.trace.length - 1).toBe(6);
    expect(explore(spec, { params: { N: 3, maxPending: 1, maxCounter: 1 }, properties: ["Inv", "TerminationDetection", "TypeOK"] }).status).toBe("ok");
  });
});

// ---------------------------------------------------------------------------------------
// The trace.

const corpora = corporaDir();
const traceFile = corpora && join(corpora, "tlaplus-examples/specifications/ewd998/EWD998ChanTrace.ndjson");

/**
 * VectorClocks' CausalOrder, as its TLC implementation does it: each node's lines in the
 * order of its own clock entry, a line's parents the latest line of every other node its
 * clock knows, then repeatedly the head of each node's list (taken round-robin, `pick`
 * choosing the order of the nodes) once its parents are out.
 */
function causalOrder(lines: Raw[], node: (l: Raw) => string, clock: (l: Raw) => Readonly<Record<string, number>>, pick: (hosts: string[]) => string[] = (h) => h): Raw[] {
  const byHost = new Map<string, Raw[]>();
  for (const l of lines) byHost.set(node(l), [...(byHost.get(node(l)) ?? []), l]);
  for (const [h, ls] of byHost) {
    ls.sort((x, y) => clock(x)[h] - clock(y)[h]);
    ls.forEach((l, i) => {
      if (clock(l)[h] !== i + 1) throw new Error(`node ${h}'s clock has a gap at ${i + 1}`);
    });
  }
  const out: Raw[] = [];
  const done = new Set<Raw>();
  const ready = (l: Raw) => Object.entries(clock(l)).every(([h, t]) => h === node(l) || t === 0 || done.has(byHost.get(h)![t - 1]));
  const hosts = pick([...byHost.keys()].sort());
  while (out.length < lines.length) {
    let moved = false;
    for (const h of hosts) {
      const head = byHost.get(h)!.find((l) => !done.has(l));
      if (head && ready(head)) (done.add(head), out.push(head), (moved = true));
    }
    if (!moved) throw new Error("the clocks are cyclic");
  }
  return out;
}

/** Reference checker A: the spec's trace mapping, read as its comment says. */
function checkWithMapping(all: Raw[], opts: { pick?: (h: string[]) => string[]; params?: Record<string, unknown> } = {}) {
  const m = spec.trace as EWD998TraceMapping;
  const header = all.slice(0, m.header);
  const p = paramsOf({ ...opts.params, ...m.config!(header, paramsOf()).params });
  let cands = dedup(spec.init(p));
  const lines = causalOrder(all.slice(m.header), (l) => String(l.node), (l) => m.causalOrder!.clock(l)!, opts.pick);
  const sizes: number[] = [];
  /** Per line, the alternatives that gave a surviving successor ("stutter" for []). */
  const used: string[][] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const em = m.events![m.eventOf!(line, line.event as string, p, undefined)!];
    const took = new Set<string>();
    const args = em.args?.([], p, undefined, line);
    if (args !== undefined && !Array.isArray(args)) return { status: "rejected" as const, at: k, line, sizes, why: (args as { reject: string }).reject };
    const next: EWD998ChanState[] = [];
    for (const s of cands) {
      for (const alt of em.actions) {
        const names = typeof alt === "string" ? [alt] : alt;
        const walk = (t: EWD998ChanState, i: number): void => {
          if (i === names.length) {
            if (Object.values(em.where ?? {}).every((w) => (w as (a: EWD998ChanState, b: EWD998ChanState, p: unknown, c: undefined, l: Raw) => boolean)(s, t, p, undefined, line))) (next.push(t), took.add(names.join(" then ") || "stutter"));
            return;
          }
          for (const { args: a, next: u } of successors(actionNamed(names[i]), t, p)) {
            if (i === 0 && args && !(args as unknown[]).every((x, j) => x === undefined || eq(x, a[j]))) continue;
            walk(u, i + 1);
          }
        };
        walk(s, 0);
      }
    }
    cands = dedup(next);
    if (cands.length === 0) return { status: "rejected" as const, at: k, line, sizes };
    sizes.push(cands.length);
    used.push([...took].sort());
  }
  return { status: "valid" as const, sizes, used, final: cands, params: p, lines };
}

/** Reference checker B: EWD998ChanTrace.tla's TraceNextConstraint, transcribed, over Next \/ UNCHANGED vars. */
function checkAsTlaPlus(all: Raw[]) {
  const N = all[0].N as number;
  const p = paramsOf({ N, constraint: false, traceInit: true }); // TraceInit; no CONSTRAINT in EWD998ChanTrace.cfg
  let cands = dedup(spec.init(p));
  const pkt = (l: Raw) => (l.pkt ?? {}) as { snd?: number; rcv?: number; msg?: { type?: string; q?: number; color?: string } };
  const lines = causalOrder(all.slice(1), (l) => String(l.node), (l) => (l.pkt as { vc: Record<string, number> }).vc);
  const pls = (b: readonly { type: string }[]) => b.filter((m) => m.type === "pl");
  const sizes: number[] = [];
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    const { snd, rcv, msg = {} } = pkt(l);
    const next: EWD998ChanState[] = [];
    for (const s of cands) {
      const steps: { action?: string; args: readonly unknown[]; t: EWD998ChanState }[] = [{ args: [], t: s }];
      for (const act of spec.actions) for (const { args, next: t } of successors(act, s, p)) steps.push({ action: act.name, args, t });
      const ok = (st: (typeof steps)[number]) => {
        const { t } = st;
        const moved = !eq(s, t);
        const isInitiateToken = l.event === ">" && msg.type === "tok" && rcv === N - 1 && snd === 0 && st.action === "InitiateProbe" && moved;
        const isPassToken = l.event === ">" && msg.type === "tok" && (snd as number) > 0 && st.action === "PassToken" && st.args[0] === snd && moved;
        const isRecvToken =
          l.event === "<" &&
          msg.type === "tok" &&
          s.inbox.every((b, n) => eq(pls(b), pls(t.inbox[n]))) &&
          (t.inbox[rcv as number] ?? []).some((m) => m.type === "tok" && m.q === msg.q && m.color === msg.color) &&
          eq([s.active, s.counter, s.color], [t.active, t.counter, t.color]);
        const isSendMsg = l.event === ">" && msg.type === "pl" && st.action === "SendMsg" && st.args[0] === snd && moved && pls(s.inbox[rcv as number] ?? []).length < pls(t.inbox[rcv as number] ?? []).length;
        const isRecvMsg = l.event === "<" && msg.type === "pl" && st.action === "RecvMsg" && st.args[0] === rcv && moved;
        const isDeactivate = l.event === "d" && st.action === "Deactivate" && st.args[0] === l.node && moved;
        const isTrm = (l.event === "<" || l.event === ">") && msg.type === "trm" && s.active.every((a) => !a) && !moved;
        return (isInitiateToken || isPassToken || isRecvToken || isSendMsg || isRecvMsg || isDeactivate || isTrm) && !("failure" in l);
      };
      for (const st of steps) if (ok(st)) next.push(st.t);
    }
    cands = dedup(next);
    if (cands.length === 0) return { status: "rejected" as const, at: k, line: l, sizes };
    sizes.push(cands.length);
  }
  return { status: "valid" as const, sizes, final: cands };
}

function dedup(states: readonly EWD998ChanState[]): EWD998ChanState[] {
  const seen = new Set<string>();
  return states.filter((s) => {
    const k = canonicalString(s);
    return !seen.has(k) && !!seen.add(k);
  });
}

describe.skipIf(!traceFile)("EWD998ChanTrace.ndjson against the port and its trace mapping", () => {
  const all = () => readFileSync(traceFile!, "utf8").trim().split("\n").map((t) => JSON.parse(t) as Raw);

  it("the log is not in causal order: a receive comes before its send", () => {
    const lines = all().slice(1);
    expect(lines).toHaveLength(654);
    // Line 3 of the file: node 4 receives a payload from node 1 sent at node 1's time 81.
    const recv = lines[1] as { event: string; pkt: { snd: number; rcv: number; vc: Record<string, number> } };
    expect([recv.event, recv.pkt.snd, recv.pkt.rcv, recv.pkt.vc["1"]]).toEqual(["<", 1, 4, 81]);
    const send = lines.findIndex((l) => l.node === 1 && (l.pkt as { vc: Record<string, number> }).vc["1"] === 81);
    expect(send).toBeGreaterThan(1);
    expect(lines[send]).toMatchObject({ event: ">", pkt: { snd: 1, rcv: 4, msg: { type: "pl" } } });
  });

  it("is valid, and the mapping keeps exactly the trace spec's candidate states at every line", () => {
    const a = checkWithMapping(all());
    const b = checkAsTlaPlus(all());
    expect(b.status).toBe("valid");
    expect(a.status).toBe("valid");
    expect(a.sizes).toEqual(b.sizes);
    expect(dedup([...(a.final ?? []), ...(b.final ?? [])])).toHaveLength(a.final!.length);
    expect(a.params).toMatchObject({ N: 5, traceInit: true, constraint: false });
    // The first line pins the token's start (node 0, black); from there the trace determines
    // the state but for the order of payloads and the token within an inbox.
    expect(a.sizes[0]).toBe(1);
    expect(Math.max(...a.sizes)).toBeLessThanOrEqual(4);
    // At the end every node is passive, nothing is in flight, and the detection held.
    const end = a.final![0];
    expect(end.active.every((x) => !x)).toBe(true);
    expect(abstractPending(end).every((n) => n === 0)).toBe(true);
    // Every kind of line occurs, and each is taken by one kind of step: in particular every
    // token receipt (208 lines, a node logs one each time it takes the token up again) is a
    // stutter here, never the InitiateProbe or PassToken that IsRecvToken would also allow.
    const kinds = a.lines!.map((l) => (spec.trace as EWD998TraceMapping).eventOf!(l, l.event as string, a.params!, undefined)!);
    const taken = new Map<string, Set<string>>();
    kinds.forEach((k, i) => taken.set(k, new Set([...(taken.get(k) ?? []), ...a.used![i]])));
    expect(Object.fromEntries([...taken].map(([k, v]) => [k, [...v]]))).toEqual({
      IsDeactivate: ["Deactivate"],
      IsInitiateToken: ["InitiateProbe"],
      IsPassToken: ["PassToken"],
      IsRecvMsg: ["RecvMsg"],
      IsRecvToken: ["stutter"],
      IsSendMsg: ["SendMsg"],
      IsTrm: ["stutter"],
    });
    const count = (k: string) => kinds.filter((x) => x === k).length;
    expect([count("IsRecvToken"), count("IsTrm"), kinds.length]).toEqual([208, 10, 654]);
  });

  it("does not depend on which causal order is taken", () => {
    const a = checkWithMapping(all(), { pick: (h) => [...h].reverse() });
    expect(a.status).toBe("valid");
  });

  it("rejects the buggy spec: under bug=noBlacken a token arrives blacker than the spec has it", () => {
    const a = checkWithMapping(all(), { params: { bug: "noBlacken" } });
    expect(a.status).toBe("rejected");
    expect(a.line).toMatchObject({ event: "<", pkt: { msg: { type: "tok", color: "black" } } });
  });

  it.each([
    ["a token received with another q", (l: Raw) => l.event === "<" && (l.pkt as { msg: { type: string } }).msg.type === "tok" && (l.pkt as { vc: Record<string, number> }).vc["2"] > 40, (l: Raw) => ({ ...l, pkt: { ...(l.pkt as object), msg: { ...((l.pkt as { msg: object }).msg), q: 99 } } })],
    ["a payload sent to the sender itself", (l: Raw) => l.event === ">" && (l.pkt as { msg: { type: string } }).msg.type === "pl", (l: Raw) => ({ ...l, pkt: { ...(l.pkt as object), rcv: (l.pkt as { snd: number }).snd } })],
    ["a failure logged", (l: Raw) => l.event === "d", (l: Raw) => ({ ...l, failure: "java.io.IOException" })],
  ])("rejects the trace with %s, at that line, in both checkers", (_what, where, corrupt) => {
    const lines = all();
    const i = lines.findIndex((l, k) => k > 0 && where(l));
    lines[i] = corrupt(lines[i]);
    const a = checkWithMapping(lines);
    const b = checkAsTlaPlus(lines);
    expect(a.status).toBe("rejected");
    expect(b.status).toBe("rejected");
    expect(a.at).toBe(b.at);
    expect(a.line).toBe(lines[i]);
  });
});
