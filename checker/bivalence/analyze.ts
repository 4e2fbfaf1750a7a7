/**
 * FLP's argument, computed on a concrete spec's reachable graph (exploreGraph: the
 * explorer's one pipeline). Every state is labelled once (decisions, crashes, messages in
 * flight, the spec's always-properties) by walking the graph's own edges in id order and
 * re-running each state's successors once (the BFS tree rebuilt, not a new search); then:
 *   valence   the decision values each state can reach: one backward fixpoint over the SCC
 *             condensation (scc.ts), linear in states + edges;
 *   Lemma 2   the initial configurations with their valences, two adjacent ones (inputs
 *             differing in one process p) with different valences, and a run in which p
 *             takes no step, replayed from both (they cannot tell them apart);
 *   Lemma 3   for a bivalent initial configuration and each event e enabled there, an
 *             extension that does not apply e until its end and stays bivalent after e;
 *   lasso     a fair cycle of bivalent configurations (fair-cycle.ts): FLP's non-deciding
 *             admissible run; also the fair runs in which a live process never decides;
 *   critical  bivalent configurations whose every successor is univalent, with the deciding
 *             events;
 *   safety    Agreement, Validity and the spec's always-properties on every state, and
 *             blocking: states where a live undecided process can no longer decide.
 * Soundness on a partial graph (a budget, the depth bound, the constraint): a state that
 * can reach an unexpanded state or a successor outside the constraint has only a lower
 * bound on its valence. Two reachable values make it bivalent for sure; fewer make it
 * "unknown", never univalent. Claims of absence (no lasso, no blocking) hold only for the
 * states whose future is complete.
 */
import type { ParamDecls, Spec } from "../spec/spec.ts";
import type { Value } from "../values/value.ts";
import { canonicalCode } from "../values/value.ts";
import { exploreGraph, type GraphOptions, type StateGraph } from "../explore/graph/state-graph.ts";
import { BoundSpec } from "../explore/model/bound-spec.ts";
import { SpecError } from "../explore/model/spec-error.ts";
import type { ExploreResult } from "../explore/types.ts";
import { IntColumn } from "../explore/store/int-column.ts";
import type { Consensus, FailureModel } from "./consensus.ts";
import { edgeSource, ENVIRONMENT, FAULT, findFairCycle, isFairLoop, type FairnessInput, type Lasso } from "./fair-cycle.ts";
import { components, reachableUnion } from "./scc.ts";

export type ValenceKind = "bivalent" | "univalent" | "none" | "unknown";

export interface Valence {
  readonly kind: ValenceKind;
  /** The decision values reachable (for "unknown": those found so far, a lower bound). */
  readonly values: readonly Value[];
}

export interface Witness {
  /** Replay path (init index, successor indices), as `explore --replay` takes it. */
  readonly path: readonly number[];
  /** The action labels of its steps after the initial state. */
  readonly steps: readonly string[];
}

export interface InitialConfiguration extends Witness {
  readonly id: number;
  readonly inputs?: readonly (Value | null)[];
  readonly valence: Valence;
}

export interface LassoReport {
  /** Path from an initial state to the loop's first state. */
  readonly prefix: Witness;
  /** Successor indices of the loop, from its first state back to it; empty: the run stutters there forever. */
  readonly loop: readonly number[];
  readonly loopSteps: readonly string[];
  /** prefix then one round of the loop: `explore --replay` ends where the loop starts. */
  readonly replayPath: readonly number[];
  /** Processes that crashed (exempt from fairness) and processes undecided forever. */
  readonly crashed: readonly string[];
  readonly undecided: readonly string[];
  /** The valence of each state along replayPath (prefix states, then the loop's, back to its first). */
  readonly valences: readonly Valence[];
}

export interface SafetyCheck {
  readonly name: string;
  readonly kind: "agreement" | "validity" | "property";
  readonly holds: boolean;
  readonly counterexample?: Witness & { readonly explanation: string };
}

