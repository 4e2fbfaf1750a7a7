/**
 * How the BFS frontier stores record states ("frames"): the id of the state's key list,
 * the sum of its field terms (see fingerprint.ts), then per field (in sorted key order) the
 * ref of its value in a FieldStore:
 *
 *   [shapeId, totalHi, totalLo, ref per field]
 *
 * A state that is not a record is stored as [-1, ...its plain encoding].
 *
 * Framing pays three ways. A frame is a few words, so pushing and popping states is cheap
 * and the frontier is small. Encoding a new successor copies the ref of every field it
 * shares with its parent, and interns the others (one encoding and one table probe each).
 * Decoding hands out the store's cached field objects, so consecutive states that hold
 * equal fields get the *same* objects, which is what lets the fingerprinter skip unchanged
 * fields by identity (fingerprint.ts) and ValueSet's probe memo hit; and the decoded parent
 * arrives with its field digests, so its successors need no rehash of them.
 */
import { CodeCache, decode, RecordShapes, StringTable } from "../values/decode.ts";
import { Encoder } from "../values/encode.ts";
import { FieldDigests } from "../values/fingerprint.ts";
import type { RecordShape } from "../values/key-order.ts";
import { ValueSet, type Value } from "../values/value.ts";
import { seal, type Fingerprint } from "../values/hash.ts";
import { TAG_RECORD } from "../values/encode.ts";
import { FieldStore } from "./field-store.ts";

const NOT_A_RECORD = -1;

/** A decoded state's field digests, plus each field's ref for encoding its successors. */
export class ParentFields extends FieldDigests {
  fieldRefs = new Int32Array(8);
}

export class RecordFrames {
  /** The frame written by the last `encode`. */
  words = new Int32Array(1024);
  length = 0;
  private readonly encoder = new Encoder();
  private readonly shapeIds = new Map<RecordShape, number>();
  private readonly shapes: { shape: RecordShape; make: (values: readonly Value[]) => Record<string, Value> }[] = [];
  private readonly records = new RecordShapes();
  private readonly strings = new StringTable();
  /** Set elements decoded for states that are not records. */
  private readonly elements = new CodeCache();
  readonly store = new FieldStore();
  private readonly values: Value[] = [];
  private readonly sum: Fingerprint = { hi: 0, lo: 0 };

  /**
   * Writes the frame of `state` into `words`, returning its length. `fields` holds what
   * its fingerprint left, computed against `parent` (so fields that are the same objects
   * as the parent's take their ref from the parent).
   */
  encode(state: unknown, fields: FieldDigests, parent: ParentFields | undefined): number {
    const shape = fields.shape;
    if (shape === undefined) {
      const n = this.encoder.encode(state);
      this.length = 0;
      this.reserve(n + 1);
      this.words[0] = NOT_A_RECORD;
      this.words.set(this.encoder.words.subarray(0, n), 1);
      return (this.length = n + 1);
    }
    const n = shape.sorted.length;
    const id = this.idOf(shape);
    this.reserve(3 + n);
    const words = this.words;
    words[0] = id;
    words[1] = fields.totalHi;
    words[2] = fields.totalLo;
    const same = parent !== undefined && parent.shape === shape;
    for (let i = 0; i < n; i++) {
      const x = fields.refs[i];
      // A field shared with the parent takes its ref from the parent.
      if (same && parent.refs[i] === x) {
        words[3 + i] = parent.fieldRefs[i];
        continue;
      }
      words[3 + i] = this.internField(fields, i);
    }
    return (this.length = 3 + n);
  }

  /** A record of this shape with these values (in sorted key order). */
  makeRecord(shape: RecordShape, values: readonly unknown[]): Record<string, Value> {
    return this.shapes[this.idOf(shape)].make(values as Value[]);
  }

  private idOf(shape: RecordShape): number {
    let id = this.shapeIds.get(shape);
    if (id === undefined) {
      id = this.shapes.length;
      this.shapeIds.set(shape, id);
      this.shapes.push({ shape, make: this.records.maker(shape.sorted) });
    }
    return id;
  }

  /** The store ref of field `i` of the state whose digests are in `fields`. */
  internField(fields: FieldDigests, i: number): number {
    const x = fields.refs[i];
    const m = this.encoder.encode(x);
    let sumHi = 0, sumLo = 0;
    if (fields.arrayLength[i] >= 0) {
      sumHi = fields.sumHi[i];
      sumLo = fields.sumLo[i];
    } else if (x instanceof ValueSet) {
      x.elementSum(this.sum); // known: the fingerprint computed it
      sumHi = this.sum.hi;
      sumLo = this.sum.lo;
    }
    return this.store.intern(this.encoder.words, m, fields.hi[i], fields.lo[i], sumHi, sumLo, fields.arrayLength[i]);
  }

  /**
   * Writes the frame of the successor of `parent` that replaces field `delta[at + 2k]` by
   * ref `delta[at + 2k + 1]` (k < count), with its field-term sum in `total`; returns its length.
   */
  encodeDelta(parent: ParentFields, total: Fingerprint, delta: Int32Array, at: number, count: number): number {
    const n = parent.shape!.sorted.length;
    this.reserve(3 + n);
    const words = this.words;
    words[0] = this.shapeIds.get(parent.shape!)!;
    words[1] = total.hi;
    words[2] = total.lo;
    for (let i = 0; i < n; i++) words[3 + i] = parent.fieldRefs[i];
    for (let k = 0; k < count; k++) words[3 + delta[at + 2 * k]] = delta[at + 2 * k + 1];
    return (this.length = 3 + n);
  }

  /** The fingerprint (into `out`) of a record state of `shape` whose field terms sum to `total`, sealed as Fingerprinter seals one. */
  sealRecord(shape: RecordShape, total: Fingerprint, out: Fingerprint): void {
    seal((shape.sorted.length << 4) | TAG_RECORD, shape.digestHi!, shape.digestLo!, total.hi, total.lo, out);
  }

  /** Decodes the frame at `words[at]`; leaves the state's field digests and refs in `into`. */
  decode(words: Int32Array, at: number, into: ParentFields): Value {
    const id = words[at];
    if (id === NOT_A_RECORD) {
      into.shape = undefined;
      return decode(words, at + 1, this.strings, this.records, this.elements).value;
    }
    const { shape, make } = this.shapes[id];
    const n = shape.sorted.length;
    into.shape = shape;
    into.reserve(n);
    const values = this.values;
    into.totalHi = words[at + 1];
    into.totalLo = words[at + 2];
    const store = this.store;
    const refs = into.fieldRefs.length >= n ? into.fieldRefs : (into.fieldRefs = new Int32Array(into.hi.length));
    for (let i = 0; i < n; i++) {
      const ref = words[at + 3 + i];
      const value = store.value(ref);
      values[i] = value;
      into.refs[i] = value;
      refs[i] = ref;
      into.hi[i] = store.hi[ref];
      into.lo[i] = store.lo[ref];
      into.sumHi[i] = store.sumHi[ref];
      into.sumLo[i] = store.sumLo[ref];
      into.arrayLength[i] = store.arrayLength[ref];
    }
    return make(values);
  }

  private reserve(need: number): void {
    if (need <= this.words.length) return;
    let size = this.words.length;
    while (size < need) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.words.subarray(0, this.length));
    this.words = bigger;
  }
}
