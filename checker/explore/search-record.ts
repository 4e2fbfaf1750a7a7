/**
 * Bookkeeping shared by the search strategies: the visited set, the (parent, index) columns
 * that make counterexamples rebuildable, the counters, and property checks on new states.
 * Strategies own the order of exploration; this owns what is remembered about it.
 */
import { Encoder } from "../values/encode.ts";
import type { Fingerprint } from "../values/hash.ts";
import { Fingerprinter } from "../values/fingerprint.ts";
import { collisionProbability, FingerprintSet } from "./fingerprint-set.ts";
import type { CompiledProperty, Model } from "./model.ts";
import { SpecError } from "./spec-error.ts";
import { IntColumn, pathTo, rebuildTrace } from "./trace.ts";
import type { Discovery, ExploreOptions, ExploreResult, ExploreStatus, Strategy } from "./types.ts";

interface Found {
  property: string;
  kind: Discovery["kind"];
  explanation?: string;
  path: number[];
  fp: Fingerprint;
}

export class SearchRecord {
  readonly seen = new FingerprintSet(1 << 12);
  readonly parents = new IntColumn();
  readonly steps = new IntColumn();
  readonly fp: Fingerprint = { hi: 0, lo: 0 };
  readonly fingerprinter = new Fingerprinter();
  /** Holds the encoding of the last new state, for the frontier. */
  readonly stateEncoder = new Encoder();
  generated = 0;
  maxDepth = 0;
  maxQueue = 0;
  violation?: Found;
  readonly examples = new Map<string, Found>();
  private readonly always: CompiledProperty[];
  private readonly atEnd: CompiledProperty[];
  private pendingSometimes: CompiledProperty[];
  readonly checkDeadlock: boolean;
  readonly start: number;
  readonly now: () => number;
  private readonly deadline: number;

  /**
   * `encodeStates`: keep each new state's encoding in `stateEncoder` (BFS stores encoded
   * frontiers; DFS and simulation keep objects and skip that work). With a view the state is
   * encoded anyway, which also validates the parts the view leaves out.
   */
  constructor(
    readonly model: Model,
    readonly options: ExploreOptions,
    private readonly encodeStates = false,
  ) {
    this.always = model.properties.filter((p) => p.kind === "always");
    this.atEnd = model.properties.filter((p) => p.kind === "atEnd");
    this.pendingSometimes = model.properties.filter((p) => p.kind === "sometimes");
    this.checkDeadlock = options.checkDeadlock ?? model.spec.deadlockIsError ?? true;
    this.now = options.now ?? (() => 0);
    this.start = this.now();
    this.deadline = options.timeLimitMs !== undefined ? this.start + options.timeLimitMs : Infinity;
  }

  /**
   * Fingerprints `state` (into `this.fp`) and adds it to the visited set; when new, records
   * its parent and successor index and returns its id, else -1. With `encodeStates`, leaves
   * the full state's encoding in `stateEncoder`.
   */
  visit(state: unknown, parent: number, step: number): number {
    const view = this.model.hasView ? this.model.viewOf(state) : state;
    this.fingerprinter.fingerprint(view, this.fp);
    const id = this.recordIfNew(parent, step);
    if (id >= 0 && (this.encodeStates || this.model.hasView)) this.stateEncoder.encode(state);
    return id;
  }

  /** Adds `this.fp` to the visited set; when new, records the state's parent and step and returns its id, else -1. */
  recordIfNew(parent: number, step: number): number {
    if (!this.seen.add(this.fp.hi, this.fp.lo)) return -1;
    const id = this.parents.length;
    this.parents.push(parent);
    this.steps.push(step);
    return id;
  }

  /** States found outside the spec's constraint (counted and checked, not expanded). */
  byConstraint = 0;
  /** Set when a property failed: the strategy stops. */
  stop = false;

  /**
   * Admits a generated (or initial) state: fingerprints it, and when it is new records it,
   * checks its properties and returns its id if it is to be expanded. Returns -1 for a
   * state seen before, one outside the constraint, or one that failed a property (then
   * `stop` is set). The full state's encoding is left in `stateEncoder`.
   */
  admit(state: unknown, parent: number, step: number): number {
    return this.afterNew(this.visit(state, parent, step), state);
  }

  /** As `admit`, for a state (not a view of it) whose fingerprint the caller already put in `fp`. */
  admitFingerprinted(state: unknown, parent: number, step: number): number {
    return this.afterNew(this.recordIfNew(parent, step), state);
  }

