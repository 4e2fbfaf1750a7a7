/**
 * How the BFS frontier stores record states ("frames"): the id of the state's key list,
 * the sum of its field terms (see fingerprint.ts), then per field (in sorted key order)
 * either the ref of its value in a FieldStore (a word >= 0) or the value inline:
 *
 *   [shapeId, totalHi, totalLo, per field: ref | -(length + 1), hi, lo, sumHi, sumLo, arrayLength, ...code]
 *
 * A state that is not a record is stored as [-1, ...its plain encoding].
 *
 * Interning pays three ways. A frame is a few words, so pushing and popping states is cheap
 * and the frontier is small. Encoding a new successor copies the ref of every field it
 * shares with its parent, and interns the others (one encoding and one table probe each).
 * Decoding hands out the store's cached field objects, so consecutive states that hold
 * equal fields get the *same* objects, which is what lets the fingerprinter skip unchanged
 * fields by identity (fingerprint.ts) and ValueSet's probe memo hit; and the decoded parent
 * arrives with its field digests, so its successors need no rehash of them.
 *
 * The store keeps every value for the whole run, which pays only when values repeat. A
 * field position whose values are mostly new (Raft's message set: about one new set per two
 * states) is switched to inline values once it has interned INLINE_AFTER of them and more
 * than one per INLINE_RATIO states; its values then live and die with the frames.
 */
import { CodeCache, decode, RecordShapes, StringTable } from "../../values/decode.ts";
import { Encoder } from "../../values/encode.ts";
import { FieldDigests } from "../../values/fingerprint.ts";
import type { RecordShape } from "../../values/key-order.ts";
import { ValueSet, type Value } from "../../values/value.ts";
import { seal, type Fingerprint } from "../../values/hash.ts";
import { TAG_RECORD } from "../../values/encode.ts";
import { FieldStore } from "./field-store.ts";

const NOT_A_RECORD = -1;
const INLINE_AFTER = 1 << 16;
const INLINE_RATIO = 4;
/** Inline fields past this position are decoded without a cache (records that wide are rare). */
const MAX_CACHED_FIELDS = 32;

/** A decoded state's field digests, plus each field's ref (-1: inline, with its code in `codes`) for encoding its successors. */
export class ParentFields extends FieldDigests {
  fieldRefs = new Int32Array(8);
  codes: Int32Array[] = [];
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
  /** Per field position: whether its values are stored inline, refs it created, and decoded inline values by code. */
  private readonly inline: boolean[] = [];
  private readonly created: number[] = [];
  private readonly caches: CodeCache[] = [];
  private encoded = 0;
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
    this.encoded++;
    this.reserve(3 + n);
    this.words[0] = id;
    this.words[1] = fields.totalHi;
    this.words[2] = fields.totalLo;
    this.length = 3;
    const same = parent !== undefined && parent.shape === shape;
    for (let i = 0; i < n; i++) {
      // A field shared with the parent is written as the parent has it.
      if (same && parent.refs[i] === fields.refs[i]) this.copyField(parent, i);
      else if (this.inline[i]) this.writeInline(fields, i, this.encoder.words, this.encoder.encode(fields.refs[i]));
      else this.writeRef(this.internField(fields, i, true));
    }
    return this.length;
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

  /**
   * The store ref of field `i` of the state whose digests are in `fields`; with `count`, a
   * new value counts towards switching position `i` to inline values.
   */
  internField(fields: FieldDigests, i: number, count = false): number {
    const m = this.encoder.encode(fields.refs[i]);
    const sum = this.elementSumOf(fields, i);
    const size = this.store.size;
    const ref = this.store.intern(this.encoder.words, m, fields.hi[i], fields.lo[i], sum.hi, sum.lo, fields.arrayLength[i]);
    if (count && this.store.size > size) {
      const created = (this.created[i] = (this.created[i] ?? 0) + 1);
      if (created > INLINE_AFTER && created * INLINE_RATIO > this.encoded) this.inline[i] = true;
    }
    return ref;
  }

