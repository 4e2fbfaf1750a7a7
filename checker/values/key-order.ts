/**
 * Sorted key lists of records, remembered per insertion-order key list. Specs usually build
 * every state with the same key order (often not alphabetical: `{ rmState, tmState, ... }`),
 * so sorting once per distinct key list, rather than once per state, takes the sort off the
 * hot path. The lookup walks a trie by key identity (a one-entry memo per node, then a map
 * probe), and collects the record's values on the way: a `for...in` loop reads them through
 * the engine's enumeration cache, far cheaper than `o[key]` with a different key each time.
 */
interface KeyNode {
  readonly next: Map<string, KeyNode>;
  lastKey: string | undefined;
  lastChild: KeyNode | undefined;
  /** Set on the nodes that end a key list. */
  shape?: RecordShape;
  /** For the same: position in sorted order of the i-th key in insertion order. */
  slot?: Int32Array;
  /** For the same: the keys in insertion order. */
  keys: readonly string[];
}

/** A record's sorted key list, with room for a digest of it (filled in by the fingerprinter). */
export interface RecordShape {
  readonly sorted: readonly string[];
  digestHi?: number;
  digestLo?: number;
  /** The encoded words of the sorted keys (filled in by the encoder). */
  keysCode?: readonly number[];
}

const MAX_NODES = 100_000;

export class KeyOrder {
  private readonly root: KeyNode = newNode();
  private size = 0;
  /** One shape per sorted key list, whatever order the keys were written in (callers compare shapes by identity). */
  private readonly bySortedKeys = new Map<string, RecordShape>();
  /** The node of the last record's key list (the root, with no keys, before the first). */
  private last: KeyNode;

  constructor() {
    this.last = this.root;
    this.root.slot = new Int32Array(0);
    this.root.shape = this.canonical([]);
  }

  /** The shape (sorted keys) of `o`; its values, in the same order, are left in `values`. */
  shapeOf(o: object, values: unknown[]): RecordShape {
    // Fast path: the same keys, in the same order, as the last record (the usual case):
    // each value goes straight to its sorted position.
    const last = this.last, lastKeys = last.keys, slot = last.slot!;
    let n = 0;
    for (const key in o) {
      if (lastKeys[n] !== key) return this.slowShapeOf(o, values);
      values[slot[n++]] = (o as Record<string, unknown>)[key];
    }
    return n === lastKeys.length ? last.shape! : this.slowShapeOf(o, values);
  }

  private slowShapeOf(o: object, values: unknown[]): RecordShape {
    const node = this.find(o);
    if (node === undefined) return this.untracked(o, values);
    const slot = node.slot!;
    let n = 0;
    for (const key in o) values[slot[n++]] = (o as Record<string, unknown>)[key];
    return node.shape!;
  }

  /** The trie node that ends the key list of `o` (creating it), or undefined past the size limit. */
  private find(o: object): KeyNode | undefined {
    let node = this.root;
    for (const key in o) {
      let child = node.lastKey === key ? node.lastChild : node.next.get(key);
      if (child === undefined) {
        if (this.size > MAX_NODES) return undefined; // pathological specs: do not grow without bound
        child = newNode();
        node.next.set(key, child);
        this.size++;
      }
      node.lastKey = key;
      node.lastChild = child;
      node = child;
    }
    if (node.shape === undefined) {
      const keys = Object.keys(o);
      const sorted = keys.slice().sort();
      node.shape = this.canonical(sorted);
      node.slot = Int32Array.from(keys, (k) => node.shape!.sorted.indexOf(k));
      node.keys = keys;
    }
    this.last = node;
    return node;
  }

  private untracked(o: object, values: unknown[]): RecordShape {
    const sorted = Object.keys(o).sort();
    for (let i = 0; i < sorted.length; i++) values[i] = (o as Record<string, unknown>)[sorted[i]];
    return { sorted };
  }

  private canonical(sorted: string[]): RecordShape {
    const key = JSON.stringify(sorted);
    let shape = this.bySortedKeys.get(key);
    if (shape === undefined) {
      shape = { sorted };
      if (this.bySortedKeys.size < MAX_NODES) this.bySortedKeys.set(key, shape);
    }
    return shape;
  }
}

function newNode(): KeyNode {
  return { next: new Map(), lastKey: undefined, lastChild: undefined, keys: [] };
}
