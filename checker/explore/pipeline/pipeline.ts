/**
 * The one successor pipeline. Every strategy (BFS, DFS, simulation, each worker of the
 * parallel BFS) and every analysis built on the state graph hands each generated state to
 * `admit` and each state it expands to `expand`; what that means lives here and only here:
 *
 * 1. generated: counted (TLC's convention: initial states plus one per successor computed,
 *    self-loops included), and per action for coverage;
 * 2. the constraint (TLC's CONSTRAINT): a state outside it is checked against the `always`
 *    properties, as TLC checks invariants on it, and then dropped: not distinct, not expanded;
 * 3. the visited set; a new state is charged to the state budget (`maxStates` is exact: the
 *    state that would exceed it stops the search instead of being admitted), recorded with
 *    its parent and successor index (counterexamples are rebuilt from these), and checked;
 * 4. expansion: sampled purity checks, terminal checks (deadlock, atEnd), the time and
 *    memory budgets and progress every 1,024 expansions.
 *
 * Verdicts are assembled from what it found in result.ts, which replays every
 * counterexample before it is reported.
 */
import type { Fingerprint } from "../../values/hash.ts";
import { Fingerprinter } from "../../values/fingerprint.ts";
import { checkDeterminism, shouldSample, type Successor } from "../expand/determinism.ts";
import type { CompiledProperty, BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import { FingerprintIndex } from "../store/fingerprint-index.ts";
import { FingerprintSet } from "../store/fingerprint-set.ts";
import { IntColumn } from "../store/int-column.ts";
import type { ExploreOptions, Progress } from "../types.ts";

/** A property verdict found on a state (a counterexample, or an example of a sometimes-property). */
export interface Found {
  readonly property: string;
  readonly kind: "always" | "sometimes" | "atEnd" | "deadlock";
  readonly explanation?: string;
  /**
   * Where: the recorded state `at` (a global id, see `gidOf`), followed by successor `step`
   * when the state itself was not recorded (a successor outside the constraint; -1 otherwise).
   * `at` is -1 for an initial state that was not recorded. Simulation gives `path` instead.
   */
  readonly at: number;
  readonly step: number;
  readonly path?: readonly number[];
  /** The state's fingerprint, which the replay must reproduce. */
  readonly fp: Fingerprint;
  readonly depth: number;
}

/** The distinct-state budget; parallel workers share one (see parallel/). */
export interface StateBudget {
  /** Reserves one more distinct state; false when the budget is spent. */
  take(): boolean;
  readonly limit: number;
}

export function localBudget(limit: number | undefined): StateBudget | undefined {
  if (limit === undefined) return undefined;
  let used = 0;
  return { limit, take: () => used < limit && ++used > 0 };
}

/** The state budget message, the same in every strategy. */
export const stateBudgetReason = (limit: number) => `state budget of ${limit} distinct states reached`;

export interface PipelineSetup {
  /** Record ids of duplicate states (`onEdge` then sees them), at 12 instead of 8 bytes a slot. */
  readonly indexIds?: boolean;
  /** Check properties (default true; the state graph can leave them out). */
  readonly checkProperties?: boolean;
  /** Global id of local state `id` (parallel workers number states across workers). */
  readonly gidOf?: (id: number) => number;
  readonly budget?: StateBudget;
  /** A successor `to` (a local id, -1 outside the constraint) of recorded state `from`. */
  readonly onEdge?: (from: number, to: number, instance: number, action: number) => void;
  /** Recorded state `id` is being expanded. */
  readonly onExpand?: (id: number) => void;
}

export class Pipeline {
  private readonly set: FingerprintSet | undefined;
  readonly index: FingerprintIndex | undefined;
  readonly parents = new IntColumn();
  readonly steps = new IntColumn();
  /** Scratch: the fingerprint of the state being admitted (strategies compute it in place). */
  readonly fp: Fingerprint = { hi: 0, lo: 0 };
  readonly fingerprinter = new Fingerprinter();
  generated = 0;
  /** Generated states outside the constraint (not distinct, not expanded). */
  byConstraint = 0;
  /** States not expanded because of the depth bound. */
  byDepth = 0;
  maxDepth = 0;
  maxQueue = 0;
  expanded = 0;
  /** The strategy's frontier size, for progress reports. */
  queued = 0;
  /** Set when the search must end: a violation, or a budget (then `stopped` says which). */
  stop = false;
  stopped: string | undefined = undefined;
  violation: Found | undefined = undefined;
  readonly examples = new Map<string, Found>();
  /** Coverage: per action, successors generated and new distinct states. */
  readonly enabledBy: Float64Array;
  readonly newBy: Float64Array;
  /** Called instead of the state for lazily built states (memoized successors arrive as frame edits). */
  materialize: () => unknown = () => undefined;
  readonly checkDeadlock: boolean;
  private readonly always: readonly CompiledProperty[];
  private readonly atEnd: readonly CompiledProperty[];
  pendingSometimes: CompiledProperty[];
  private readonly sampleDeterminism: boolean;
  private readonly budget: StateBudget | undefined;
  readonly gidOf: (id: number) => number;
  private readonly onEdge: PipelineSetup["onEdge"];
  private readonly onExpand: PipelineSetup["onExpand"];
  private readonly now: () => number;
  readonly start: number;
  private readonly deadline: number;
  private readonly hasConstraint: boolean;

  constructor(
    readonly model: BoundSpec,
    readonly options: ExploreOptions,
    setup: PipelineSetup = {},
  ) {
    if (setup.indexIds) this.index = new FingerprintIndex();
    else this.set = new FingerprintSet(1 << 12);
    const checked = setup.checkProperties ?? true;
    this.always = checked ? model.properties.filter((p) => p.kind === "always") : [];
    this.atEnd = checked ? model.properties.filter((p) => p.kind === "atEnd") : [];
    this.pendingSometimes = checked ? model.properties.filter((p) => p.kind === "sometimes") : [];
    this.checkDeadlock = checked && (options.checkDeadlock ?? model.spec.deadlockIsError ?? true);
    this.sampleDeterminism = options.checkDeterminism ?? true;
    this.budget = setup.budget ?? localBudget(options.maxStates);
    this.gidOf = setup.gidOf ?? ((id) => id);
    this.onEdge = setup.onEdge;
    this.onExpand = setup.onExpand;
    this.now = options.now ?? (() => 0);
    this.start = this.now();
    this.deadline = options.timeLimitMs !== undefined ? this.start + options.timeLimitMs : Infinity;
    this.hasConstraint = model.hasConstraint;
    this.enabledBy = new Float64Array(model.actionCount);
    this.newBy = new Float64Array(model.actionCount);
  }

  get distinct(): number {
    return this.parents.length;
  }

  get visitedBytes(): number {
    return (this.set ?? this.index)!.byteLength;
  }

  get hasTerminalChecks(): boolean {
    return this.checkDeadlock || this.atEnd.length > 0;
  }

  /**
   * A generated state (an initial state has parent -1, action -1 and its init index as
   * `instance`; `parent` is a global id, see `gidOf`); its fingerprint must be in `fp`, and `state` may be undefined when it is
   * built lazily (`materialize`). Returns its local id when it is new and to be expanded,
   * else -1 (seen before, outside the constraint, over budget, or failing a property).
   */
  admit(state: unknown, parent: number, instance: number, action: number, depth: number): number {
    return this.generatedState(state, parent, instance, action, depth) ? this.admitNew(state, parent, instance, action, depth) : -1;
  }

  /** Steps 1-2: counts the state and applies the constraint; false when the state is dropped. */
  generatedState(state: unknown, parent: number, instance: number, action: number, depth: number): boolean {
    this.generated++;
    if (action >= 0) this.enabledBy[action]++;
    if (!this.hasConstraint) return true;
    const s = state === undefined ? this.materialize() : state;
    if (this.model.inConstraint(s)) return true;
    this.byConstraint++;
    this.onEdge?.(parent, -1, instance, action);
    const at = parent;
    for (const p of this.always) {
      const why = p.violation(s);
      if (why !== undefined) return this.fail({ property: p.name, kind: "always", explanation: why || undefined, at, step: instance, fp: { ...this.fp }, depth });
    }
    return false;
  }

  /** Step 3: the visited set, the budget, the record and the property checks. */
  admitNew(state: unknown, parent: number, instance: number, action: number, depth: number): number {
    const fp = this.fp;
    const id = this.parents.length;
    if (this.set) {
      if (!this.set.add(fp.hi, fp.lo)) return -1;
    } else {
      const known = this.index!.addOrGet(fp.hi, fp.lo, id);
      if (known >= 0) {
        this.onEdge?.(parent, known, instance, action);
        return this.seenAgain(known, parent, instance, depth);
      }
    }
    if (this.budget && !this.budget.take()) {
      this.stopWith(stateBudgetReason(this.budget.limit));
      return -1;
    }
    this.parents.push(parent);
    this.steps.push(instance);
    if (action >= 0) this.newBy[action]++;
    this.onEdge?.(parent, id, instance, action);
    if (depth > this.maxDepth) this.maxDepth = depth;
    if (this.always.length !== 0 || this.pendingSometimes.length !== 0) {
      const s = state === undefined ? this.materialize() : state;
      if (this.checkNew(s, id, depth)) return -1;
    }
    return id;
  }

  /**
   * A state seen before, when ids are indexed. Depth-first search with a depth bound
   * re-expands a state found again on a shorter path (`reexpand`), so that it visits exactly
   * the states within the bound that breadth-first search visits.
   */
  private seenAgain(known: number, parent: number, instance: number, depth: number): number {
    if (!this.depths || depth >= this.depths.data[known]) return -1;
    this.depths.data[known] = depth;
    this.parents.data[known] = parent;
    this.steps.data[known] = instance;
    return known;
  }

  /** DFS with a depth bound: the depth of every recorded state (see `seenAgain`). */
  depths: IntColumn | undefined = undefined;

  /** Properties of a new state; true when the search must stop. */
  private checkNew(state: unknown, id: number, depth: number): boolean {
    for (const p of this.always) {
      const why = p.violation(state);
      if (why !== undefined) return this.fail({ property: p.name, kind: "always", explanation: why || undefined, at: this.gidOf(id), step: -1, fp: { ...this.fp }, depth });
    }
    if (this.pendingSometimes.length !== 0) this.checkSometimes(state, { at: this.gidOf(id), step: -1, depth });
    return false;
  }

  private checkSometimes(state: unknown, where: { at: number; step: number; path?: readonly number[]; depth: number }): void {
    this.pendingSometimes = this.pendingSometimes.filter((p) => {
      if (p.violation(state) !== undefined) return true;
      this.examples.set(p.name, { property: p.name, kind: "sometimes", ...where, fp: { ...this.fp } });
      return false;
    });
  }

  /**
   * Simulation's check of a state on a walk (no visited set decides what is checked: every
   * state of every walk is): the constraint, then the properties. `fp` must hold its
   * fingerprint. Returns false when the walk must end here (outside the constraint, or a
   * violation, which also sets `stop`).
   */
  checkWalkState(state: unknown, path: readonly number[], action: number): boolean {
    this.generated++;
    if (action >= 0) this.enabledBy[action]++;
    const depth = path.length - 1;
    const inside = !this.hasConstraint || this.model.inConstraint(state);
    if (!inside) this.byConstraint++;
    else if (this.set!.add(this.fp.hi, this.fp.lo)) {
      // Distinct states seen on the walks; they are not ids of anything (-1 parents).
      this.parents.push(-1);
      this.steps.push(-1);
      if (action >= 0) this.newBy[action]++;
    }
    if (depth > this.maxDepth) this.maxDepth = depth;
    for (const p of this.always) {
      const why = p.violation(state);
      if (why !== undefined) return this.fail({ property: p.name, kind: "always", explanation: why || undefined, at: -1, step: -1, path: path.slice(), fp: { ...this.fp }, depth });
    }
    if (inside && this.pendingSometimes.length !== 0) this.checkSometimes(state, { at: -1, step: -1, path: path.slice(), depth });
    return inside;
  }

  /**
   * Step 4: expands recorded state `id` at `depth`; `enumerate` hands every successor to
   * `admit` and returns how many were enabled. `observed`, when given, holds the
   * fingerprints of the successors `enumerate` produced (the expander clears and fills it),
   * which the sampled purity check compares with a real expansion.
   */
  expand(state: unknown, id: number, depth: number, enumerate: () => number, observed?: Successor[]): void {
    this.onExpand?.(id);
    const sampled = this.sampleDeterminism && shouldSample(id);
    const before = sampled ? this.fingerprintOf(state) : undefined;
    const enabled = enumerate();
    if (sampled) checkDeterminism(this.model, state, before!, () => this.pathHint(id), this.stop ? undefined : observed);
    if (enabled === 0 && !this.stop) this.terminal(state, this.gidOf(id), depth);
    if ((++this.expanded & 1023) === 0) this.checkBudgets(depth, this.queued);
  }

  /** Deadlock and atEnd checks of a state with no enabled action (also used by simulation, with its walk). */
  terminal(state: unknown, at: number, depth: number, path?: readonly number[]): void {
    if (!this.hasTerminalChecks) return;
    const fp = this.fingerprintOf(state);
    if (this.checkDeadlock) {
      this.fail({ property: "Deadlock", kind: "deadlock", explanation: "no action is enabled", at, step: -1, path, fp, depth });
      return;
    }
    for (const p of this.atEnd) {
      const why = p.violation(state);
      if (why !== undefined) {
        this.fail({ property: p.name, kind: "atEnd", explanation: why || undefined, at, step: -1, path, fp, depth });
        return;
      }
    }
  }

  /** Progress, and the time and memory budgets; `queued` is the strategy's frontier size. */
  checkBudgets(depth: number, queued: number): void {
    this.options.onProgress?.(this.progress(depth, queued));
    if (this.stop) return;
    if (this.now() > this.deadline) return this.stopWith(`time limit of ${(this.options.timeLimitMs! / 1000).toFixed(1)} s reached`);
    const over = this.options.overBudget?.();
    if (over) this.stopWith(over);
  }

  progress(depth: number, queued: number): Progress {
    return { distinctStates: this.parents.length, generatedStates: this.generated, depth, queueSize: queued, elapsedMs: this.now() - this.start };
  }

  elapsed(): number {
    return this.now() - this.start;
  }

  stopWith(reason: string): void {
    this.stop = true;
    this.stopped ??= reason;
  }

  private fail(f: Found): false {
    this.violation ??= f;
    this.stop = true;
    return false;
  }

  fingerprintOf(state: unknown): Fingerprint {
    const fp = { hi: 0, lo: 0 };
    this.fingerprinter.fingerprint(this.model.viewOf(state), fp);
    return fp;
  }

  /** The replay path of local state `id` (single-thread searches; workers leave paths to the coordinator). */
  pathHint(id: number): number[] {
    if (this.gidOf(0) !== 0 || this.gidOf(1) !== 1) return [];
    return pathTo(id, this.parents, this.steps);
  }
}

/** The replay path of state `id`: its init index followed by successor indices. */
export function pathTo(id: number, parents: IntColumn, steps: IntColumn): number[] {
  const path: number[] = [];
  for (let at = id; at >= 0; at = parents.data[at]) path.push(steps.data[at]);
  return path.reverse();
}

/** The path of a Found, given how to rebuild the path of a recorded state's global id. */
export function pathOfFound(f: Found, pathOf: (gid: number) => number[]): number[] {
  if (f.path) return f.path.slice();
  const base = f.at >= 0 ? pathOf(f.at) : [];
  return f.step >= 0 ? [...base, f.step] : base;
}

export { SpecError };