export interface BivalenceResult {
  readonly status: "ok" | "violation" | "incomplete" | "error";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly processes: readonly string[];
  readonly values: readonly Value[];
  readonly failure: { readonly model: FailureModel; readonly maxFaulty: number };
  readonly graph: {
    readonly distinctStates: number;
    readonly generatedStates: number;
    readonly edges: number;
    /** True when every reachable state was expanded (no budget, depth bound or constraint cut it). */
    readonly complete: boolean;
    readonly incompleteReason?: string;
    readonly bounded?: { readonly byDepth: number; readonly byConstraint: number };
  };
  readonly counts: { readonly bivalent: number; readonly univalent: readonly { readonly value: Value; readonly states: number }[]; readonly none: number; readonly unknown: number };
  readonly initial: readonly InitialConfiguration[];
  /** Lemma 2. */
  readonly adjacent?: {
    readonly a: number;
    readonly b: number;
    readonly process: string;
    /** A run from a in which `process` takes no step and another process decides, replayed from b by the same events. */
    readonly run?: Witness & { readonly decided: Value; readonly mirrored?: Witness & { readonly decided: Value | null } };
  };
  /** Lemma 3, for the first bivalent initial configuration. */
  readonly lemma3?: {
    readonly configuration: number;
    readonly events: readonly { readonly event: string; readonly outcome: "stays-bivalent" | "never-bivalent" | "unknown"; readonly witness?: Witness }[];
  };
  readonly lasso?: LassoReport;
  readonly nonDeciding?: LassoReport;
  readonly fairCycles: { readonly bivalent: number; readonly nonDeciding: number; readonly conclusive: boolean };
  readonly critical: { readonly count: number; readonly shown: readonly (Witness & { readonly id: number; readonly events: readonly { readonly event: string; readonly valence: Valence }[] })[] };
  readonly blocking: { readonly count: number; readonly conclusive: boolean; readonly first?: Witness & { readonly processes: readonly string[] } };
  readonly safety: readonly SafetyCheck[];
  readonly timing: { readonly exploreMs: number; readonly labelMs: number; readonly valenceMs: number };
  readonly explore: ExploreResult;
  readonly error?: string;
}

export interface BivalenceOptions extends Omit<GraphOptions, "checkProperties"> {
  /** How many critical configurations to describe (default 10). */
  readonly showCritical?: number;
}

/** A fault in the consensus declaration (a function that throws or returns the wrong shape): exit 2. */
export class ConsensusError extends Error {}

const SHOW_EVENTS = 24;

