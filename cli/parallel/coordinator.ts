/**
 * Parallel BFS over worker threads (`dscheck explore --workers N`). Level by level: every
 * worker expands the frontier it owns (successors it does not own go to their owner), then
 * admits what the others sent. Ownership is by fingerprint, so every visited set is private
 * and grows as in the one-worker search; the counts are exactly those of `bfs`, and since a
 * level finishes before the next starts, a reported counterexample is still a shortest one.
 * The coordinator rebuilds traces by replay in this thread, as `bfs` does.
 */
import { Worker } from "node:worker_threads";
import {
  collisionProbability,
  Encoder,
  Fingerprinter,
  Model,
  rebuildTrace,
  SpecError,
  type Discovery,
  type ExploreResult,
  type ParamDecls,
  type Progress,
  type Spec,
} from "../../checker/index.ts";
import { unreplayedCounterexample, type MemoStats } from "../../checker/explore/action-memo.ts";
import { EntryWriter, ownerOf, type Found, type FromWorker, type ToWorker, type WorkerSetup } from "./protocol.ts";

export interface ParallelOptions {
  readonly workers: number;
  readonly params?: Record<string, unknown>;
  readonly properties?: readonly string[];
  readonly checkDeadlock?: boolean;
  readonly maxStates?: number;
  readonly timeLimitMs?: number;
  readonly overBudget?: () => string | undefined;
  readonly onProgress?: (p: Progress) => void;
  /** Default: the spec's `memoize`. */
  readonly memoize?: boolean;
}

class WorkerLink {
  private waiting?: (m: FromWorker) => void;
  private failed?: Error;
  constructor(readonly worker: Worker) {
    worker.on("message", (m: FromWorker | { kind: "ready" }) => {
      if (m.kind === "ready") return;
      const w = this.waiting;
      this.waiting = undefined;
      w?.(m);
    });
    worker.on("error", (e) => {
      this.failed = e;
      const w = this.waiting;
      this.waiting = undefined;
      w?.({ kind: "error", error: { kind: "action-threw", message: `worker failed: ${e.message}` } });
    });
  }
  ask(m: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    if (this.failed) return Promise.resolve({ kind: "error", error: { kind: "action-threw", message: `worker failed: ${this.failed.message}` } });
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.worker.postMessage(m, transfer);
    });
  }
}

