/**
 * How a breadth-first search (one thread, or one worker of the parallel BFS) turns a
 * frontier entry into fingerprinted successors: the frame store, the memoized actions, and
 * the encodings a successor needs once the pipeline has admitted it. The search decides
 * what to do with each successor; the pipeline decides what it means.
 *
 * Without a view the frontier holds frames (store/record-frames.ts): successors reuse their
 * parent's field digests and codes, and memoized successors arrive as frame edits whose
 * state object is built only when something needs it. With a view, what is fingerprinted
 * is not the state, so states are stored as plain encodings.
 */
import { decode, RecordShapes, StringTable } from "../../values/decode.ts";
import { Encoder } from "../../values/encode.ts";
import { FieldDigests, type Fingerprinter } from "../../values/fingerprint.ts";
import type { Fingerprint } from "../../values/hash.ts";
import type { BoundSpec } from "../model/bound-spec.ts";
import { ParentFields, RecordFrames } from "../store/record-frames.ts";
import { StateQueue } from "../store/state-queue.ts";
import type { ExploreOptions } from "../types.ts";
import { ActionMemo, type MemoStats } from "./action-memo.ts";
import type { Successor } from "./determinism.ts";

/** Receives a fingerprinted successor (its fingerprint is in the expander's `fp`); `state` is undefined when built lazily. */
export type SuccessorSink = (state: unknown, instance: number, action: number) => void;

export class Expander {
  private readonly framed: boolean;
  private readonly frames = new RecordFrames();
  private readonly parentFields = new ParentFields();
  private readonly newFields = new ParentFields();
  private readonly fields = new FieldDigests();
  private readonly encoder = new Encoder();
  private readonly strings = new StringTable();
  private readonly shapes = new RecordShapes();
  private readonly memo: ActionMemo | undefined;
  /** Fingerprints of the successors of the state being expanded, when `sampling` (the purity check compares them). */
  readonly observed: Successor[] = [];
  sampling = false;
  private sink: SuccessorSink = () => {};
  /** The successor being handed over: plain (state set) or a memoized frame edit. */
  private state: unknown = undefined;
  private fromParent = false;
  private deltaTotal: Fingerprint = { hi: 0, lo: 0 };
  private deltaWords: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private deltaAt = 0;
  private deltaCount = 0;
  /** Length of the current successor's frame in `frames.words` (-1: not written yet). */
  private frameLength = -1;

  constructor(
    private readonly model: BoundSpec,
    options: ExploreOptions,
    private readonly fingerprinter: Fingerprinter,
    /** Where fingerprints go (the pipeline's `fp`). */
    private readonly fp: Fingerprint,
  ) {
    this.framed = !model.hasView;
    const memo = this.framed && (options.memoize ?? model.spec.memoize ?? false) ? new ActionMemo(model, this.frames, fingerprinter, options.memoTableWords) : undefined;
    this.memo = memo?.useful ? memo : undefined;
  }

  get memoStats(): MemoStats | undefined {
    return this.memo?.stats();
  }

  /** A frontier queue whose entries decode (with their field digests) for `expand`. */
  queue(): StateQueue {
    return this.framed
      ? new StateQueue((words, at) => this.frames.decode(words, at, this.parentFields))
      : new StateQueue((words, at) => decode(words, at, this.strings, this.shapes).value);
  }

  /** Fingerprints a state with no parent (an initial state, or one another worker sent) into `fp`. */
  root(state: unknown): void {
    this.state = state;
    this.fromParent = false;
    this.frameLength = -1;
    if (this.framed) this.fingerprinter.fingerprint(state, this.fp, undefined, this.fields);
    else this.fingerprinter.fingerprint(this.model.viewOf(state), this.fp);
  }

  /**
   * Hands every enabled successor of `state`, the entry last shifted from one of this
   * expander's queues, to `sink`; returns how many were enabled.
   */
  expand(state: unknown, sink: SuccessorSink): number {
    this.sink = sink;
    if (this.observed.length !== 0) this.observed.length = 0;
    return this.memo ? this.memo.successors(state, this.parentFields, this.onDelta, this.onSuccessor) : this.model.successors(state, this.onSuccessor);
  }

  private readonly onSuccessor = (instance: number, state: unknown, action: number): void => {
    this.state = state;
    this.fromParent = true;
    this.frameLength = -1;
    if (this.framed) this.fingerprinter.fingerprint(state, this.fp, this.parentFields, this.fields);
    else this.fingerprinter.fingerprint(this.model.viewOf(state), this.fp);
    if (this.sampling) this.observed.push({ instance, hi: this.fp.hi, lo: this.fp.lo });
    this.sink(state, instance, action);
  };

  private readonly onDelta = (instance: number, total: Fingerprint, delta: Int32Array, at: number, count: number, action: number): void => {
    this.state = undefined;
    this.deltaTotal = total;
    this.deltaWords = delta;
    this.deltaAt = at;
    this.deltaCount = count;
    this.frameLength = -1;
    this.frames.sealRecord(this.parentFields.shape!, total, this.fp);
    if (this.sampling) this.observed.push({ instance, hi: this.fp.hi, lo: this.fp.lo });
    this.sink(undefined, instance, action);
  };

  /** The current successor as an object (built from its frame edit when it was memoized). */
  current(): unknown {
    if (this.state !== undefined) return this.state;
    this.writeFrame();
    return (this.state = this.frames.decode(this.frames.words, 0, this.newFields));
  }

  /** Writes the current successor's frontier entry; returns its length (the words are in `words`). */
  frontierEntry(): number {
    if (!this.framed) {
      this.lastWasFrame = false;
      return this.encoder.encode(this.state);
    }
    this.writeFrame();
    return this.frameLength;
  }

  /** The words of the last `frontierEntry` or `plainEncoding`. */
  get words(): Int32Array {
    return this.framed && this.lastWasFrame ? this.frames.words : this.encoder.words;
  }
  private lastWasFrame = false;

  /** The current successor's plain encoding (what travels to another worker); returns its length (words in `words`). */
  plainEncoding(): number {
    const n = this.encoder.encode(this.current());
    this.lastWasFrame = false;
    return n;
  }

  private writeFrame(): void {
    this.lastWasFrame = true;
    if (this.frameLength >= 0) return;
    if (this.state === undefined) this.frameLength = this.frames.encodeDelta(this.parentFields, this.deltaTotal, this.deltaWords, this.deltaAt, this.deltaCount);
    else this.frameLength = this.frames.encode(this.state, this.fields, this.fromParent ? this.parentFields : undefined);
  }
}
