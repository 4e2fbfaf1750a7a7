/**
 * One worker of the parallel BFS. It owns the fingerprints with `hi mod workers == index`:
 * its visited set holds only those, and it keeps the states it owns in its own frontier.
 * Expanding a state, it admits the successors it owns at once and sends the others to their
 * owner (once each, remembered in `sent`), as encoded entries routed by the coordinator.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  Encoder,
  Fingerprinter,
  FingerprintSet,
  Model,
  SpecError,
  type ParamDecls,
  type Spec,
} from "../../checker/index.ts";
import { decode } from "../../checker/values/decode.ts";
import { FieldDigests } from "../../checker/values/fingerprint.ts";
import { ParentFields, RecordFrames } from "../../checker/explore/record-frames.ts";
import { checkDeterminism, shouldSample } from "../../checker/explore/determinism.ts";
import { ActionMemo } from "../../checker/explore/action-memo.ts";
import { StateQueue } from "../../checker/explore/state-queue.ts";
import { IntColumn } from "../../checker/explore/trace.ts";
import { EntryWriter, ownerOf, type Found, type FromWorker, type ToWorker, type WorkerSetup } from "./protocol.ts";

const setup = workerData as WorkerSetup;
const port = parentPort!;
const W = setup.workers, me = setup.index;

const specModule = await import(setup.specUrl);
const spec = (specModule.default ?? specModule.spec) as Spec<unknown, ParamDecls>;
const model = new Model(spec, setup.params, setup.properties);
const always = model.properties.filter((p) => p.kind === "always");
const sometimes = model.properties.filter((p) => p.kind === "sometimes");
const atEnd = model.properties.filter((p) => p.kind === "atEnd");
const reported = new Set<string>();

const owned = new FingerprintSet(1 << 12);
const sent = new FingerprintSet(1 << 12);
const parents = new IntColumn();
const steps = new IntColumn();
const fingerprinter = new Fingerprinter();
const encoder = new Encoder();
const fp = { hi: 0, lo: 0 };
// Without a view, the frontier holds frames (as in the one-worker BFS), so successors reuse
// their parent's field digests and codes; states from other workers arrive plainly encoded.
const framed = !model.hasView;
const frames = new RecordFrames();
const parentFields = new ParentFields();
const fields = new FieldDigests();
const newQueue = () => (framed ? new StateQueue((words, at) => frames.decode(words, at, parentFields)) : new StateQueue());
let frontier = newQueue();
let nextFrontier = newQueue();
// Memoized actions hand successors over as edits of the parent's frame (as in one-worker BFS).
const memo = framed && setup.memoize ? new ActionMemo(model, frames, fingerprinter) : undefined;
const newFields = new ParentFields();

const gidOf = (local: number) => local * W + me;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Records a new owned state and checks its properties; returns its local id. */
function admitNew(state: unknown, parentGid: number, step: number, depth: number, found: Found[]): number {
  const local = parents.length;
  parents.push(parentGid);
  steps.push(step);
  for (const p of always) {
    const why = p.violation(state);
    if (why !== undefined) found.push({ gid: gidOf(local), property: p.name, kind: "always", explanation: why || undefined, depth });
  }
  for (const p of sometimes) {
    if (reported.has(p.name) || p.violation(state) !== undefined) continue;
    reported.add(p.name);
    found.push({ gid: gidOf(local), property: p.name, kind: "sometimes", depth });
  }
  return local;
}

function admit(entries: Int32Array, depth: number): FromWorker {
  const found: Found[] = [];
  for (let at = 0; at < entries.length; ) {
    const hi = entries[at], lo = entries[at + 1], parent = entries[at + 2], step = entries[at + 3], n = entries[at + 4];
    const start = at + 5;
    at = start + n;
    if (!owned.add(hi, lo)) continue;
    const state = decode(entries, start).value;
    const local = admitNew(state, parent, step, depth, found);
    if (model.hasConstraint && !model.inConstraint(state)) continue;
    if (framed) {
      fingerprinter.fingerprint(state, fp, undefined, fields);
      nextFrontier.push(local, frames.words, frames.encode(state, fields, undefined));
    } else nextFrontier.push(local, entries.subarray(start, start + n), n);
  }
  // The visited set here is the owned table plus the record of fingerprints sent away.
  return { kind: "admitted", queued: nextFrontier.size, distinct: owned.size, tableBytes: owned.byteLength + sent.byteLength, found };
}