/** Runs the analysis. Throws ParamError for bad params and ConsensusError for a bad declaration. */
export function analyzeBivalence<S, D extends ParamDecls>(spec: Spec<S, D>, consensus: Consensus<S>, options: BivalenceOptions = {}): BivalenceResult {
  const now = options.now ?? (() => 0);
  const t0 = now();
  const g = exploreGraph(spec, { ...options, checkProperties: false });
  const t1 = now();
  const model = new BoundSpec(spec as unknown as Spec<unknown, ParamDecls>, options.params as Record<string, unknown>);
  const params = model.params as never;
  const call = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ConsensusError || e instanceof SpecError) throw e;
      throw new ConsensusError(`consensus.${what} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const processes = call("processes", () => consensus.processes(params));
  const values = call("values", () => consensus.values(params));
  const failure = typeof consensus.failure === "function" ? call("failure", () => (consensus.failure as (p: never) => { model: FailureModel; maxFaulty: number })(params)) : consensus.failure;
  if (!Array.isArray(processes) || processes.length === 0 || processes.length > 30) throw new ConsensusError("consensus.processes must return 1 to 30 names");
  if (!Array.isArray(values) || values.length === 0 || values.length > 30) throw new ConsensusError("consensus.values must return 1 to 30 values");
  const P = processes.length;
  const valueIndex = new Map<string, number>();
  values.forEach((v, i) => valueIndex.set(key(v), i));
  const base = { params: model.params, processes, values, failure };
  const emptyCounts = { bivalent: 0, univalent: [], none: 0, unknown: 0 };
  if (g.result.status === "error") {
    return {
      ...base, status: "error", graph: graphSummary(g), counts: emptyCounts, initial: [], fairCycles: { bivalent: 0, nonDeciding: 0, conclusive: false },
      critical: { count: 0, shown: [] }, blocking: { count: 0, conclusive: false }, safety: [], timing: { exploreMs: t1 - t0, labelMs: 0, valenceMs: 0 }, explore: g.result,
      error: g.result.error?.message ?? "the exploration failed",
    };
  }

  // ---- Labelling pass: every state once, rebuilt from its BFS-tree parent. ----
  const n = g.stateCount, m = g.edgeCount;
  const valueMask = new Int32Array(n), decided = new Int32Array(n), crashed = new Int32Array(n), open = new Int32Array(n);
  const edgeProc = new Int16Array(m), edgeEvent = new Int32Array(m);
  const pendStart = new Int32Array(n + 1), pendCol = new IntColumn(), pendTo: number[] = [];
  const pendIndex = new Map<string, number>(), eventIndex = new Map<string, number>();
  const inputsOf = new Map<number, readonly (Value | null)[]>();
  const firstViolation = new Map<string, { id: number; explanation: string }>();
  const spActions = (spec as unknown as Spec<unknown, ParamDecls>).actions;
  const faults = new Set(consensus.faultActions ?? []);
  const fixedArgs = spActions.map((a) => (a.argsFrom ? null : a.args ? a.args(params) : [[]]));
  const fixedBase: number[] = [];
  let totalFixed = 0;
  for (const l of fixedArgs) {
    fixedBase.push(totalFixed);
    totalFixed += l ? l.length : 0;
  }
  const procCache = fixedArgs.map((l, a) => (l ? l.map((args) => procOf(a, args)) : null));
  function procOf(a: number, args: readonly unknown[]): number {
    if (faults.has(spActions[a].name)) return FAULT;
    const p = call("process", () => consensus.process(spActions[a].name, args, params));
    if (p === null || p === undefined) return ENVIRONMENT;
    if (!Number.isInteger(p) || p < 0 || p >= P) throw new ConsensusError(`consensus.process returned ${String(p)} for ${spActions[a].name}; expected a process index 0-${P - 1} or null`);
    return p;
  }
  const alwaysProps = model.properties.filter((p) => p.kind === "always");
  const inits = model.initialStates();
  const states = new Map<number, unknown>();
  for (const id of g.initial) states.set(id, inits[g.pathTo(id)[0]]);
  const succInst: number[] = [], succNext: unknown[] = [];
  const note = (name: string, id: number, explanation: string) => {
    if (!firstViolation.has(name)) firstViolation.set(name, { id, explanation });
  };
  for (let s = 0; s < n; s++) {
    const state = states.get(s);
    if (state === undefined && !states.has(s)) throw new Error(`internal: state ${s} was not rebuilt from the graph`);
    states.delete(s);
    // Decisions, inputs, crashes.
    const dec = call("decision", () => consensus.decision(state as S, params));
    if (!Array.isArray(dec) || dec.length !== P) throw new ConsensusError(`consensus.decision must return one entry per process (${P}), got ${JSON.stringify(dec)}`);
    const inputs = consensus.inputs ? call("inputs", () => consensus.inputs!(state as S, params)) : undefined;
    if (inputs && (!Array.isArray(inputs) || inputs.length !== P)) throw new ConsensusError(`consensus.inputs must return one entry per process (${P})`);
    if (inputs && g.initial.includes(s)) inputsOf.set(s, inputs);
    let vm = 0, dm = 0;
    for (let p = 0; p < P; p++) {
      const d = dec[p];
      if (d === null || d === undefined) continue;
      const vi = valueIndex.get(key(d));
      if (vi === undefined) throw new ConsensusError(`consensus.decision returned ${JSON.stringify(d)} for ${processes[p]}, which is not one of consensus.values`);
      vm |= 1 << vi;
      dm |= 1 << p;
      // Validity: a decided value is some process's input (or, without inputs, one of the values).
      if (inputs && !inputs.some((x) => x !== null && key(x) === key(d))) note("Validity", s, `${processes[p]} decided ${JSON.stringify(d)}, which is no process's input (${JSON.stringify(inputs)})`);
    }
    // Uniform agreement: crashed processes' decisions count too (what atomic commit needs).
    if ((vm & (vm - 1)) !== 0) note("Agreement", s, dec.map((d, p) => `${processes[p]}=${d === null ? "undecided" : JSON.stringify(d)}`).join(", "));
    valueMask[s] = vm;
    decided[s] = dm;
    if (consensus.crashed) {
      const c = call("crashed", () => consensus.crashed!(state as S, params));
      let cm = 0, k = 0;
      for (let p = 0; p < P; p++) if (c[p]) (cm |= 1 << p), k++;
      crashed[s] = cm;
      if (k > failure.maxFaulty) throw new ConsensusError(`state ${s} (replay ${g.pathTo(s).join("/")}) has ${k} crashed processes, more than the failure model's ${failure.maxFaulty}`);
    }
    pendStart[s] = pendCol.length;
    if (consensus.pending) {
      const seen = new Set<number>();
      for (const [to, msg] of call("pending", () => consensus.pending!(state as S, params))) {
        if (!Number.isInteger(to) || to < 0 || to >= P) throw new ConsensusError(`consensus.pending gave destination ${String(to)}; expected 0-${P - 1}`);
        const k = `${to}|${key(msg)}`;
        let id = pendIndex.get(k);
        if (id === undefined) {
          id = pendTo.length;
          pendIndex.set(k, id);
          pendTo.push(to);
        }
        if (!seen.has(id)) (seen.add(id), pendCol.push(id));
      }
    }
    for (const p of alwaysProps) {
      const why = p.violation(state);
      if (why !== undefined) note(p.name === "Agreement" || p.name === "Validity" ? `spec:${p.name}` : p.name, s, why || `${p.name} is false`);
    }
    if (!g.expanded[s]) {
      open[s] = 1;
      continue;
    }
    // Successors, matched to the graph's edges by instance index.
    succInst.length = 0;
    succNext.length = 0;
    model.successors(state, (instance, next) => {
      succInst.push(instance);
      succNext.push(next);
    });
    const a0 = g.offsets[s], a1 = g.offsets[s + 1];
    // A budget can stop the search in the middle of a state's successors: the recorded edges
    // are then a prefix, and the state's future is unknown.
    if (succInst.length > a1 - a0 && g.result.status === "incomplete") open[s] = 1;
    else if (succInst.length !== a1 - a0) throw new SpecError({ kind: "nondeterministic", state, path: g.pathTo(s), message: `state ${s} has ${succInst.length} successors now and had ${a1 - a0} during the search: the spec is not deterministic` });
    // Argument lists of this state, for each edge's process and event.
    let instBase = 0;
    const lists: (readonly (readonly unknown[])[])[] = [];
    const bases: number[] = [];
    for (let a = 0; a < spActions.length; a++) {
      const l = fixedArgs[a] ?? [...spActions[a].argsFrom!(state, params)];
      lists.push(l);
      bases.push(instBase);
      instBase += l.length;
    }
    let a = 0;
    for (let e = a0; e < a1; e++) {
      const inst = g.instances[e];
      if (inst !== succInst[e - a0]) throw new Error(`internal: edge ${e} has instance ${inst}, the expansion gave ${succInst[e - a0]}`);
      const t = g.targets[e];
      if (t < 0) open[s] = 1;
      else if (t > s && !states.has(t) && t >= s) states.set(t, succNext[e - a0]);
      while (a + 1 < spActions.length && bases[a + 1] <= inst) a++;
      const k = inst - bases[a];
      if (fixedArgs[a]) {
        edgeProc[e] = procCache[a]![k];
        edgeEvent[e] = fixedBase[a] + k;
      } else {
        const args = lists[a][k];
        edgeProc[e] = procOf(a, args);
        const ek = `${a}|${key(args as Value)}`;
        let id = eventIndex.get(ek);
        if (id === undefined) eventIndex.set(ek, (id = totalFixed + eventIndex.size));
        edgeEvent[e] = id;
      }
    }
  }
  pendStart[n] = pendCol.length;
  const t2 = now();

  // ---- Valence: one backward fixpoint per question over the condensation. ----
  const cs = components(g);
  const reach = reachableUnion(g, cs, valueMask);
  const openReach = reachableUnion(g, cs, open);
  const decideReach = reachableUnion(g, cs, decided);
  const cls = new Uint8Array(n); // 0 none, 1 univalent, 2 bivalent, 3 unknown
  const perValue = new Array<number>(values.length).fill(0);
  let biv = 0, none = 0, unknown = 0;
  for (let s = 0; s < n; s++) {
    const r = reach[s];
    if ((r & (r - 1)) !== 0) (cls[s] = 2), biv++;
    else if (openReach[s]) (cls[s] = 3), unknown++;
    else if (r !== 0) (cls[s] = 1), perValue[31 - Math.clz32(r)]++;
    else none++;
  }
  const valence = (s: number): Valence => ({ kind: (["none", "univalent", "bivalent", "unknown"] as const)[cls[s]], values: values.filter((_, i) => reach[s] & (1 << i)) });
  const all = P >= 31 ? -1 : (1 << P) - 1;
  const pathEdges = (start: number, edges: readonly number[]): Witness => {
    const p = [...g.pathTo(start), ...edges.map((e) => g.instances[e])];
    return { path: p, steps: [...treeEdges(g, start).map((e) => g.edgeLabel(e)), ...edges.map((e) => g.edgeLabel(e))] };
  };

  // ---- Lemma 2: initial configurations. ----
  const initial: InitialConfiguration[] = [...g.initial].map((id) => ({ id, ...pathEdges(id, []), inputs: inputsOf.get(id), valence: valence(id) }));
  let adjacent: BivalenceResult["adjacent"];
  if (consensus.inputs) {
    search: for (let i = 0; i < initial.length; i++) {
      for (let j = i + 1; j < initial.length; j++) {
        const a = initial[i], b = initial[j];
        if (cls[a.id] === 3 || cls[b.id] === 3 || (cls[a.id] === cls[b.id] && reach[a.id] === reach[b.id])) continue;
        const diff = a.inputs!.map((x, p) => (key(x) !== key(b.inputs![p]) ? p : -1)).filter((p) => p >= 0);
        if (diff.length !== 1) continue;
        const p = diff[0];
        adjacent = { a: a.id, b: b.id, process: processes[p], run: silentRun(a.id, b.id, p) };
        break search;
      }
    }
  }
  /** A shortest run from x in which p takes no step and some other process decides, then the same events from y. */
  function silentRun(x: number, y: number, p: number) {
    const prev = new Map<number, number>([[x, -1]]);
    const queue = [x];
    let goal = -1;
    for (let q = 0; q < queue.length && goal < 0; q++) {
      const s = queue[q];
      if (decided[s] & ~(1 << p)) {
        goal = s;
        break;
      }
      for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) {
        const t = g.targets[e];
        if (t < 0 || edgeProc[e] === p || prev.has(t)) continue;
        prev.set(t, e);
        queue.push(t);
      }
    }
    if (goal < 0) return undefined;
    const edges = backEdges(g, prev, goal);
    const other = firstDecision(goal, p);
    let at = y;
    const mirror: number[] = [];
    for (const e of edges) {
      let found = -1;
      for (let f = g.offsets[at]; f < g.offsets[at + 1]; f++) if (edgeEvent[f] === edgeEvent[e] && g.targets[f] >= 0) found = f;
      if (found < 0) return { ...pathEdges(x, edges), decided: values[other] };
      mirror.push(found);
      at = g.targets[found];
    }
    const md = decided[at] & ~(1 << p) ? firstDecision(at, p) : -1;
    return { ...pathEdges(x, edges), decided: values[other], mirrored: { ...pathEdges(y, mirror), decided: md >= 0 ? values[md] : null } };
  }
  /** The value decided in s by a process other than `skip` (the highest-numbered one when Agreement fails there). */
  function firstDecision(s: number, skip: number): number {
    const dec = consensus.decision(stateAt(s) as S, params);
    for (let q = 0; q < P; q++) if (q !== skip && dec[q] !== null && dec[q] !== undefined) return valueIndex.get(key(dec[q]))!;
    return -1;
  }
  function stateAt(s: number): unknown {
    return g.stateOf(s);
  }

  // ---- Lemma 3 at the first bivalent initial configuration. ----
  let lemma3: BivalenceResult["lemma3"];
  const c0 = initial.find((c) => c.valence.kind === "bivalent");
  if (c0) {
    const C = c0.id;
    const events: { event: string; outcome: "stays-bivalent" | "never-bivalent" | "unknown"; witness?: Witness }[] = [];
    const seenEvents = new Set<number>();
    for (let e0 = g.offsets[C]; e0 < g.offsets[C + 1] && events.length < SHOW_EVENTS; e0++) {
      const ev = edgeEvent[e0];
      // FLP's events are steps (p receives m); a crash is not one: the crashed process just stops.
      if (seenEvents.has(ev) || g.targets[e0] === C || edgeProc[e0] === FAULT) continue;
      seenEvents.add(ev);
      const prev = new Map<number, number>([[C, -1]]);
      const queue = [C];
      let outcome: "stays-bivalent" | "never-bivalent" | "unknown" = "never-bivalent", witness: Witness | undefined;
      for (let q = 0; q < queue.length; q++) {
        const s = queue[q];
        if (open[s]) outcome = "unknown";
        let hit = -1;
        for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) {
          const t = g.targets[e];
          if (edgeEvent[e] === ev) {
            if (t >= 0 && cls[t] === 2) hit = e;
            else if (t < 0 || cls[t] === 3) outcome = "unknown";
            continue;
          }
          if (t < 0 || prev.has(t)) continue;
          prev.set(t, e);
          queue.push(t);
        }
        if (hit >= 0) {
          outcome = "stays-bivalent";
          witness = pathEdges(C, [...backEdges(g, prev, s), hit]);
          break;
        }
      }
      events.push({ event: g.edgeLabel(e0), outcome, witness });
    }
    lemma3 = { configuration: C, events };
  }

  // ---- Fair non-deciding runs. ----
  const fair: FairnessInput = { stateCount: n, offsets: g.offsets, targets: g.targets, edgeProc, crashed, pendStart, pendIds: pendCol.toArray(), pendTo: Int32Array.from(pendTo), processCount: P, maxFaulty: failure.maxFaulty };
  const bivalentSet = new Uint8Array(n), undecidedSet = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    if (!g.expanded[s]) continue;
    // Non-deciding: some live process is undecided (the bivalent run must be one too).
    if (!(all & ~crashed[s] & ~decided[s])) continue;
    undecidedSet[s] = 1;
    if (cls[s] === 2) bivalentSet[s] = 1;
  }
  const lassoReport = (l: Lasso | undefined): LassoReport | undefined => {
    if (!l) return undefined;
    if (!isFairLoop(fair, l.entry, l.loop)) throw new Error("internal: a lasso failed its own fairness check");
    const prefix = pathEdges(l.entry, []);
    let cm = 0;
    let at = l.entry;
    for (const e of l.loop) (cm |= crashed[at]), (at = g.targets[e]);
    cm |= crashed[l.entry];
    const states = [...statesAlong(g, prefix.path), ...l.loop.map((e) => g.targets[e])];
    return {
      valences: states.map(valence),
      prefix, loop: l.loop.map((e) => g.instances[e]), loopSteps: l.loop.map((e) => g.edgeLabel(e)), replayPath: [...prefix.path, ...l.loop.map((e) => g.instances[e])],
      crashed: processes.filter((_, p) => cm & (1 << p)), undecided: processes.filter((_, p) => !(decided[l.entry] & (1 << p)) && !(cm & (1 << p))),
    };
  };
  const bl = findFairCycle(fair, bivalentSet);
  const nd = findFairCycle(fair, undecidedSet);
  // Absence of a fair cycle is a claim about the whole graph: only when it is complete.
  let anyOpen = false;
  for (let s = 0; s < n && !anyOpen; s++) if (open[s]) anyOpen = true;

  // ---- Critical configurations. ----
  let criticalCount = 0;
  const criticalShown: BivalenceResult["critical"]["shown"][number][] = [];
  const showCritical = options.showCritical ?? 10;
  for (let s = 0; s < n; s++) {
    if (cls[s] !== 2 || open[s]) continue;
    let ok = g.offsets[s + 1] > g.offsets[s];
    for (let e = g.offsets[s]; e < g.offsets[s + 1] && ok; e++) ok = g.targets[e] >= 0 && cls[g.targets[e]] === 1;
    if (!ok) continue;
    criticalCount++;
    if (criticalShown.length < showCritical) {
      const evs: { event: string; valence: Valence }[] = [];
      for (let e = g.offsets[s]; e < g.offsets[s + 1]; e++) evs.push({ event: g.edgeLabel(e), valence: valence(g.targets[e]) });
      criticalShown.push({ id: s, ...pathEdges(s, []), events: evs });
    }
  }

  // ---- Blocking: a live, undecided process that can no longer decide. ----
  let blockedCount = 0, blockedFirst: BivalenceResult["blocking"]["first"];
  for (let s = 0; s < n; s++) {
    if (openReach[s]) continue;
    const stuck = all & ~crashed[s] & ~decided[s] & ~decideReach[s];
    if (!stuck) continue;
    blockedCount++;
    if (!blockedFirst) blockedFirst = { ...pathEdges(s, []), processes: processes.filter((_, p) => stuck & (1 << p)) };
  }
  const t3 = now();

  // ---- Safety. ----
  const safetyNames: [string, SafetyCheck["kind"]][] = [["Agreement", "agreement"]];
  if (consensus.inputs) safetyNames.push(["Validity", "validity"]);
  // The spec's own always-properties, by name (prefixed when a name is taken by the checks above).
  for (const p of alwaysProps) safetyNames.push([p.name === "Agreement" || p.name === "Validity" ? `spec:${p.name}` : p.name, "property"]);
  const safety: SafetyCheck[] = safetyNames.map(([name, kind]) => {
    const v = firstViolation.get(name);
    return v ? { name, kind, holds: false, counterexample: { ...pathEdges(v.id, []), explanation: v.explanation } } : { name, kind, holds: true };
  });
  const violated = safety.some((c) => !c.holds);
  const status = violated ? "violation" : g.result.status === "incomplete" ? "incomplete" : "ok";
  return {
    ...base, status, graph: graphSummary(g),
    counts: { bivalent: biv, univalent: values.map((value, i) => ({ value, states: perValue[i] })), none, unknown },
    initial, adjacent, lemma3, lasso: lassoReport(bl.lasso), nonDeciding: lassoReport(nd.lasso),
    fairCycles: { bivalent: bl.fairComponents, nonDeciding: nd.fairComponents, conclusive: !anyOpen },
    critical: { count: criticalCount, shown: criticalShown },
    blocking: { count: blockedCount, conclusive: !anyOpen, first: blockedFirst },
    safety, timing: { exploreMs: t1 - t0, labelMs: t2 - t1, valenceMs: t3 - t2 }, explore: g.result,
  };
}

