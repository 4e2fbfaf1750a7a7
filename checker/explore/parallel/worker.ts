/**
 * One worker of the parallel BFS, transport-free: `handle` takes a message and returns the
 * reply. The worker owns the fingerprints with `hi mod workers == index`: its visited set
 * holds only those, and the states it owns are in its own frontier. Expanding a state, it
 * runs each successor through the pipeline's first steps (counting, the constraint) where
 * it was generated, admits the successors it owns at once, and sends the others to their
 * owner (once each, remembered in `sent`), which admits them in the next `admit`.
 */
import { decode, RecordShapes, StringTable } from "../../values/decode.ts";
import { Encoder } from "../../values/encode.ts";
import { Expander } from "../expand/expander.ts";
import { encodeChecked, type BoundSpec } from "../model/bound-spec.ts";
import { SpecError } from "../model/spec-error.ts";
import { Pipeline, type Found, type StateBudget } from "../pipeline/pipeline.ts";
import { finishLevel } from "../strategies/bfs.ts";
import { FingerprintSet } from "../store/fingerprint-set.ts";
import type { StateQueue } from "../store/state-queue.ts";
import type { ExploreOptions } from "../types.ts";
import { EntryWriter, ownerOf, type FromWorker, type ToWorker, type WorkerSetup, type WorkerTotals } from "./protocol.ts";

export class ParallelWorker {
  private readonly pipe: Pipeline;
  private readonly expander: Expander;
  private readonly sent = new FingerprintSet(1 << 12);
  private readonly W: number;
  private readonly me: number;
  private frontier: StateQueue;
  private nextFrontier: StateQueue;
  private readonly strings = new StringTable();
  private readonly shapes = new RecordShapes();
  private reported = 0;
  private outboxes: EntryWriter[] = [];
  private parentGid = -1;
  private depth = 0;
  private readonly checkDeterminism: boolean;

  constructor(
    private readonly model: BoundSpec,
    setup: WorkerSetup,
    /** The clock for the time budget (the core reads none of its own). */
    now?: () => number,
  ) {
    this.W = setup.workers;
    this.checkDeterminism = setup.checkDeterminism !== false;
    this.me = setup.index;
    const options: ExploreOptions = {
      checkDeadlock: setup.checkDeadlock,
      checkDeterminism: setup.checkDeterminism,
      timeLimitMs: setup.timeLimitMs,
      memoize: setup.memoize,
      memoTableWords: setup.memoTableWords,
      now,
    };
    this.pipe = new Pipeline(model, options, { gidOf: (id) => id * this.W + this.me, budget: sharedBudget(setup) });
    this.expander = new Expander(model, options, this.pipe.fingerprinter, this.pipe.fp);
    this.pipe.materialize = () => this.expander.current();
    this.frontier = this.expander.queue();
    this.nextFrontier = this.expander.queue();
  }

