/**
 * Breadth-first path searches over the dependency graph, used to turn a strongly
 * connected component into a short, concrete cycle. Every search charges a shared step
 * budget so that a pathological component ends the search with "unknown", not a hang.
 */
import { EDGE, type EdgeKindName } from "./edges.ts";
import type { CsrGraph } from "./graph.ts";

/** One edge of a reported cycle, labelled with the single kind that justifies it. */
export interface CycleStep {
  readonly from: number;
  readonly to: number;
  readonly kind: EdgeKindName;
}

/** Work allowance shared by all searches of one check; `exhausted` once it runs out. */
export interface Budget {
  steps: number;
  exhausted: boolean;
  readonly deadline: number;
  readonly now: () => number;
  /** True when the process uses more memory than allowed (read with the clock). */
  readonly memoryExceeded?: () => boolean;
  /** Which budget ran out first, once `exhausted`. */
  reason?: "steps" | "time" | "memory";
}

const PREFERENCE: EdgeKindName[] = ["ww", "wr", "rw", "process", "realtime"];

/** The most telling single kind among `kinds`: data dependencies before order edges. */
export function preferredKind(kinds: number): EdgeKindName {
  for (const k of PREFERENCE) if (kinds & EDGE[k]) return k;
  throw new Error(`no edge kind in ${kinds}`);
}

/** Reusable scratch arrays for searches over one graph (stamped, so never cleared). */
export class Searcher {
  private stamp: Int32Array;
  private parent: Int32Array;
  private parentKind: Uint8Array;
  private generation = 0;
  private charges = 0;
  private queue: Int32Array;

  constructor(
    readonly graph: CsrGraph,
    readonly budget: Budget,
  ) {
    // Room for two states per node, used by the non-adjacent search.
    const size = graph.n * 2;
    this.stamp = new Int32Array(size);
    this.parent = new Int32Array(size);
    this.parentKind = new Uint8Array(size);
    this.queue = new Int32Array(size);
  }

  /** Charges `n` steps; false (and marks the budget exhausted) when none are left. */
  private charge(n: number): boolean {
    this.budget.steps -= n;
    // Reading the clock on every step would dominate; every 1024 charges is plenty.
    if (this.budget.exhausted) return false;
    if (this.budget.steps < 0) this.exhaust("steps");
    else if ((++this.charges & 1023) === 1) {
      if (this.budget.now() > this.budget.deadline) this.exhaust("time");
      else if (this.budget.memoryExceeded?.()) this.exhaust("memory");
    }
    return !this.budget.exhausted;
  }

  private exhaust(reason: "steps" | "time" | "memory"): void {
    this.budget.exhausted = true;
    this.budget.reason ??= reason;
  }

  /**
   * Shortest path from `from` to any node in `targets` using edges in `mask` and nodes
   * accepted by `member`. Returns the steps (empty when from is a target), or null.
   */
  path(from: number, isTarget: (v: number) => boolean, mask: number, member: (v: number) => boolean): CycleStep[] | null {
    const g = this.graph;
    const gen = ++this.generation;
    this.stamp[from] = gen;
    let head = 0;
    let tail = 0;
    this.queue[tail++] = from;
    while (head < tail) {
      const v = this.queue[head++];
      if (v !== from && isTarget(v)) return this.unwind(from, v, (x) => x, (k) => preferredKind(k));
      const start = g.offsets[v];
      const end = g.offsets[v + 1];
      if (!this.charge(end - start + 1)) return null;
      for (let e = start; e < end; e++) {
        const k = g.kinds[e] & mask;
        if (k === 0) continue;
        const w = g.targets[e];
        if (this.stamp[w] === gen || !member(w)) continue;
        this.stamp[w] = gen;
        this.parent[w] = v;
        this.parentKind[w] = k;
        this.queue[tail++] = w;
      }
    }
    return null;
  }

  /**
   * Shortest walk from state (from, after rw) to (to, after non-rw) in which no two rw
   * edges are adjacent: closing it with an rw edge `to -> from` gives a cycle whose rw
   * edges are all non-adjacent. The walk may revisit a node; callers check simplicity.
   */
  nonadjacentWalk(from: number, to: number, mask: number, member: (v: number) => boolean): CycleStep[] | null {
    const g = this.graph;
    const gen = ++this.generation;
    const start = from * 2 + 1;
    const goal = to * 2;
    this.stamp[start] = gen;
    let head = 0;
    let tail = 0;
    this.queue[tail++] = start;
    while (head < tail) {
      const s = this.queue[head++];
      if (s === goal) return this.unwind(start, s, (x) => x >> 1, (k) => (k === EDGE.rw ? "rw" : preferredKind(k)));
      const v = s >> 1;
      const afterRw = (s & 1) === 1;
      const begin = g.offsets[v];
      const end = g.offsets[v + 1];
      if (!this.charge(end - begin + 1)) return null;
      for (let e = begin; e < end; e++) {
        const k = g.kinds[e] & mask;
        if (k === 0) continue;
        const w = g.targets[e];
        if (!member(w)) continue;
        const plain = k & ~EDGE.rw;
        if (plain && this.visit(gen, s, w * 2, plain, tail)) tail++;
        if (!afterRw && k & EDGE.rw && this.visit(gen, s, w * 2 + 1, EDGE.rw, tail)) tail++;
      }
    }
    return null;
  }

  private visit(gen: number, from: number, state: number, kind: number, tail: number): boolean {
    if (this.stamp[state] === gen) return false;
    this.stamp[state] = gen;
    this.parent[state] = from;
    this.parentKind[state] = kind;
    this.queue[tail] = state;
    return true;
  }

  private unwind(
    start: number,
    end: number,
    node: (s: number) => number,
    label: (kinds: number) => EdgeKindName,
  ): CycleStep[] {
    const steps: CycleStep[] = [];
    for (let s = end; s !== start; s = this.parent[s]) {
      steps.push({ from: node(this.parent[s]), to: node(s), kind: label(this.parentKind[s]) });
    }
    return steps.reverse();
  }
}

/** True when no node repeats along the cycle made of `steps`. */
export function isSimpleCycle(steps: readonly CycleStep[]): boolean {
  const seen = new Set<number>();
  for (const s of steps) {
    if (seen.has(s.from)) return false;
    seen.add(s.from);
  }
  return true;
}