  /** Field `i`'s element sum: an array's sum of element terms, a set's of its elements' terms, else 0 (see fingerprint.ts). */
  private elementSumOf(fields: FieldDigests, i: number): Fingerprint {
    const x = fields.refs[i], sum = this.sum;
    if (fields.arrayLength[i] >= 0) {
      sum.hi = fields.sumHi[i];
      sum.lo = fields.sumLo[i];
    } else if (x instanceof ValueSet) x.elementSum(sum); // known: the fingerprint computed it
    else sum.hi = sum.lo = 0;
    return sum;
  }

  private writeRef(ref: number): void {
    this.words[this.length++] = ref;
  }

  /** Field `i` as its parent has it: a ref, or its inline value. */
  private copyField(parent: ParentFields, i: number): void {
    const ref = parent.fieldRefs[i];
    if (ref >= 0) {
      this.reserve(this.length + 1);
      this.writeRef(ref);
    } else this.writeInline(parent, i, parent.codes[i], parent.codes[i].length);
  }

  private writeInline(fields: FieldDigests, i: number, code: ArrayLike<number>, m: number): void {
    this.reserve(this.length + 6 + m);
    const words = this.words;
    let at = this.length;
    words[at++] = -(m + 1);
    words[at++] = fields.hi[i];
    words[at++] = fields.lo[i];
    const sum = this.elementSumOf(fields, i);
    words[at++] = sum.hi;
    words[at++] = sum.lo;
    words[at++] = fields.arrayLength[i];
    for (let k = 0; k < m; k++) words[at + k] = code[k];
    this.length = at + m;
  }

  /**
   * Writes the frame of the successor of `parent` that replaces field `delta[at + 2k]` by
   * ref `delta[at + 2k + 1]` (k < count), with its field-term sum in `total`; returns its length.
   */
  encodeDelta(parent: ParentFields, total: Fingerprint, delta: Int32Array, at: number, count: number): number {
    const n = parent.shape!.sorted.length;
    this.encoded++;
    this.reserve(3 + n);
    this.words[0] = this.shapeIds.get(parent.shape!)!;
    this.words[1] = total.hi;
    this.words[2] = total.lo;
    this.length = 3;
    for (let i = 0, k = 0; i < n; i++) {
      // Deltas list fields in position order.
      if (k < count && delta[at + 2 * k] === i) {
        this.reserve(this.length + 1);
        this.writeRef(delta[at + 2 * k + 1]);
        k++;
      } else this.copyField(parent, i);
    }
    return this.length;
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
    let p = at + 3;
    for (let i = 0; i < n; i++) {
      const ref = words[p++];
      let value: Value;
      if (ref >= 0) {
        value = store.value(ref);
        into.hi[i] = store.hi[ref];
        into.lo[i] = store.lo[ref];
        into.sumHi[i] = store.sumHi[ref];
        into.sumLo[i] = store.sumLo[ref];
        into.arrayLength[i] = store.arrayLength[ref];
      } else {
        const len = -ref - 1;
        const hi = words[p], lo = words[p + 1];
        into.hi[i] = hi;
        into.lo[i] = lo;
        into.sumHi[i] = words[p + 2];
        into.sumLo[i] = words[p + 3];
        into.arrayLength[i] = words[p + 4];
        p += 5;
        value = this.inlineValue(i, words, p, len, hi);
        into.codes[i] = words.subarray(p, p + len);
        p += len;
      }
      values[i] = value;
      into.refs[i] = value;
      refs[i] = ref;
    }
    return make(values);
  }

  /** The value coded at `words[p..p+len)`, shared through a per-position cache while it stays there. */
  private inlineValue(i: number, words: Int32Array, p: number, len: number, hi: number): Value {
    const cache = i < MAX_CACHED_FIELDS ? (this.caches[i] ??= new CodeCache()) : undefined;
    const slot = cache ? cache.slotOf(hi) : 0;
    const cached = cache?.get(slot, words, p, len);
    if (cached !== undefined) return cached;
    const value = decode(words, p, this.strings, this.records, this.elements).value;
    // A decoded set starts with its element sum, so the sets an action makes of it by `add`
    // and `delete` are digested incrementally.
    if (value instanceof ValueSet) value.primeElementSum(words[p - 3], words[p - 2]);
    cache?.put(slot, words, p, len, value);
    return value;
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
