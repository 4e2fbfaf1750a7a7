/**
 * Zigzag paths (Netzer and Xu) as reachability in the checkpoint-interval graph.
 *
 * Interval (p, x) holds the events of p after its x-th checkpoint (x = 0: the initial one)
 * up to its next checkpoint, or to the end of its log (the volatile final checkpoint). The
 * graph has an edge (p, x) -> (p, x + 1) for process order and an edge (p, a) -> (q, b) for
 * each message sent in (p, a) and received in (q, b). A walk in this graph is a Z-path: each
 * message is sent in the interval its predecessor was received in or a later one (send before
 * or after that receive). A Z-path from checkpoint C(p, x) to C(q, y) is a walk from (p, x)
 * to some (q, b) with b < y.
 *
 * C(p, x) is on a Z-cycle iff (p, x) reaches some (p, b) with b < x; since (p, b) reaches
 * (p, x) by process order, that is iff (p, x - 1) and (p, x) lie in one strongly connected
 * component. So one SCC pass decides every checkpoint, in O(intervals + messages); the
 * witnesses (zCycles) are searched for the useless checkpoints only, within their component
 * (every walk between two of its nodes stays in it). The intervals of one process in one
 * component are contiguous.
 */
import { components } from "../graph/scc.ts";
import type { Computation } from "./computation.ts";

/** The interval graph: node ids per process are contiguous, in interval order. */
export interface IntervalGraph {
  /** First node of each process (one more entry: the node count). */
  readonly base: Int32Array;
  /** Per process, per event index, its interval. */
  readonly intervalOf: readonly Int32Array[];
  /** Message edges in compressed rows: those of node v are out[outStart[v] .. outStart[v+1]). */
  readonly outStart: Int32Array;
  readonly outNode: Int32Array;
  readonly outMessage: Int32Array;
  /** Reversed message edges, with the message each stands for. */
  readonly inStart: Int32Array;
  readonly inNode: Int32Array;
  readonly inMessage: Int32Array;
}

/** Compressed rows of the edges from[e] -> to[e], each with its label (a message index). */
function rows(n: number, from: Int32Array, to: Int32Array, label: Int32Array): { start: Int32Array; node: Int32Array; message: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let e = 0; e < from.length; e++) start[from[e] + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const fill = start.slice(0, n);
  const node = new Int32Array(from.length), message = new Int32Array(from.length);
  for (let e = 0; e < from.length; e++) {
    const k = fill[from[e]]++;
    node[k] = to[e];
    message[k] = label[e];
  }
  return { start, node, message };
}

/** The interval graph of a computation; messages never received have no edge. O(events + messages). */
export function intervalGraph(comp: Computation): IntervalGraph {
  const np = comp.processes.length;
  const base = new Int32Array(np + 1);
  for (let p = 0; p < np; p++) base[p + 1] = base[p] + comp.checkpoints[p].length;
  const intervalOf = comp.events.map((evs, p) => {
    const of = new Int32Array(evs.length);
    const cps = comp.checkpoints[p];
    let x = 0;
    for (let i = 0; i < evs.length; i++) {
      while (x + 1 < cps.length && cps[x + 1].position <= i) x++;
      of[i] = x;
    }
    return of;
  });
  const received = comp.messages.filter((m) => m.recvIndex >= 0).length;
  const from = new Int32Array(received), to = new Int32Array(received), label = new Int32Array(received);
  let e = 0;
  comp.messages.forEach((m, i) => {
    if (m.recvIndex < 0) return;
    from[e] = base[m.from] + intervalOf[m.from][m.sendIndex];
    to[e] = base[m.to] + intervalOf[m.to][m.recvIndex];
    label[e++] = i;
  });
  const n = base[np];
  const out = rows(n, from, to, label), rev = rows(n, to, from, label);
  return { base, intervalOf, outStart: out.start, outNode: out.node, outMessage: out.message, inStart: rev.start, inNode: rev.node, inMessage: rev.message };
}

/**
 * The strongly connected component of each node (../graph/scc.ts, iterative Tarjan), on a
 * CSR copy of the graph with the process-order edges made explicit. `last[v]` says whether v
 * is the last interval of its process (no process-order edge).
 */
export function intervalComponents(g: IntervalGraph, last: Uint8Array): Int32Array {
  const n = g.outStart.length - 1;
  const offsets = new Int32Array(n + 1), targets = new Int32Array(g.outNode.length + n);
  let k = 0;
  for (let v = 0; v < n; v++) {
    offsets[v] = k;
    if (!last[v]) targets[k++] = v + 1;
    for (let e = g.outStart[v]; e < g.outStart[v + 1]; e++) targets[k++] = g.outNode[e];
  }
  offsets[n] = k;
  return components({ stateCount: n, offsets, targets: targets.subarray(0, k) }).comp;
}

export interface ZCycle {
  readonly process: number;
  /** Index into comp.checkpoints[process] (1 or more: the initial checkpoint is never useless). */
  readonly checkpoint: number;
  /** Message indices: the first sent by the process after the checkpoint, the last received by it before. */
  readonly messages: number[];
}