function expand(depth: number): FromWorker {
  [frontier, nextFrontier] = [nextFrontier, newQueue()];
  const outboxes = Array.from({ length: W }, () => new EntryWriter());
  const found: Found[] = [];
  let generated = 0, expanded = 0, stoppedEarly = false;
  let parentGid = -1;
  const onSuccessor = (instance: number, state: unknown) => {
    generated++;
    if (framed) fingerprinter.fingerprint(state, fp, parentFields, fields);
    else fingerprinter.fingerprint(model.viewOf(state), fp);
    const owner = ownerOf(fp.hi, W);
    if (owner === me) {
      if (!owned.add(fp.hi, fp.lo)) return;
      const local = admitNew(state, parentGid, instance, depth + 1, found);
      if (model.hasConstraint && !model.inConstraint(state)) return;
      if (framed) nextFrontier.push(local, frames.words, frames.encode(state, fields, parentFields));
      else nextFrontier.push(local, encoder.words, encoder.encode(state));
    } else if (sent.add(fp.hi, fp.lo)) {
      const n = encoder.encode(state);
      outboxes[owner].add(fp.hi, fp.lo, parentGid, instance, encoder.words, n);
    }
  };
  // Fingerprints of a sampled state's memoized successors, to compare with a real expansion.
  let observed: { instance: number; hi: number; lo: number }[] | undefined;
  const onDelta = (instance: number, total: { hi: number; lo: number }, delta: Int32Array, at: number, count: number) => {
    generated++;
    frames.sealRecord(parentFields.shape!, total, fp);
    observed?.push({ instance, hi: fp.hi, lo: fp.lo });
    const owner = ownerOf(fp.hi, W);
    if (owner === me ? !owned.add(fp.hi, fp.lo) : !sent.add(fp.hi, fp.lo)) return;
    const length = frames.encodeDelta(parentFields, total, delta, at, count);
    const state = frames.decode(frames.words, 0, newFields);
    if (owner !== me) {
      const n = encoder.encode(state);
      outboxes[owner].add(fp.hi, fp.lo, parentGid, instance, encoder.words, n);
      return;
    }
    const local = admitNew(state, parentGid, instance, depth + 1, found);
    if (model.hasConstraint && !model.inConstraint(state)) return;
    nextFrontier.push(local, frames.words, length);
  };
  const onObserved = (instance: number, state: unknown) => {
    onSuccessor(instance, state);
    observed?.push({ instance, hi: fp.hi, lo: fp.lo });
  };
  for (let entry = frontier.shift(); entry; entry = frontier.shift()) {
    parentGid = gidOf(entry.id);
    const sampled = shouldSample(entry.id);
    const before = sampled ? { ...fingerprintNow(entry.state) } : undefined;
    observed = sampled && memo ? [] : undefined;
    const enabled = memo ? memo.successors(entry.state, parentFields, onDelta, onObserved) : model.successors(entry.state, onSuccessor);
    if (before) checkDeterminism(model, entry.state, before, () => [], observed);
    if (enabled === 0) {
      if (setup.checkDeadlock) found.push({ gid: parentGid, property: "Deadlock", kind: "deadlock", explanation: "no action is enabled", depth });
      else
        for (const p of atEnd) {
          const why = p.violation(entry.state);
          if (why !== undefined) found.push({ gid: parentGid, property: p.name, kind: "atEnd", explanation: why || undefined, depth });
        }
    }
    if ((++expanded & 1023) === 0 && Date.now() > setup.deadline) {
      stoppedEarly = frontier.size > 0;
      break;
    }
  }
  const boxes = outboxes.map((o) => o.take());
  return { kind: "expanded", outboxes: boxes, generated, stoppedEarly, found };
}

function fingerprintNow(state: unknown): { hi: number; lo: number } {
  const out = { hi: 0, lo: 0 };
  fingerprinter.fingerprint(model.viewOf(state), out);
  return out;
}

port.on("message", (m: ToWorker) => {
  try {
    if (m.cmd === "admit") post(admit(m.entries, m.depth));
    else if (m.cmd === "expand") {
      const r = expand(m.depth);
      post(r, r.kind === "expanded" ? r.outboxes.map((b) => b.buffer as ArrayBuffer) : []);
    } else {
      const p = parents.data.slice(0, parents.length), s = steps.data.slice(0, steps.length);
      post({ kind: "columns", parents: p, steps: s, memo: memo?.stats() }, [p.buffer, s.buffer]);
    }
  } catch (e) {
    if (e instanceof SpecError) post({ kind: "error", error: e.info });
    else post({ kind: "error", error: { kind: "action-threw", message: e instanceof Error ? e.message : String(e) } });
  }
});
port.postMessage({ kind: "ready" });
