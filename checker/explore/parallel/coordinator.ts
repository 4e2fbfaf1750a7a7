/**
 * Parallel BFS (`exploreParallel`, `dscheck explore --workers N`), level by level: every
 * worker expands the frontier it owns (successors it does not own go to their owner), then
 * admits what the others sent. Ownership is by fingerprint, so every visited set is private;
 * each state passes through the same pipeline as in the one-thread BFS, so the counts are
 * exactly those of `bfs`, and since a level finishes before the next starts, a reported
 * counterexample is a shortest one. Paths are rebuilt here from the workers' columns and
 * every counterexample is replayed (pipeline/result.ts) before it is reported.
 */
import type { ParamDecls, Spec } from "../../spec/spec.ts";
import type { MemoStats } from "../expand/action-memo.ts";
import { bindModel } from "../explore.ts";
import type { BoundSpec } from "../model/bound-spec.ts";
import { SpecError, type SpecErrorInfo } from "../model/spec-error.ts";
import type { Found } from "../pipeline/pipeline.ts";
import { buildResult, preflightError } from "../pipeline/result.ts";
import { replayStates } from "../replay/trace.ts";
import type { ExploreOptions, ExploreResult } from "../types.ts";
import { sameThreadTransport } from "./same-thread.ts";
import type { FromWorker, ParallelTransport, ToWorker, WorkerChannel, WorkerSetup, WorkerTotals } from "./protocol.ts";

/** The most workers a search may ask for (each keeps a frontier, a visited set and, with memo, a table). */
export const MAX_WORKERS = 64;

/**
 * Parallel BFS over `options.workers` workers (default 2). Without a transport the workers
 * run in this thread, one after another (same results, no speed-up): useful for tests and
 * embedders; the CLI passes a worker-thread transport.
 */
export async function exploreParallel<S, D extends ParamDecls>(spec: Spec<S, D>, options: ExploreOptions = {}, transport?: ParallelTransport): Promise<ExploreResult> {
  const W = options.workers ?? 2;
  if (!Number.isInteger(W) || W < 1 || W > MAX_WORKERS) throw new RangeError(`workers must be an integer from 1 to ${MAX_WORKERS}, got ${W}`);
  if ((options.strategy ?? "bfs") !== "bfs") throw new RangeError("parallel search is breadth-first only");
  let model: BoundSpec;
  try {
    model = bindModel(spec, options);
  } catch (e) {
    if (e instanceof SpecError) return preflightError(undefined, "bfs", e.info, W);
    throw e;
  }
  const now = options.now ?? (() => 0);
  const start = now();
  const budget = options.maxStates !== undefined ? new SharedArrayBuffer(4) : undefined;
  const setups: WorkerSetup[] = Array.from({ length: W }, (_, index) => ({
    params: { ...model.params }, properties: options.properties ?? [], checkDeadlock: options.checkDeadlock, checkDeterminism: options.checkDeterminism,
    workers: W, index, timeLimitMs: options.timeLimitMs, memoize: options.memoize, memoTableWords: options.memoTableWords, maxStates: options.maxStates, budget,
  }));
  const channels = await (transport ?? sameThreadTransport(spec, options.now)).open(setups);
  try {
    return await coordinate(model, options, channels, now, start);
  } finally {
    await Promise.all(channels.map((c) => c.close()));
  }
}

