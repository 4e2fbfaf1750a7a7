/**
 * Finds the dependency cycles of a transaction graph and names them (G0, G1c, G-single,
 * G-nonadjacent, G2-item and their -process/-realtime variants). Existence is decided
 * exactly and in linear time by strongly connected components; breadth-first searches
 * inside a component then find a short witness cycle to report.
 */
import type { Anomaly, AnomalyType } from "./anomaly.ts";
import { DATA_EDGES, EDGE, ORDER_EDGES } from "./edges.ts";
import type { CsrGraph } from "./graph.ts";
import { nontrivialSccs } from "./scc.ts";
import { isSimpleCycle, Searcher, type CycleStep } from "./search.ts";
import { nonadjacentCandidates } from "./state-graph.ts";

/** What the cycle search found. */
export interface CycleFindings {
  readonly anomalies: Anomaly[];
  /** True when G-single / G-nonadjacent could be neither found nor ruled out (SI undecided). */
  readonly siUndecided: boolean;
  /** Whether any cycle exists with data edges only (serializability is violated). */
  readonly dataCycle: boolean;
  /** Whether any cycle exists once order edges are added. */
  readonly orderedCycle: boolean;
}

const WWR = EDGE.ww | EDGE.wr;

/** Searches `graph` for cycles; `withOrder` adds process/realtime edges in a second pass. */
export function findCycles(graph: CsrGraph, searcher: Searcher, withOrder: boolean): CycleFindings {
  const anomalies: Anomaly[] = [];
  let siUndecided = false;
  const dataComp = new Int32Array(graph.n).fill(-1);
  const dataSccs = nontrivialSccs({ graph, mask: DATA_EDGES });
  dataSccs.forEach((scc, c) => {
    for (const v of scc) dataComp[v] = c;
    const member = (v: number) => dataComp[v] === c;
    const found = classifyComponent(graph, searcher, scc, member);
    anomalies.push(...found.anomalies);
    siUndecided ||= found.siUndecided;
  });
  let orderedCycle = dataSccs.length > 0;
  if (withOrder) {
    const fullComp = new Int32Array(graph.n).fill(-1);
    nontrivialSccs({ graph, mask: DATA_EDGES | ORDER_EDGES }).forEach((scc, c) => {
      orderedCycle = true;
      for (const v of scc) fullComp[v] = c;
      const witness = orderedWitness(graph, searcher, scc, dataComp, (v) => fullComp[v] === c);
      if (witness) anomalies.push(witness);
    });
  }
  return { anomalies, siUndecided, dataCycle: dataSccs.length > 0, orderedCycle };
}

function classifyComponent(
  graph: CsrGraph,
  searcher: Searcher,
  scc: Int32Array,
  member: (v: number) => boolean,
): { anomalies: Anomaly[]; siUndecided: boolean } {
  const out: Anomaly[] = [];
  const push = (type: AnomalyType, cycle: CycleStep[] | null) => {
    if (cycle) out.push({ type, txns: cycle.map((s) => s.from), message: "", cycle });
  };
  // G0: a cycle of write-write edges alone.
  const ww = nontrivialSccs({ graph, mask: EDGE.ww, nodes: scc, member });
  if (ww.length) push("G0", cycleThrough(searcher, ww[0], EDGE.ww));
  // G1c: a ww/wr cycle through at least one wr edge.
  for (const sub of nontrivialSccs({ graph, mask: WWR, nodes: scc, member })) {
    const inSub = memberOf(sub);
    const edge = firstEdge(graph, sub, inSub, EDGE.wr);
    if (!edge) continue;
    const back = searcher.path(edge[1], (v) => v === edge[0], WWR, inSub);
    if (back) push("G1c", [{ from: edge[0], to: edge[1], kind: "wr" }, ...back]);
    break;
  }
  // G-single and G-nonadjacent: cycles whose rw edges are never adjacent. The state graph
  // proves their absence exactly; otherwise look for a witness within the step budget.
  const candidates = nonadjacentCandidates(graph, scc, member);
  let siUndecided = false;
  if (candidates.length) {
    const single = gSingle(searcher, candidates, member);
    if (single) push("G-single", single);
    else {
      const nonadjacent = gNonadjacent(searcher, candidates, member);
      // A single rw edge only shows up here when the G-single search ran out of budget.
      const rwCount = nonadjacent?.filter((s) => s.kind === "rw").length ?? 0;
      if (nonadjacent) push(rwCount === 1 ? "G-single" : "G-nonadjacent", nonadjacent);
      else siUndecided = true;
    }
  }
  if (out.length === 0) push("G2-item", shortestThrough(searcher, scc, member, EDGE.rw, DATA_EDGES, () => "rw"));
  return { anomalies: out, siUndecided };
}