export interface ZCycleOptions {
  /**
   * Work (edges looked at) allowed to the search for a shortest Z-cycle through one
   * checkpoint (default 4096); beyond it the witness is the one to the earliest interval.
   * Bounds the whole at O(useless * budget + processes * (intervals + messages)).
   */
  readonly searchBudget?: number;
}

/** Search state for one graph, reused from search to search: `stamp` marks the nodes of the current one. */
interface Scratch {
  readonly stamp: Int32Array;
  readonly node: Int32Array;
  readonly message: Int32Array;
  readonly queue: Int32Array;
}

const scratch = (n: number): Scratch => ({ stamp: new Int32Array(n).fill(-1), node: new Int32Array(n), message: new Int32Array(n), queue: new Int32Array(n) });

/**
 * Every checkpoint on a Z-cycle, by process then position, each with one Z-cycle through it:
 * a shortest one (fewest messages plus interval changes, found within the search budget), or
 * else one with the fewest messages among those back to the earliest interval of its process
 * in its component (one backward search per component and process serves every checkpoint
 * there, but the cycle can be long).
 */
export function zCycles(comp: Computation, options: ZCycleOptions = {}): ZCycle[] {
  const budget = options.searchBudget ?? 4096;
  const g = intervalGraph(comp);
  const np = comp.processes.length, n = g.base[np];
  const last = new Uint8Array(n);
  for (let p = 0; p < np; p++) last[g.base[p + 1] - 1] = 1;
  const scc = intervalComponents(g, last);
  const forward = scratch(n), backward = scratch(n);
  const out: ZCycle[] = [];
  for (let p = 0; p < np; p++) {
    // The first node of p in the current component, and whether its backward search ran.
    let first = g.base[p], searched = false;
    for (let v = g.base[p] + 1; v < g.base[p + 1]; v++) {
      if (scc[v] !== scc[v - 1]) {
        first = v;
        searched = false;
        continue;
      }
      let messages = shortestReturn(g, scc, last, g.base[p], v, budget, forward);
      if (!messages) {
        if (!searched) searchTo(g, scc, last, first, backward);
        searched = true;
        messages = [];
        for (let u = v; u !== first; u = backward.node[u]) if (backward.message[u] >= 0) messages.push(backward.message[u]);
      }
      out.push({ process: p, checkpoint: v - g.base[p], messages });
    }
  }
  return out;
}

/**
 * Shortest walk (in edges: messages and process-order steps) from `start` to an earlier
 * interval of its process (nodes lo .. start-1), within `start`'s component, by breadth-first
 * search: local, so a short cycle is found after little work. Undefined when the work (edges
 * looked at) exceeds `budget`.
 */
function shortestReturn(g: IntervalGraph, scc: Int32Array, last: Uint8Array, lo: number, start: number, budget: number, s: Scratch): number[] | undefined {
  const c = scc[start];
  let head = 0, tail = 0, work = 0;
  s.stamp[start] = start;
  s.queue[tail++] = start;
  while (head < tail) {
    const v = s.queue[head++];
    // The process-order step first (as edge index outStart[v] - 1), then v's messages.
    for (let k = g.outStart[v] - 1; k < g.outStart[v + 1]; k++) {
      if (++work > budget) return undefined;
      const u = k < g.outStart[v] ? (last[v] ? -1 : v + 1) : g.outNode[k];
      if (u < 0 || scc[u] !== c || s.stamp[u] === start) continue;
      s.stamp[u] = start;
      s.node[u] = v;
      s.message[u] = k < g.outStart[v] ? -1 : g.outMessage[k];
      if (u >= lo && u < start) {
        const messages: number[] = [];
        for (let w = u; w !== start; w = s.node[w]) if (s.message[w] >= 0) messages.push(s.message[w]);
        return messages.reverse();
      }
      s.queue[tail++] = u;
    }
  }
  return undefined;
}

/**
 * Fewest-message walks to `target` from every node of its component: a breadth-first search
 * over reversed message edges, where reaching (q, y) also reaches the earlier intervals of q
 * in the component at no cost (process order). Leaves, per reached node u, the next node and
 * the message of that step (-1: a process-order step to u + 1).
 */
function searchTo(g: IntervalGraph, scc: Int32Array, last: Uint8Array, target: number, s: Scratch): void {
  const c = scc[target];
  let head = 0, tail = 0;
  const reach = (u: number, via: number, message: number) => {
    s.stamp[u] = target;
    s.node[u] = via;
    s.message[u] = message;
    s.queue[tail++] = u;
    // Earlier intervals of the same process reach u by process order; they are contiguous in the component.
    for (let w = u - 1; w >= 0 && !last[w] && scc[w] === c && s.stamp[w] !== target; w--) {
      s.stamp[w] = target;
      s.node[w] = w + 1;
      s.message[w] = -1;
      s.queue[tail++] = w;
    }
  };
  reach(target, -1, -1);
  while (head < tail) {
    const v = s.queue[head++];
    for (let k = g.inStart[v]; k < g.inStart[v + 1]; k++) {
      const u = g.inNode[k];
      if (scc[u] === c && s.stamp[u] !== target) reach(u, v, g.inMessage[k]);
    }
  }
}