async function coordinate(model: BoundSpec, options: ExploreOptions, channels: WorkerChannel[], now: () => number, start: number): Promise<ExploreResult> {
  const W = channels.length;
  const all = (make: (i: number) => { m: ToWorker; t?: ArrayBuffer[] }) =>
    Promise.all(
      channels.map((c, i) => {
        const { m, t } = make(i);
        return c.ask(m, t);
      }),
    );
  const found: Found[] = [];
  const latest: WorkerTotals[] = [];
  let depth = 0, maxQueue = 0, byDepth = 0;
  let stopped: string | undefined;
  let error: { info: SpecErrorInfo; at: number } | undefined;
  // Folds a round of replies in; true when the search must end.
  const take = (replies: FromWorker[]): boolean => {
    for (let i = 0; i < replies.length; i++) {
      const r = replies[i];
      if (r.kind === "error") {
        error ??= { info: r.error, at: r.at };
        continue;
      }
      if (r.kind === "columns") continue;
      latest[i] = r;
      found.push(...r.found);
      if (r.stopped) stopped ??= r.stopped;
    }
    return error !== undefined || stopped !== undefined || found.some((f) => f.kind !== "sometimes");
  };
  const sum = (f: (t: WorkerTotals) => number) => latest.reduce((n, t) => n + f(t), 0);
  let pending: Int32Array[] | undefined;
  for (;;) {
    const admitted = pending ? await all((i) => ({ m: { cmd: "admit", entries: pending![i], depth }, t: [pending![i].buffer as ArrayBuffer] })) : await all(() => ({ m: { cmd: "init" } }));
    if (take(admitted)) break;
    const queued = sum((t) => t.queued);
    maxQueue = Math.max(maxQueue, queued);
    options.onProgress?.({ distinctStates: sum((t) => t.distinct), generatedStates: sum((t) => t.generated), depth, queueSize: queued, elapsedMs: now() - start });
    if (queued === 0) break;
    if (options.maxDepth !== undefined && depth >= options.maxDepth) {
      byDepth = queued;
      break;
    }
    stopped = options.overBudget?.();
    if (stopped) break;
    const expanded = await all(() => ({ m: { cmd: "expand", depth } }));
    const inbox: Int32Array[][] = Array.from({ length: W }, () => []);
    for (const r of expanded) if (r.kind === "expanded") r.outboxes.forEach((b, owner) => inbox[owner].push(b));
    if (take(expanded)) break;
    pending = inbox.map(concat);
    depth++;
  }
  // Rebuild paths from the workers' (parent, step) columns; global id g lives in worker g mod W.
  const columns = (await all(() => ({ m: { cmd: "columns" } }))).flatMap((r) => (r.kind === "columns" ? [r] : []));
  const pathOf = (gid: number): number[] => {
    const path: number[] = [];
    for (let g = gid; g >= 0; ) {
      const c = columns[g % W], local = Math.floor(g / W);
      path.push(c.steps[local]);
      g = c.parents[local];
    }
    return path.reverse();
  };
  const enabledBy = new Float64Array(model.actionCount), newBy = new Float64Array(model.actionCount);
  const guardFailures = model.guardNames.map((g) => new Float64Array(g.length));
  for (const c of columns) for (let a = 0; a < model.actionCount; a++) {
    enabledBy[a] += c.enabledBy[a];
    newBy[a] += c.newBy[a];
    for (let g = 0; g < guardFailures[a].length; g++) guardFailures[a][g] += c.guardFailures[a][g];
  }
  // The shortest: the least depth (terminal checks of level d come before successors at d + 1).
  const failures = found.filter((f) => f.kind !== "sometimes").sort((a, b) => a.depth - b.depth);
  const examples = new Map<string, Found>();
  for (const f of found.filter((x) => x.kind === "sometimes").sort((a, b) => a.depth - b.depth)) if (!examples.has(f.property)) examples.set(f.property, f);
  const missing = model.properties.filter((p) => p.kind === "sometimes" && !examples.has(p.name)).map((p) => p.name);
  return buildResult(model, {
    strategy: "bfs",
    workers: W,
    violation: error ? undefined : failures[0],
    examples: examples.values(),
    pendingSometimes: missing,
    pathOf,
    distinct: sum((t) => t.distinct),
    generated: sum((t) => t.generated),
    maxDepth: Math.max(0, ...latest.map((t) => t.maxDepth)),
    maxQueue,
    elapsedMs: now() - start,
    visitedBytes: sum((t) => t.visitedBytes),
    traceBytes: 8 * sum((t) => t.distinct),
    byDepth,
    byConstraint: sum((t) => t.byConstraint),
    enabledBy,
    newBy,
    guardFailures,
    stopped: failures.length ? undefined : stopped,
    error: error ? withState(model, error.info, error.at >= 0 ? pathOf(error.at) : undefined) : undefined,
    memo: memoTotals(columns.map((c) => c.memo)),
  });
}

/** A worker's error with the path and state of where it happened (states do not survive the transport as values). */
function withState(model: BoundSpec, info: SpecErrorInfo, path: number[] | undefined): SpecErrorInfo {
  const at = info.path ? [...info.path] : path;
  if (!at || at.length === 0) return info;
  try {
    const states = replayStates(model, at);
    return { ...info, path: at, state: states[states.length - 1] };
  } catch {
    return { ...info, path: at };
  }
}

/** The workers' memo figures added up (undefined when they do not memoize). */
function memoTotals(parts: (MemoStats | undefined)[]): MemoStats | undefined {
  const present = parts.filter((m): m is MemoStats => m !== undefined);
  if (present.length === 0) return undefined;
  const direct = new Set(present.flatMap((m) => m.directActions));
  return { hits: present.reduce((n, m) => n + m.hits, 0), misses: present.reduce((n, m) => n + m.misses, 0), directActions: [...direct] };
}

function concat(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

