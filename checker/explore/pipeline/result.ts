/**
 * From what a search found to its verdict, the same for every strategy. No verdict is taken
 * on the search's word: every counterexample and example is replayed from its initial state
 * and must reach the recorded fingerprint and really violate (or satisfy) its property; one
 * that does not is a spec error (non-determinism), never a verdict. A `sometimes` property
 * with no example fails only after an exhaustive search; otherwise the result is incomplete.
 */
import { collisionProbability } from "../store/fingerprint-set.ts";
import type { MemoStats } from "../expand/action-memo.ts";
import type { BoundSpec } from "../model/bound-spec.ts";
import { SpecError, type SpecErrorInfo } from "../model/spec-error.ts";
import { rebuildTrace } from "../replay/trace.ts";
import type { ActionCoverage, Discovery, ExploreResult, ExploreStatus, Strategy, TraceStep } from "../types.ts";
import { blameOf, type ConjunctStatus } from "../../spec/conjuncts.ts";
import { pathOfFound, pathTo, type Found, type Pipeline } from "./pipeline.ts";

export interface SearchOutcome {
  readonly strategy: Strategy;
  readonly workers: number;
  readonly violation?: Found;
  readonly examples: Iterable<Found>;
  /** Sometimes-properties with no example. */
  readonly pendingSometimes: readonly string[];
  /** Rebuilds the replay path of a recorded state's global id. */
  readonly pathOf: (gid: number) => number[];
  readonly distinct: number;
  readonly generated: number;
  readonly maxDepth: number;
  readonly maxQueue: number;
  readonly elapsedMs: number;
  readonly visitedBytes: number;
  readonly traceBytes: number;
  readonly byDepth: number;
  readonly byConstraint: number;
  readonly enabledBy: ArrayLike<number>;
  readonly newBy: ArrayLike<number>;
  /** Per action and named guard: instances it disabled (default: the model's own counters). */
  readonly guardFailures?: readonly ArrayLike<number>[];
  /** Why a budget stopped the search. */
  readonly stopped?: string;
  readonly error?: SpecErrorInfo;
  readonly memo?: MemoStats;
  /** Simulation: not exhaustive whatever happens. */
  readonly partial?: boolean;
  readonly seed?: number;
  readonly runs?: number;
}

/** What a single-thread search's pipeline found, as a SearchOutcome (`extra` adds or overrides). */
export function outcomeOf(pipe: Pipeline, strategy: Strategy, error: SpecError | undefined, extra: Partial<SearchOutcome> = {}): SearchOutcome {
  return {
    strategy,
    workers: 1,
    violation: pipe.violation,
    examples: pipe.examples.values(),
    pendingSometimes: pipe.pendingSometimes.map((p) => p.name),
    pathOf: (id) => pathTo(id, pipe.parents, pipe.steps),
    distinct: pipe.distinct,
    generated: pipe.generated,
    maxDepth: pipe.maxDepth,
    maxQueue: pipe.maxQueue,
    elapsedMs: pipe.elapsed(),
    visitedBytes: pipe.visitedBytes,
    traceBytes: pipe.parents.byteLength + pipe.steps.byteLength,
    byDepth: pipe.byDepth,
    byConstraint: pipe.byConstraint,
    enabledBy: pipe.enabledBy,
    newBy: pipe.newBy,
    // A violation is the verdict even when a budget ran out in the same step.
    stopped: pipe.violation ? undefined : pipe.stopped,
    error: error?.info,
    ...extra,
  };
}

