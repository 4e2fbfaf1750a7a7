/**
 * Breadth-first search: every reachable state within the bounds, level by level, so the
 * first violating state found has a shortest path. What happens to each state is the
 * pipeline's business (pipeline/); how a frontier entry becomes successors is the
 * expander's (expand/expander.ts); this file owns the order and the frontier.
 */
import { Encoder } from "../../values/encode.ts";
import { Expander } from "../expand/expander.ts";
import { encodeChecked, type BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import { Pipeline, pathTo, type PipelineSetup } from "../pipeline/pipeline.ts";
import { buildResult, outcomeOf } from "../pipeline/result.ts";
import type { StateQueue } from "../store/state-queue.ts";
import type { ExploreOptions, ExploreResult } from "../types.ts";

export function bfs(model: BoundSpec, options: ExploreOptions, setup: PipelineSetup = {}): ExploreResult {
  const run = new BfsRun(model, options, setup);
  return run.result(run.search());
}

/** One breadth-first search; the state graph (graph/) runs it with an edge recorder. */
export class BfsRun {
  readonly pipe: Pipeline;
  private readonly expander: Expander;
  private current: StateQueue;
  private next: StateQueue;
  private depth = 0;
  private parentId = -1;

  constructor(
    private readonly model: BoundSpec,
    private readonly options: ExploreOptions,
    setup: PipelineSetup,
  ) {
    this.pipe = new Pipeline(model, options, setup);
    this.expander = new Expander(model, options, this.pipe.fingerprinter, this.pipe.fp);
    this.pipe.materialize = () => this.expander.current();
    this.current = this.expander.queue();
    this.next = this.expander.queue();
  }

  /** Runs the search; returns the SpecError that ended it, if one did. */
  search(): SpecError | undefined {
    const pipe = this.pipe, maxDepth = this.options.maxDepth;
    try {
      const inits = this.model.initialStates();
      const encoder = new Encoder();
      for (let i = 0; i < inits.length && !pipe.stop; i++) {
        encodeChecked(encoder, inits[i], {});
        this.expander.root(inits[i]);
        this.enqueue(pipe.admit(inits[i], -1, i, -1, 0), this.current);
      }
      while (!pipe.stop && this.current.size > 0) {
        if (maxDepth !== undefined && this.depth >= maxDepth) {
          pipe.byDepth = this.current.size;
          break;
        }
        pipe.maxQueue = Math.max(pipe.maxQueue, this.current.size);
        this.expandLevel();
        if (pipe.stop) break;
        this.depth++;
        [this.current, this.next] = [this.next, this.current];
      }
    } catch (e) {
      if (e instanceof SpecError) return e.info.path || this.parentId < 0 ? e : e.withPath(pathTo(this.parentId, pipe.parents, pipe.steps));
      throw e;
    }
    return undefined;
  }

  private expandLevel(): void {
    const pipe = this.pipe, expander = this.expander;
    expander.sampling = this.options.checkDeterminism !== false;
    for (let entry = this.current.shift(); entry && !pipe.stop; entry = this.current.shift()) {
      const state = entry.state;
      this.parentId = entry.id;
      pipe.queued = this.current.size + this.next.size;
      pipe.expand(state, entry.id, this.depth, () => expander.expand(state, this.onSuccessor), expander.observed);
    }
    finishLevel(pipe, this.current, this.depth);
  }

  private readonly onSuccessor = (state: unknown, instance: number, action: number): void => {
    if (this.pipe.stop) return;
    this.enqueue(this.pipe.admit(state, this.parentId, instance, action, this.depth + 1), this.next);
  };

  private enqueue(id: number, queue: StateQueue): void {
    if (id < 0) return;
    const length = this.expander.frontierEntry();
    queue.push(id, this.expander.words, length);
  }

  result(error: SpecError | undefined): ExploreResult {
    return buildResult(this.model, outcomeOf(this.pipe, "bfs", error, { memo: this.expander.memoStats }));
  }
}

/**
 * A successor violation (depth + 1) ends a level at once, but a deadlock or atEnd violation
 * of a state still waiting at `depth` would be shorter: finish the level for those checks
 * only, so that the counterexample is a shortest one (the parallel workers do the same).
 */
export function finishLevel(pipe: Pipeline, waiting: StateQueue, depth: number): void {
  const found = pipe.violation;
  if (!found || found.depth <= depth || !pipe.hasTerminalChecks || pipe.stopped) return;
  pipe.violation = undefined;
  for (let entry = waiting.shift(); entry && !pipe.violation; entry = waiting.shift()) {
    if (pipe.model.successors(entry.state, () => {}) === 0) pipe.terminal(entry.state, pipe.gidOf(entry.id), depth);
  }
  pipe.violation ??= found;
}