  /** For a state `recordIfNew` just recorded as `id` (or -1): checks it as `admit` does; returns `id` if it is to be expanded, else -1. */
  afterNew(id: number, state: unknown): number {
    if (id < 0) return -1;
    if (this.checkNew(state, () => pathTo(id, this.parents, this.steps))) {
      this.stop = true;
      return -1;
    }
    if (this.model.hasConstraint && !this.model.inConstraint(state)) {
      this.byConstraint++;
      return -1;
    }
    return id;
  }

  /** Checks always- and sometimes-properties on a newly found state; true when the search must stop. */
  checkNew(state: unknown, path: () => number[]): boolean {
    for (const p of this.always) {
      const why = p.violation(state);
      if (why !== undefined) {
        this.violation = { property: p.name, kind: "always", explanation: why || undefined, path: path(), fp: { ...this.fp } };
        return true;
      }
    }
    if (this.pendingSometimes.length) {
      this.pendingSometimes = this.pendingSometimes.filter((p) => {
        if (p.violation(state) !== undefined) return true;
        this.examples.set(p.name, { property: p.name, kind: "sometimes", path: path(), fp: { ...this.fp } });
        return false;
      });
    }
    return false;
  }

  /** Checks a state with no enabled action (deadlock, atEnd properties); true when the search must stop. */
  checkTerminal(state: unknown, path: () => number[], fp: Fingerprint): boolean {
    if (this.checkDeadlock) {
      this.violation = { property: "Deadlock", kind: "deadlock", explanation: "no action is enabled", path: path(), fp };
      return true;
    }
    for (const p of this.atEnd) {
      const why = p.violation(state);
      if (why !== undefined) {
        this.violation = { property: p.name, kind: "atEnd", explanation: why || undefined, path: path(), fp };
        return true;
      }
    }
    return false;
  }

  get hasTerminalChecks(): boolean {
    return this.checkDeadlock || this.atEnd.length > 0;
  }

  /** A budget reason when the search must stop as incomplete, else undefined. */
  overBudget(): string | undefined {
    const { maxStates, overBudget } = this.options;
    if (maxStates !== undefined && this.parents.length >= maxStates) return `state budget of ${maxStates} distinct states reached`;
    if (this.now() > this.deadline) return `time limit of ${(this.options.timeLimitMs! / 1000).toFixed(1)} s reached`;
    return overBudget?.();
  }

  progress(depth: number, queueSize: number): void {
    this.options.onProgress?.({ distinctStates: this.parents.length, generatedStates: this.generated, depth, queueSize, elapsedMs: this.now() - this.start });
  }

  /** Assembles the result, rebuilding traces by replay. */
  finish(strategy: Strategy, stopped: string | undefined, extra: Partial<ExploreResult> = {}): ExploreResult {
    const model = this.model;
    const discovery = (f: Found): Discovery => {
      const { steps, reproduced } = rebuildTrace(model, f.path, f.fp);
      return { property: f.property, kind: f.kind, explanation: f.explanation, path: f.path, trace: steps, reproduced };
    };
    const examples = Object.fromEntries([...this.examples].map(([k, f]) => [k, discovery(f)]));
    let violation: ExploreResult["violation"] = this.violation ? discovery(this.violation) : undefined;
    let status: ExploreStatus = violation ? "violation" : stopped ? "incomplete" : "ok";
    if (status === "ok" && this.pendingSometimes.length) {
      const p = this.pendingSometimes[0];
      violation = { property: p.name, kind: "sometimes", explanation: `no reachable state satisfies ${p.name}${extra.bounded?.byDepth || extra.bounded?.byConstraint ? " within the bounds" : ""}` };
      status = "violation";
    }
    const distinct = this.parents.length;
    return {
      status,
      strategy,
      params: model.params,
      properties: model.properties.map((p) => ({ name: p.name, kind: p.kind })),
      distinctStates: distinct,
      generatedStates: this.generated,
      maxDepth: this.maxDepth,
      maxQueueSize: this.maxQueue,
      elapsedMs: this.now() - this.start,
      bytesPerState: distinct ? this.seen.byteLength / distinct : 0,
      traceBytesPerState: distinct ? (this.parents.byteLength + this.steps.byteLength) / distinct : 0,
      collisionProbability: collisionProbability(distinct, this.generated),
      violation,
      examples,
      incompleteReason: status === "incomplete" ? stopped : undefined,
      exhaustive: !stopped,
      ...extra,
    };
  }
}

/** Turns a SpecError thrown mid-search into an "error" result carrying the path that reached the state. */
export function errorResult(record: SearchRecord, strategy: Strategy, e: SpecError, pathToCurrent?: number[]): ExploreResult {
  const base = record.finish(strategy, undefined);
  const info = pathToCurrent && !e.info.path ? { ...e.info, path: pathToCurrent } : e.info;
  return { ...base, status: "error", violation: undefined, error: info, exhaustive: false };
}
