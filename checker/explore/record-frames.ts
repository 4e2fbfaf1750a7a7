/**
 * How the BFS frontier stores record states ("frames"): the id of the state's key list,
 * then for each field its 64-bit digest, the length of its code and its code:
 *
 *   [shapeId, totalHi, totalLo, (digestHi, digestLo, sumHi, sumLo, length, ...code) per field]
 *
 * (total: the sum of the field terms; fields in sorted key order)
 *
 * (sum: an array field's sum of element terms, a set field's sum of its elements' terms,
 * see fingerprint.ts and hash.ts; 0 for other fields).
 *
 * A state that is not a record is stored as [-1, ...its plain encoding].
 *
 * Framing pays three ways. Encoding a new successor copies the code of every field it
 * shares with its parent instead of walking it again. Decoding goes through a small cache
 * per field position keyed by digest and checked against the code, so consecutive states
 * that hold equal fields get the *same* field objects, which is what lets the fingerprinter
 * skip unchanged fields by identity (fingerprint.ts) and ValueSet's probe memo hit. And the
 * decoded parent arrives with its field digests, so its successors need no rehash of them.
 */
import { CodeCache, decode, RecordShapes, StringTable } from "../values/decode.ts";
import { Encoder } from "../values/encode.ts";
import { FieldDigests } from "../values/fingerprint.ts";
import type { RecordShape } from "../values/key-order.ts";
import { ValueSet, type Value } from "../values/value.ts";
import type { Fingerprint } from "../values/hash.ts";

const NOT_A_RECORD = -1;
/** Fields past this position are decoded without a cache (records that wide are rare). */
const MAX_CACHED_FIELDS = 32;

/** A decoded state's field digests, plus each field's code for encoding its successors. */
export class ParentFields extends FieldDigests {
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
  /** Decoded set elements (messages, mostly), shared between the sets that hold them. */
  private readonly elements = new CodeCache();
  /** Per field position, decoded field values by code. */
  private readonly caches: CodeCache[] = [];
  private readonly values: Value[] = [];
  private readonly sum: Fingerprint = { hi: 0, lo: 0 };

  /**
   * Writes the frame of `state` into `words`, returning its length. `fields` holds what
   * its fingerprint left, computed against `parent` (so fields that are the same objects
   * as the parent's take their code and digests from the parent).
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
    let id = this.shapeIds.get(shape);
    if (id === undefined) {
      id = this.shapes.length;
      this.shapeIds.set(shape, id);
      this.shapes.push({ shape, make: this.records.maker(shape.sorted) });
    }
    this.length = 0;
    this.reserve(3 + 5 * n);
    this.words[this.length++] = id;
    this.words[this.length++] = fields.totalHi;
    this.words[this.length++] = fields.totalLo;
    const same = parent !== undefined && parent.shape === shape;
    for (let i = 0; i < n; i++) {
      const x = fields.refs[i];
      // A field shared with the parent takes its code and digests from the parent.
      const from: FieldDigests = same && parent.refs[i] === x ? parent : fields;
      let code: ArrayLike<number>, m: number;
      if (from === parent) {
        code = parent.codes[i];
        m = code.length;
      } else {
        m = this.encoder.encode(x);
        code = this.encoder.words;
      }
      this.reserve(this.length + 5 + m);
      const words = this.words;
      let at = this.length;
      words[at++] = from.hi[i];
      words[at++] = from.lo[i];
      if (from.arrayLength[i] >= 0) {
        words[at++] = from.sumHi[i];
        words[at++] = from.sumLo[i];
      } else if (x instanceof ValueSet) {
        x.elementSum(this.sum); // known: the fingerprint computed it
        words[at++] = this.sum.hi;
        words[at++] = this.sum.lo;
      } else {
        words[at++] = 0;
        words[at++] = 0;
      }
      words[at++] = m;
      for (let k = 0; k < m; k++) words[at + k] = code[k];
      this.length = at + m;
    }
    return this.length;
  }

  /** Decodes the frame at `words[at]`; leaves the state's field digests and codes in `into`. */
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
    let p = at + 3;
    for (let i = 0; i < n; i++) {
      const hi = words[p], lo = words[p + 1], len = words[p + 4];
      into.sumHi[i] = words[p + 2];
      into.sumLo[i] = words[p + 3];
      p += 5;
      let value: Value, code: Int32Array;
      const cache = i < MAX_CACHED_FIELDS ? (this.caches[i] ??= new CodeCache()) : undefined;
      const slot = cache ? cache.slotOf(hi) : 0;
      const cached = cache?.get(slot, words, p, len);
      if (cached !== undefined) {
        value = cached;
        code = cache!.code(slot);
      } else {
        value = decode(words, p, this.strings, this.records, this.elements).value;
        // A decoded set starts with its element sum, so the sets an action makes of it by
        // `add` and `delete` are digested incrementally.
        if (value instanceof ValueSet) value.primeElementSum(words[p - 3], words[p - 2]);
        if (cache) {
          cache.put(slot, words, p, len, value);
          code = cache.code(slot);
        } else code = words.slice(p, p + len);
      }
      values[i] = value;
      into.refs[i] = value;
      into.hi[i] = hi;
      into.lo[i] = lo;
      into.codes[i] = code;
      into.arrayLength[i] = Array.isArray(value) ? value.length : -1;
      p += len;
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