/** A cycle with exactly one rw edge: rw edge u -> v closed by a ww/wr path v ~> u. */
function gSingle(searcher: Searcher, rwEdges: [number, number][], member: (v: number) => boolean): CycleStep[] | null {
  const byTarget = new Map<number, Set<number>>();
  for (const [u, v] of rwEdges) {
    let set = byTarget.get(v);
    if (!set) byTarget.set(v, (set = new Set()));
    set.add(u);
  }
  for (const [v, sources] of byTarget) {
    const back = searcher.path(v, (x) => sources.has(x), WWR, member);
    if (back) {
      const u = back[back.length - 1].to;
      return [{ from: u, to: v, kind: "rw" }, ...back];
    }
    if (searcher.budget.exhausted) return null;
  }
  return null;
}

/** A simple cycle with two or more rw edges, none adjacent (Elle's G-nonadjacent). */
function gNonadjacent(searcher: Searcher, rwEdges: [number, number][], member: (v: number) => boolean): CycleStep[] | null {
  for (const [u, v] of rwEdges) {
    const walk = searcher.nonadjacentWalk(v, u, DATA_EDGES, member);
    if (walk) {
      const cycle: CycleStep[] = [{ from: u, to: v, kind: "rw" }, ...walk];
      if (isSimpleCycle(cycle)) return cycle;
    }
    if (searcher.budget.exhausted) return null;
  }
  return null;
}

/** A cycle that needs an order edge: one joining two different data components. */
function orderedWitness(
  graph: CsrGraph,
  searcher: Searcher,
  scc: Int32Array,
  dataComp: Int32Array,
  member: (v: number) => boolean,
): Anomaly | null {
  const cycle = shortestThrough(
    searcher,
    scc,
    member,
    ORDER_EDGES,
    DATA_EDGES | ORDER_EDGES,
    (kinds) => (kinds & EDGE.process ? "process" : "realtime"),
    (u, v) => dataComp[u] === -1 || dataComp[u] !== dataComp[v],
  );
  if (!cycle) return null;
  const rw = cycle.filter((s) => s.kind === "rw").length;
  const base = rw === 0 ? (cycle.some((s) => s.kind === "wr") ? "G1c" : "G0") : rw === 1 ? "G-single" : "G2-item";
  const suffix = cycle.some((s) => s.kind === "realtime") ? "realtime" : "process";
  return { type: `${base}-${suffix}` as AnomalyType, txns: cycle.map((s) => s.from), message: "", cycle };
}

/** A shortest cycle through the first node of `sub` using `mask` edges (ww here). */
function cycleThrough(searcher: Searcher, sub: Int32Array, mask: number): CycleStep[] | null {
  const member = memberOf(sub);
  const start = sub[0];
  const g = searcher.graph;
  for (let e = g.offsets[start]; e < g.offsets[start + 1]; e++) {
    const w = g.targets[e];
    if (!(g.kinds[e] & mask) || !member(w)) continue;
    const back = searcher.path(w, (v) => v === start, mask, member);
    if (back) return [{ from: start, to: w, kind: "ww" }, ...back];
  }
  return null;
}

function memberOf(nodes: Int32Array): (v: number) => boolean {
  const set = new Set(nodes);
  return (v) => set.has(v);
}

function firstEdge(
  g: CsrGraph,
  nodes: Int32Array,
  member: (v: number) => boolean,
  mask: number,
  accept: (u: number, v: number) => boolean = () => true,
): [number, number] | null {
  for (const u of nodes) {
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      const v = g.targets[e];
      if (g.kinds[e] & mask && member(v) && accept(u, v)) return [u, v];
    }
  }
  return null;
}

/** Cycles tried per component when looking for a short witness; each costs one BFS. */
const WITNESS_TRIES = 32;

/**
 * The shortest cycle found through one of the first few edges of kind `edgeMask` (accepted
 * by `accept`), closed by a path over `pathMask` edges.
 */
function shortestThrough(
  searcher: Searcher,
  nodes: Int32Array,
  member: (v: number) => boolean,
  edgeMask: number,
  pathMask: number,
  label: (kinds: number) => CycleStep["kind"],
  accept: (u: number, v: number) => boolean = () => true,
): CycleStep[] | null {
  const g = searcher.graph;
  let best: CycleStep[] | null = null;
  let tries = 0;
  for (const u of nodes) {
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      const v = g.targets[e];
      if (!(g.kinds[e] & edgeMask) || !member(v) || !accept(u, v)) continue;
      const back = searcher.path(v, (x) => x === u, pathMask, member);
      if (back && (!best || back.length + 1 < best.length)) best = [{ from: u, to: v, kind: label(g.kinds[e]) }, ...back];
      if (++tries >= WITNESS_TRIES || searcher.budget.exhausted || best?.length === 2) return best;
    }
  }
  return best;
}
