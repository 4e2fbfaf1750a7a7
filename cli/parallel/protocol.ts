/**
 * Messages between the coordinator and the workers of the parallel BFS (see coordinator.ts).
 * States travel as encoded words in "entry" records: [hi, lo, parentGid, step, length, ...words].
 */
import type { SpecErrorInfo } from "../../checker/index.ts";
import type { MemoStats } from "../../checker/explore/action-memo.ts";

export interface WorkerSetup {
  readonly specUrl: string;
  readonly params: Record<string, unknown>;
  readonly properties: readonly string[];
  readonly checkDeadlock: boolean;
  readonly workers: number;
  readonly index: number;
  /** Epoch ms after which a worker stops expanding (the coordinator reports "incomplete"). */
  readonly deadline: number;
  /** Memoize actions (each worker keeps its own table, see checker/explore/action-memo.ts). */
  readonly memoize: boolean;
}

/** A state found to fail a property; gid = local id * workers + worker index. */
export interface Found {
  readonly gid: number;
  readonly property: string;
  readonly kind: "always" | "sometimes" | "atEnd" | "deadlock";
  readonly explanation?: string;
  readonly depth: number;
}

export type ToWorker =
  | { readonly cmd: "admit"; readonly entries: Int32Array; readonly depth: number }
  | { readonly cmd: "expand"; readonly depth: number }
  | { readonly cmd: "columns" };

export type FromWorker =
  | { readonly kind: "admitted"; readonly queued: number; readonly distinct: number; readonly tableBytes: number; readonly found: Found[] }
  | { readonly kind: "expanded"; readonly outboxes: Int32Array[]; readonly generated: number; readonly stoppedEarly: boolean; readonly found: Found[] }
  | { readonly kind: "columns"; readonly parents: Int32Array; readonly steps: Int32Array; readonly memo?: MemoStats }
  | { readonly kind: "error"; readonly error: SpecErrorInfo };

/** Owner of a fingerprint among `workers`. */
export function ownerOf(hi: number, workers: number): number {
  return (hi >>> 0) % workers;
}

/** A growable buffer of entries. */
export class EntryWriter {
  words = new Int32Array(1 << 12);
  length = 0;

  add(hi: number, lo: number, parent: number, step: number, state: Int32Array, n: number): void {
    const need = this.length + 5 + n;
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