function graphSummary(g: StateGraph): BivalenceResult["graph"] {
  let unexpanded = 0;
  for (let s = 0; s < g.stateCount; s++) if (!g.expanded[s]) unexpanded++;
  let outside = 0;
  for (let e = 0; e < g.edgeCount; e++) if (g.targets[e] < 0) outside++;
  return {
    distinctStates: g.stateCount, generatedStates: g.result.generatedStates, edges: g.edgeCount,
    complete: g.result.status !== "incomplete" && g.result.status !== "error" && unexpanded === 0 && outside === 0,
    incompleteReason: g.result.incompleteReason, bounded: g.result.bounded,
  };
}

/** The edges of a BFS back-pointer map (state -> the edge that reached it) from its root to `goal`. */
function backEdges(g: StateGraph, prev: Map<number, number>, goal: number): number[] {
  const out: number[] = [];
  for (let x = goal; prev.get(x)! >= 0; ) {
    const e = prev.get(x)!;
    out.push(e);
    x = edgeSource(g, e);
  }
  return out.reverse();
}

/** The edges of the BFS-tree path to `id` (the one pathTo gives), found through the graph's edges. */
/** The states a replay path visits, from its initial state. */
function statesAlong(g: StateGraph, path: readonly number[]): number[] {
  let at = -1;
  for (const i of g.initial) if (g.pathTo(i)[0] === path[0]) at = i;
  const out = [at];
  for (let k = 1; k < path.length; k++) {
    let next = -1;
    for (let e = g.offsets[at]; e < g.offsets[at + 1]; e++) if (g.instances[e] === path[k]) next = g.targets[e];
    out.push((at = next));
  }
  return out;
}

function treeEdges(g: StateGraph, id: number): number[] {
  const path = g.pathTo(id);
  // Walk from the initial state: at each step the edge with that instance.
  let at = -1;
  for (const i of g.initial) if (g.pathTo(i)[0] === path[0]) at = i;
  const out: number[] = [];
  for (let k = 1; k < path.length; k++) {
    let found = -1;
    for (let e = g.offsets[at]; e < g.offsets[at + 1]; e++) if (g.instances[e] === path[k]) found = e;
    out.push(found);
    at = g.targets[found];
  }
  return out;
}

function key(v: unknown): string {
  return canonicalCode(v).join(",");
}
