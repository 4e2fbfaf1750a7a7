/**
 * The reachable state graph, for the analyses that build on the explorer (valence of
 * configurations, trace validation, fair cycles): the same BFS and the same pipeline as
 * `explore`, with every successor recorded as an edge. Compact typed arrays, in CSR form:
 * the edges of state s are `offsets[s] .. offsets[s + 1]`, each with its target (a state id,
 * or -1 for a successor outside the constraint), its successor index (the replay step) and
 * its action. State ids are BFS order, so `pathTo` gives a shortest path; `stateOf` rebuilds
 * a state by replaying it (states are not kept: the graph stays small).
 */
import type { ParamDecls, Spec } from "../../spec/spec.ts";
import { bindModel } from "../explore.ts";
import type { BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import { pathTo } from "../pipeline/pipeline.ts";
import { preflightError } from "../pipeline/result.ts";
import { replayStates } from "../replay/trace.ts";
import { IntColumn } from "../store/int-column.ts";
import { BfsRun } from "../strategies/bfs.ts";
import type { ExploreOptions, ExploreResult } from "../types.ts";

export interface StateGraph {
  /** The explore result of the same search (counts, bounds, coverage; a budget stop makes the graph partial). */
  readonly result: ExploreResult;
  readonly stateCount: number;
  readonly edgeCount: number;
  /** Ids of the initial states (duplicates and states outside the constraint left out). */
  readonly initial: Int32Array;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly instances: Int32Array;
  readonly actions: Int32Array;
  readonly actionNames: readonly string[];
  /** 1 for a state whose successors are in the graph, 0 for one at the depth bound or left when a budget ran out. */
  readonly expanded: Uint8Array;
  /** The replay path (init index, successor indices) of a state: a shortest one. */
  pathTo(id: number): number[];
  /** The state with this id (rebuilt by replay). */
  stateOf(id: number): unknown;
  /** The label of edge e (the spec's formatting of its action and arguments). */
  edgeLabel(e: number): string;
}

export interface GraphOptions extends Omit<ExploreOptions, "strategy" | "workers"> {
  /**
   * Check the spec's properties too (default false: the graph is what an analysis wants,
   * and a violation would end the search). With true, a violation ends it as in `explore`.
   */
  readonly checkProperties?: boolean;
}

/** Explores `spec` breadth-first and returns its reachable graph. Throws ParamError for bad params. */
export function exploreGraph<S, D extends ParamDecls>(spec: Spec<S, D>, options: GraphOptions = {}): StateGraph {
  let model: BoundSpec;
  try {
    model = bindModel(spec, options);
  } catch (e) {
    if (e instanceof SpecError) return emptyGraph(preflightError(undefined, "bfs", e.info));
    throw e;
  }
  const from = new IntColumn(), to = new IntColumn(), step = new IntColumn(), act = new IntColumn(), initial = new IntColumn();
  const checkProperties = options.checkProperties ?? false;
  const initialSeen = new Set<number>();
  const expandedIds = new IntColumn();
  const run = new BfsRun(model, { ...options, checkDeadlock: checkProperties ? options.checkDeadlock : false }, {
    indexIds: true,
    checkProperties,
    onExpand: (id) => expandedIds.push(id),
    onEdge: (parent, target, instance, action) => {
      if (parent < 0) {
        if (target >= 0 && !initialSeen.has(target)) {
          initialSeen.add(target);
          initial.push(target);
        }
        return;
      }
      from.push(parent);
      to.push(target);
      step.push(instance);
      act.push(action);
    },
  });
  const result = run.result(run.search());
  const n = run.pipe.distinct, m = from.length;
  // Edges arrive grouped by parent (a state's successors come together) and parents in id
  // order (BFS expands its FIFO frontier in admission order), so the CSR arrays are the
  // columns as they are; only the offsets need computing.
  const offsets = new Int32Array(n + 1);
  const expanded = new Uint8Array(n);
  for (let e = 0; e < m; e++) offsets[from.data[e] + 1]++;
  for (let s = 0; s < n; s++) offsets[s + 1] += offsets[s];
  for (let i = 0; i < expandedIds.length; i++) expanded[expandedIds.data[i]] = 1;
  const parents = run.pipe.parents, steps = run.pipe.steps;
  const graph: StateGraph = {
    result,
    stateCount: n,
    edgeCount: m,
    initial: initial.toArray(),
    offsets,
    targets: to.toArray(),
    instances: step.toArray(),
    actions: act.toArray(),
    actionNames: model.actionNames,
    expanded,
    pathTo: (id) => pathTo(id, parents, steps),
    stateOf: (id) => {
      const states = replayStates(model, pathTo(id, parents, steps));
      return states[states.length - 1];
    },
    edgeLabel: (e) => {
      const s = graph.stateOf(from.data[e]);
      const what = model.describeInstance(s, step.data[e])!;
      return model.formatAction(what.name, what.args);
    },
  };
  return graph;
}

function emptyGraph(result: ExploreResult): StateGraph {
  const none = new Int32Array(0);
  return {
    result, stateCount: 0, edgeCount: 0, initial: none, offsets: new Int32Array(1), targets: none, instances: none, actions: none, actionNames: [],
    expanded: new Uint8Array(0), pathTo: () => [], stateOf: () => undefined, edgeLabel: () => "",
  };
}