export function buildResult(model: BoundSpec, o: SearchOutcome): ExploreResult {
  // Taken before the replays below, which evaluate guards too. Memoized hits run no guard,
  // so their counts would be partial: none are reported then.
  const failures = o.memo ? undefined : (o.guardFailures ?? model.guardFailures).map((g) => Array.from(g));
  let error = o.error;
  let violation: ExploreResult["violation"];
  const examples: Record<string, Discovery> = {};
  if (!error) {
    try {
      if (o.violation) violation = verified(model, o.violation, o.pathOf);
      for (const f of o.examples) examples[f.property] = verified(model, f, o.pathOf);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      error = e.info;
      violation = undefined;
    }
  }
  const bounded = o.byDepth || o.byConstraint ? { byDepth: o.byDepth, byConstraint: o.byConstraint } : undefined;
  const exhaustive = !error && !violation && !o.stopped && !o.partial;
  let status: ExploreStatus = error ? "error" : violation ? "violation" : o.stopped ? "incomplete" : "ok";
  let incompleteReason = status === "incomplete" ? o.stopped : undefined;
  const missing = o.pendingSometimes.filter((name) => !examples[name]);
  if (status === "ok" && missing.length) {
    if (exhaustive) {
      const name = missing[0];
      violation = { property: name, kind: "sometimes", explanation: `no reachable state satisfies ${name}${bounded ? " within the bounds" : ""}` };
      status = "violation";
    } else {
      status = "incomplete";
      incompleteReason = `no state satisfying ${missing.join(", ")} found in a partial search (${o.strategy === "simulate" ? "random simulation" : "not every state was visited"}): only an exhaustive search can show that none exists`;
    }
  } else if (status === "incomplete" && missing.length && o.stopped) {
    incompleteReason = `${o.stopped}; no state satisfying ${missing.join(", ")} found before that`;
  }
  const coverage: ActionCoverage[] = model.actionNames.map((action, a) => {
    const names = model.guardNames[a];
    const base = { action, enabled: o.enabledBy[a], newStates: o.newBy[a] };
    return names.length && failures ? { ...base, disabledBy: Object.fromEntries(names.map((g, i) => [g, failures[a][i]])) } : base;
  });
  const warnings = coverage
    .filter((c) => c.enabled === 0)
    .map((c) => `action ${c.action} was never enabled${exhaustive ? "" : " in the states visited"} (is its guard right? does a block-bodied next forget to return?)`);
  return {
    status,
    strategy: o.strategy,
    workers: o.workers,
    params: model.params,
    properties: model.properties.map((p) => ({ name: p.name, kind: p.kind })),
    distinctStates: o.distinct,
    generatedStates: o.generated,
    maxDepth: o.maxDepth,
    maxQueueSize: o.maxQueue,
    elapsedMs: o.elapsedMs,
    bytesPerState: o.distinct ? o.visitedBytes / o.distinct : 0,
    traceBytesPerState: o.distinct ? o.traceBytes / o.distinct : 0,
    collisionProbability: collisionProbability(o.distinct, o.generated),
    violation,
    examples,
    incompleteReason,
    bounded,
    coverage,
    warnings,
    error,
    memo: o.memo,
    seed: o.seed,
    runs: o.runs,
    exhaustive,
  };
}

/**
 * Replays a Found and checks that the replay ends in the recorded state and that the state
 * really answers the property as the search said; throws a SpecError when not.
 */
function verified(model: BoundSpec, f: Found, pathOf: (gid: number) => number[]): Discovery {
  const path = pathOfFound(f, pathOf);
  const { steps, reproduced } = rebuildTrace(model, path, f.fp);
  const what = f.kind === "sometimes" ? "example" : "counterexample";
  const fault = (why: string) =>
    new SpecError({
      kind: "nondeterministic",
      property: f.property,
      path,
      message:
        `the ${what} for ${f.property} found by the search ${why}: the spec is not deterministic (an action, property, ` +
        `constraint or view depends on something besides its arguments, or mutates a state)`,
    });
  if (!reproduced) throw fault("does not replay to the state it was found in");
  const last = steps[steps.length - 1].state;
  const property = model.properties.find((p) => p.name === f.property);
  const enabled = () => model.successors(last, () => {});
  let confirmed: boolean;
  switch (f.kind) {
    case "always":
      confirmed = property!.violation(last) !== undefined;
      break;
    case "sometimes":
      confirmed = property!.violation(last) === undefined;
      break;
    case "deadlock":
      confirmed = enabled() === 0;
      break;
    case "atEnd":
      confirmed = enabled() === 0 && property!.violation(last) !== undefined;
      break;
  }
  if (!confirmed) throw fault(f.kind === "sometimes" ? "ends in a state that does not satisfy it when replayed" : "ends in a state that does not violate it when replayed");
  return { property: f.property, kind: f.kind, explanation: f.explanation, path, trace: withStatuses(model, steps), reproduced: true, ...blame(model, f.property, last) };
}

/**
 * Every property's status in every state of a trace (traces are short; never done in the
 * search). A property that throws in some state (an atEnd check written for terminal
 * states only, say) has no status there.
 */
export function withStatuses(model: BoundSpec, steps: readonly TraceStep[]): TraceStep[] {
  return steps.map((s) => {
    const properties: Record<string, boolean> = {};
    for (const p of model.properties) {
      try {
        properties[p.name] = p.violation(s.state) === undefined;
      } catch {
        // No status where the check cannot say.
      }
    }
    return { ...s, properties };
  });
}

/** The conjuncts of a property written with `all({...})`, evaluated in the last state. */
export function blame(model: BoundSpec, property: string, last: unknown): { blame?: ConjunctStatus[] } {
  const p = Object.hasOwn(model.spec.properties ?? {}, property) ? model.spec.properties[property] : undefined;
  const b = p ? blameOf(p.check, last, model.params) : undefined;
  return b ? { blame: b } : {};
}

/** The result of a search that failed before it could start (a bad spec, a throwing init). */
export function preflightError(model: BoundSpec | undefined, strategy: Strategy, error: SpecErrorInfo, workers = 1): ExploreResult {
  return {
    status: "error", strategy, workers, params: model?.params ?? {}, properties: model?.properties.map((p) => ({ name: p.name, kind: p.kind })) ?? [],
    distinctStates: 0, generatedStates: 0, maxDepth: 0, maxQueueSize: 0, elapsedMs: 0, bytesPerState: 0, traceBytesPerState: 0,
    collisionProbability: { optimistic: 0, birthday: 0 }, examples: {}, coverage: [], warnings: [], error, exhaustive: false,
  };
}
