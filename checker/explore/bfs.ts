/**
 * Breadth-first search: every reachable state within the bounds, level by level, so the
 * first violating state found has a shortest path. Counting follows TLC: distinct states,
 * and generated = initial states + one per successor computed (self-loops included).
 */
import { Encoder } from "../values/encode.ts";
import { decode, RecordShapes, StringTable } from "../values/decode.ts";
import { FieldDigests, Fingerprinter } from "../values/fingerprint.ts";
import { ParentFields, RecordFrames } from "./record-frames.ts";
import { encodeChecked, type Model } from "./model.ts";
import { errorResult, SearchRecord } from "./search-record.ts";
import { SpecError } from "./spec-error.ts";
import { StateQueue } from "./state-queue.ts";
import { fingerprintOf, pathTo } from "./trace.ts";
import type { ExploreOptions, ExploreResult } from "./types.ts";
import { checkDeterminism, shouldSample } from "./determinism.ts";
import { ActionMemo, unreplayedCounterexample } from "./action-memo.ts";
import type { Fingerprint } from "../values/hash.ts";

export function bfs(model: Model, options: ExploreOptions): ExploreResult {
  const rec = new SearchRecord(model, options, model.hasView);
  const sampleDeterminism = options.checkDeterminism ?? true;
  // Without a view the frontier holds frames (record-frames.ts): successors then reuse their
  // parent's field digests and codes. With a view, what is fingerprinted is not the state,
  // so states are stored as plain encodings.
  const framed = !model.hasView;
  const frames = new RecordFrames();
  const parentFields = new ParentFields();
  const fields = new FieldDigests();
  const strings = new StringTable();
  const shapes = new RecordShapes();
  const read = framed
    ? (words: Int32Array, at: number) => frames.decode(words, at, parentFields)
    : (words: Int32Array, at: number) => decode(words, at, strings, shapes).value;
  let current = new StateQueue(read);
  let next = new StateQueue(read);
  let depth = 0;
  let stopped: string | undefined;
  let byDepth = 0;
  let parentId = -1;
  let expanded = 0;

  const enqueueIfNew = (state: unknown, parent: number, step: number, queue: StateQueue): void => {
    if (framed) {
      rec.fingerprinter.fingerprint(state, rec.fp, parent < 0 ? undefined : parentFields, fields);
      const id = rec.admitFingerprinted(state, parent, step);
      if (id >= 0) queue.push(id, frames.words, frames.encode(state, fields, parent < 0 ? undefined : parentFields));
      return;
    }
    const id = rec.admit(state, parent, step);
    if (id >= 0) queue.push(id, rec.stateEncoder.words, rec.stateEncoder.length);
  };
  // Fingerprints of the successors of a sampled state, to compare with a real expansion.
  let observed: { instance: number; hi: number; lo: number }[] | undefined;
  const onSuccessor = (instance: number, state: unknown): void => {
    rec.generated++;
    if (rec.stop) return;
    enqueueIfNew(state, parentId, instance, next);
    observed?.push({ instance, hi: rec.fp.hi, lo: rec.fp.lo });
  };
  // Memoized actions hand over successors as edits of the parent's frame.
  const memo = framed && (options.memoize ?? model.spec.memoize ?? false) ? new ActionMemo(model, frames, rec.fingerprinter, options.memoTableWords) : undefined;
  const newFields = new ParentFields();
  const onDelta = (instance: number, total: Fingerprint, delta: Int32Array, at: number, count: number): void => {
    rec.generated++;
    if (rec.stop) return;
    frames.sealRecord(parentFields.shape!, total, rec.fp);
    observed?.push({ instance, hi: rec.fp.hi, lo: rec.fp.lo });
    const id = rec.recordIfNew(parentId, instance);
    if (id < 0) return;
    const length = frames.encodeDelta(parentFields, total, delta, at, count);
    // Properties and the constraint look at the state itself.
    if (rec.afterNew(id, frames.decode(frames.words, 0, newFields)) >= 0) next.push(id, frames.words, length);
  };

  try {
    const inits = model.initialStates();
    const initEncoder = new Encoder();
    for (let i = 0; i < inits.length && !rec.stop; i++) {
      encodeChecked(initEncoder, model.viewOf(inits[i]), {});
      rec.generated++;
      enqueueIfNew(inits[i], -1, i, current);
    }
    while (!rec.stop && current.size > 0) {
      if (options.maxDepth !== undefined && depth >= options.maxDepth) {
        byDepth = current.size;
        break;
      }
      rec.maxQueue = Math.max(rec.maxQueue, current.size);
      for (let entry = current.shift(); entry && !rec.stop; entry = current.shift()) {
        parentId = entry.id;
        const state = entry.state;
        const sampled = sampleDeterminism && shouldSample(parentId);
        const before = sampled ? fingerprintOf(model, new Fingerprinter(), state) : undefined;
        observed = sampled && memo ? [] : undefined;
        const enabled = memo ? memo.successors(state, parentFields, onDelta, onSuccessor) : model.successors(state, onSuccessor);
        if (sampled) checkDeterminism(model, state, before!, () => pathTo(parentId, rec.parents, rec.steps), rec.stop ? undefined : observed);
        if (enabled === 0 && !rec.stop && rec.hasTerminalChecks) {
          const fp = fingerprintOf(model, new Fingerprinter(), state);
          const at = parentId;
          if (rec.checkTerminal(state, () => pathTo(at, rec.parents, rec.steps), fp)) rec.stop = true;
        }
        if ((++expanded & 1023) === 0) {
          rec.progress(depth, current.size + next.size);
          stopped = rec.overBudget();
          if (stopped) rec.stop = true;
        }
      }
      if (rec.stop) break;
      depth++;
      if (next.size > 0) rec.maxDepth = depth;
      [current, next] = [next, current];
    }
  } catch (e) {
    if (e instanceof SpecError) return errorResult(rec, "bfs", e, parentId >= 0 ? pathTo(parentId, rec.parents, rec.steps) : undefined);
    throw e;
  }
  const result = rec.finish("bfs", rec.violation ? undefined : stopped, {
    bounded: byDepth || rec.byConstraint ? { byDepth, byConstraint: rec.byConstraint } : undefined,
    memo: memo?.stats(),
  });
  const found = result.violation;
  if (memo && found && "reproduced" in found && !found.reproduced) {
    // Replayed for real, the memoized path does not reach the violating state: a memo entry
    // was wrong, so the spec broke the memo contract (or is not deterministic).
    return { ...result, status: "error", violation: undefined, exhaustive: false, error: unreplayedCounterexample(found) };
  }
  return result;
}