export async function exploreParallel(specUrl: string, spec: Spec<unknown, ParamDecls>, options: ParallelOptions): Promise<ExploreResult> {
  const start = performance.now();
  const W = options.workers;
  const model = new Model(spec, options.params, options.properties);
  const checkDeadlock = options.checkDeadlock ?? spec.deadlockIsError ?? true;
  const deadline = options.timeLimitMs !== undefined ? Date.now() + options.timeLimitMs : Number.MAX_SAFE_INTEGER;
  const links = Array.from({ length: W }, (_, index) => {
    const memoize = options.memoize ?? spec.memoize ?? false;
    const setup: WorkerSetup = { specUrl, params: { ...model.params }, properties: options.properties ?? [], checkDeadlock, workers: W, index, deadline, memoize };
    return new WorkerLink(new Worker(new URL("./bootstrap.mjs", import.meta.url), { workerData: setup }));
  });
  const all = async (make: (i: number) => { m: ToWorker; t?: ArrayBuffer[] }) => Promise.all(links.map((l, i) => { const { m, t } = make(i); return l.ask(m, t); }));
  const found: Found[] = [];
  let generated = 0, distinct = 0, depth = 0, maxQueue = 0, maxDepth = 0, tableBytes = 0;
  let stopped: string | undefined;
  let error: ExploreResult["error"];
  try {
    // Initial states go to their owners like any other successor.
    const inits = model.initialStates();
    generated = inits.length;
    const fingerprinter = new Fingerprinter();
    const encoder = new Encoder();
    const boxes = Array.from({ length: W }, () => new EntryWriter());
    const fp = { hi: 0, lo: 0 };
    inits.forEach((s, i) => {
      fingerprinter.fingerprint(model.viewOf(s), fp);
      const n = encoder.encode(s);
      boxes[ownerOf(fp.hi, W)].add(fp.hi, fp.lo, -1, i, encoder.words, n);
    });
    let pending = boxes.map((b) => b.take());
    for (;;) {
      const admitted = await all((i) => ({ m: { cmd: "admit", entries: pending[i], depth }, t: [pending[i].buffer as ArrayBuffer] }));
      let queued = 0;
      const before = distinct;
      distinct = 0;
      tableBytes = 0;
      for (const r of admitted) {
        if (r.kind === "error") throw new SpecError(r.error);
        if (r.kind !== "admitted") continue;
        queued += r.queued;
        distinct += r.distinct;
        tableBytes += r.tableBytes;
        found.push(...r.found);
      }
      if (distinct > before) maxDepth = depth;
      maxQueue = Math.max(maxQueue, queued);
      options.onProgress?.({ distinctStates: distinct, generatedStates: generated, depth, queueSize: queued, elapsedMs: performance.now() - start });
      if (found.some((f) => f.kind !== "sometimes") || queued === 0) break;
      if (options.maxStates !== undefined && distinct >= options.maxStates) { stopped = `state budget of ${options.maxStates} distinct states reached`; break; }
      stopped = options.overBudget?.();
      if (stopped) break;
      if (Date.now() > deadline) { stopped = `time limit of ${(options.timeLimitMs! / 1000).toFixed(1)} s reached`; break; }
      const expanded = await all(() => ({ m: { cmd: "expand", depth } }));
      const inbox: Int32Array[][] = Array.from({ length: W }, () => []);
      for (const r of expanded) {
        if (r.kind === "error") throw new SpecError(r.error);
        if (r.kind !== "expanded") continue;
        generated += r.generated;
        found.push(...r.found);
        if (r.stoppedEarly) stopped = `time limit of ${(options.timeLimitMs! / 1000).toFixed(1)} s reached`;
        r.outboxes.forEach((b, owner) => inbox[owner].push(b));
      }
      pending = inbox.map((parts) => concat(parts));
      depth++;
      if (found.some((f) => f.kind !== "sometimes")) {
        // Successors admitted so far still count; the violation is reported below.
        break;
      }
      if (stopped) break;
    }
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    error = e.info;
  }
  // Rebuild the paths of what was found from the workers' (parent, step) columns.
  const columns = (await all(() => ({ m: { cmd: "columns" } }))).flatMap((r) => (r.kind === "columns" ? [r] : []));
  await Promise.all(links.map((l) => l.worker.terminate()));
  const pathOf = (gid: number): number[] => {
    const path: number[] = [];
    for (let g = gid; g >= 0; ) {
      const c = columns[g % W], local = Math.floor(g / W);
      path.push(c.steps[local]);
      g = c.parents[local];
    }
    return path.reverse();
  };
  const discovery = (f: Found): Discovery => {
    const path = pathOf(f.gid);
    const { steps, reproduced } = rebuildTrace(model, path);
    return { property: f.property, kind: f.kind, explanation: f.explanation, path, trace: steps, reproduced };
  };
  const failures = found.filter((f) => f.kind !== "sometimes").sort((a, b) => a.depth - b.depth || a.gid - b.gid);
  const examples: Record<string, Discovery> = {};
  for (const f of found) if (f.kind === "sometimes" && !examples[f.property]) examples[f.property] = discovery(f);
  let violation: ExploreResult["violation"] = !error && failures.length ? discovery(failures[0]) : undefined;
  if ((options.memoize ?? spec.memoize) && !model.hasView && violation && "reproduced" in violation && !violation.reproduced) {
    // Found with memoized actions and not reproduced by a real replay: a memo entry was wrong.
    error = unreplayedCounterexample(violation);
    violation = undefined;
  }
  const missing = model.properties.find((p) => p.kind === "sometimes" && !examples[p.name]);
  let status: ExploreResult["status"] = error ? "error" : violation ? "violation" : stopped ? "incomplete" : "ok";
  if (status === "ok" && missing) {
    violation = { property: missing.name, kind: "sometimes", explanation: `no reachable state satisfies ${missing.name}` };
    status = "violation";
  }
  return {
    status,
    strategy: "bfs",
    params: model.params,
    properties: model.properties.map((p) => ({ name: p.name, kind: p.kind })),
    distinctStates: distinct,
    generatedStates: generated,
    maxDepth,
    maxQueueSize: maxQueue,
    elapsedMs: performance.now() - start,
    bytesPerState: distinct ? tableBytes / distinct : 0,
    traceBytesPerState: 8,
    collisionProbability: collisionProbability(distinct, generated),
    violation,
    examples,
    incompleteReason: status === "incomplete" ? stopped : undefined,
    memo: memoTotals(columns.map((c) => c.memo)),
    error,
    exhaustive: !stopped && !error,
  };
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
