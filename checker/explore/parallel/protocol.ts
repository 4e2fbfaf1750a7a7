/**
 * The parallel BFS's messages and its transport. The core runs the coordinator and the
 * workers' logic; how messages travel is the transport's business: worker threads in the
 * CLI (cli/parallel/), or calls within one thread (same-thread.ts) for tests and embedders.
 * States travel as plain encodings in entries: [hi, lo, parentGid, step, action, length, ...words].
 */
import type { MemoStats } from "../expand/action-memo.ts";
import type { SpecErrorInfo } from "../model/spec-error.ts";
import type { Found } from "../pipeline/pipeline.ts";

export interface WorkerSetup {
  readonly params: Readonly<Record<string, unknown>>;
  readonly properties: readonly string[];
  readonly checkDeadlock?: boolean;
  readonly checkDeterminism?: boolean;
  readonly workers: number;
  readonly index: number;
  /** Epoch-free time budget: a worker stops expanding this many ms after it starts. */
  readonly timeLimitMs?: number;
  readonly memoize?: boolean;
  readonly memoTableWords?: number;
  /** The distinct-state budget shared by all workers: one Int32 counter (Atomics). */
  readonly maxStates?: number;
  readonly budget?: SharedArrayBuffer;
}

export type ToWorker =
  | { readonly cmd: "init" }
  | { readonly cmd: "admit"; readonly entries: Int32Array; readonly depth: number }
  | { readonly cmd: "expand"; readonly depth: number }
  | { readonly cmd: "columns" };

/** What every reply carries: the worker's running totals and what it found since its last reply. */
export interface WorkerTotals {
  readonly distinct: number;
  readonly generated: number;
  readonly byConstraint: number;
  readonly maxDepth: number;
  readonly queued: number;
  readonly visitedBytes: number;
  readonly found: Found[];
  /** Why this worker stopped (a budget), if it did. */
  readonly stopped?: string;
}

export type FromWorker =
  | ({ readonly kind: "admitted" } & WorkerTotals)
  | ({ readonly kind: "expanded"; readonly outboxes: Int32Array[] } & WorkerTotals)
  | {
      readonly kind: "columns";
      readonly parents: Int32Array;
      readonly steps: Int32Array;
      readonly enabledBy: Float64Array;
      readonly newBy: Float64Array;
      readonly guardFailures: Float64Array[];
      readonly memo?: MemoStats;
    }
  | { readonly kind: "error"; readonly error: SpecErrorInfo; /** Global id of the state being expanded, -1 if none. */ readonly at: number };

/** One worker, as the coordinator sees it. */
export interface WorkerChannel {
  ask(message: ToWorker, transfer?: ArrayBuffer[]): Promise<FromWorker>;
  close(): Promise<void> | void;
}

/** Starts workers; each runs a ParallelWorker (worker.ts) for its setup. */
export interface ParallelTransport {
  open(setups: readonly WorkerSetup[]): Promise<WorkerChannel[]>;
}

/** Owner of a fingerprint among `workers`. */
export function ownerOf(hi: number, workers: number): number {
  return (hi >>> 0) % workers;
}

/** A growable buffer of entries. */
export class EntryWriter {
  words = new Int32Array(1 << 12);
  length = 0;

  add(hi: number, lo: number, parent: number, step: number, action: number, state: Int32Array, n: number): void {
    const need = this.length + 6 + n;
    if (need > this.words.length) {
      let size = this.words.length * 2;
      while (size < need) size *= 2;
      const bigger = new Int32Array(size);
      bigger.set(this.words.subarray(0, this.length));
      this.words = bigger;
    }
    const w = this.words;
    let at = this.length;
    w[at++] = hi;
    w[at++] = lo;
    w[at++] = parent;
    w[at++] = step;
    w[at++] = action;
    w[at++] = n;
    for (let i = 0; i < n; i++) w[at++] = state[i];
    this.length = at;
  }

  /** The entries written so far, as a compact array that can be transferred. */
  take(): Int32Array {
    const out = this.words.slice(0, this.length);
    this.length = 0;
    return out;
  }
}