  handle(m: ToWorker): { reply: FromWorker; transfer: ArrayBuffer[] } {
    try {
      switch (m.cmd) {
        case "init":
          return { reply: { kind: "admitted", ...this.init() }, transfer: [] };
        case "admit":
          return { reply: { kind: "admitted", ...this.admit(m.entries, m.depth) }, transfer: [] };
        case "expand": {
          const r = this.expand(m.depth);
          return { reply: r, transfer: r.outboxes.map((b: Int32Array) => b.buffer as ArrayBuffer) };
        }
        case "columns": {
          const p = this.pipe;
          const reply: FromWorker = { kind: "columns", parents: p.parents.toArray(), steps: p.steps.toArray(), enabledBy: p.enabledBy.slice(), newBy: p.newBy.slice(), guardFailures: this.model.guardFailures.map((g) => g.slice()), memo: this.expander.memoStats };
          return { reply, transfer: [reply.parents.buffer as ArrayBuffer, reply.steps.buffer as ArrayBuffer] };
        }
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      return { reply: { kind: "error", error: { ...e.info, state: undefined }, at: this.parentGid }, transfer: [] };
    }
  }

  /** The initial states this worker owns (every worker computes them; each admits its own). */
  private init(): WorkerTotals {
    const inits = this.model.initialStates();
    const encoder = new Encoder();
    for (let i = 0; i < inits.length && !this.pipe.stop; i++) {
      this.expander.root(inits[i]);
      if (ownerOf(this.pipe.fp.hi, this.W) !== this.me) continue;
      encodeChecked(encoder, inits[i], {});
      this.enqueue(this.pipe.admit(inits[i], -1, i, -1, 0));
    }
    return this.totals();
  }

  private admit(entries: Int32Array, depth: number): WorkerTotals {
    const pipe = this.pipe;
    for (let at = 0; at < entries.length && !pipe.stop; ) {
      const hi = entries[at], lo = entries[at + 1], parent = entries[at + 2], step = entries[at + 3], action = entries[at + 4], n = entries[at + 5];
      const start = at + 6;
      at = start + n;
      const state = decode(entries, start, this.strings, this.shapes).value;
      this.expander.root(state);
      // The sender fingerprinted the same value; a mismatch would be a bug in the transport.
      if (pipe.fp.hi !== hi || pipe.fp.lo !== lo) throw new Error("parallel BFS: an entry's fingerprint does not match its state");
      this.enqueue(pipe.admitNew(state, parent, step, action, depth));
    }
    return this.totals();
  }

  private expand(depth: number): Extract<FromWorker, { kind: "expanded" }> {
    const pipe = this.pipe, expander = this.expander;
    [this.frontier, this.nextFrontier] = [this.nextFrontier, this.expander.queue()];
    this.outboxes = Array.from({ length: this.W }, () => new EntryWriter());
    this.depth = depth;
    expander.sampling = this.checkDeterminism;
    for (let entry = this.frontier.shift(); entry && !pipe.stop; entry = this.frontier.shift()) {
      const state = entry.state;
      this.parentGid = pipe.gidOf(entry.id);
      pipe.queued = this.frontier.size;
      pipe.expand(state, entry.id, depth, () => expander.expand(state, this.onSuccessor), expander.observed);
    }
    finishLevel(pipe, this.frontier, depth);
    this.parentGid = -1;
    return { kind: "expanded", outboxes: this.outboxes.map((o) => o.take()), ...this.totals() };
  }

  private readonly onSuccessor = (state: unknown, instance: number, action: number): void => {
    const pipe = this.pipe;
    if (pipe.stop || !pipe.generatedState(state, this.parentGid, instance, action, this.depth + 1)) return;
    const owner = ownerOf(pipe.fp.hi, this.W);
    if (owner === this.me) {
      this.enqueue(pipe.admitNew(state, this.parentGid, instance, action, this.depth + 1));
    } else if (this.sent.add(pipe.fp.hi, pipe.fp.lo)) {
      const n = this.expander.plainEncoding();
      this.outboxes[owner].add(pipe.fp.hi, pipe.fp.lo, this.parentGid, instance, action, this.expander.words, n);
    }
  };

  private enqueue(id: number): void {
    if (id < 0) return;
    const length = this.expander.frontierEntry();
    this.nextFrontier.push(id, this.expander.words, length);
  }

  private totals(): WorkerTotals {
    const p = this.pipe;
    const found: Found[] = [];
    if (p.violation && this.reported === 0) {
      found.push(p.violation);
      this.reported = 1;
    }
    for (const f of p.examples.values()) if (!this.sentExamples.has(f.property)) {
      this.sentExamples.add(f.property);
      found.push(f);
    }
    return {
      distinct: p.distinct, generated: p.generated, byConstraint: p.byConstraint, maxDepth: p.maxDepth,
      queued: this.nextFrontier.size, visitedBytes: p.visitedBytes + this.sent.byteLength, found, stopped: p.stopped,
    };
  }
  private readonly sentExamples = new Set<string>();
}

/** The budget shared through `setup.budget` (one Int32 counter), or none. */
function sharedBudget(setup: WorkerSetup): StateBudget | undefined {
  if (setup.maxStates === undefined || !setup.budget) return undefined;
  const counter = new Int32Array(setup.budget);
  const limit = setup.maxStates;
  return { limit, take: () => Atomics.add(counter, 0, 1) < limit };
}
