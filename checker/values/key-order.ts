/**
 * Sorted key lists of records, remembered per insertion-order key list. Specs usually build
 * every state with the same key order (often not alphabetical: `{ rmState, tmState, ... }`),
 * so sorting once per distinct key list, rather than once per state, takes the sort off the
 * hot path. The lookup walks a trie by key identity: one map probe per key, no allocation.
 */
interface KeyNode {
  readonly next: Map<string, KeyNode>;
  /** Keys of the path to this node, sorted; set on the nodes that end a key list. */
  shape?: RecordShape;
}

/** A record's sorted key list, with room for a digest of it (filled in by the fingerprinter). */
export interface RecordShape {
  readonly sorted: readonly string[];
  digestHi?: number;
  digestLo?: number;
  /** The encoded words of the sorted keys (filled in by the encoder). */
  keysCode?: readonly number[];
}

export class KeyOrder {
  private readonly root: KeyNode = { next: new Map() };
  private size = 0;

  /** The own enumerable keys of `o` in sorted order. */
  sortedKeys(o: object): readonly string[] {
    return this.shapeOf(o).sorted;
  }

  /** The shape (sorted keys) of `o`. */
  shapeOf(o: object): RecordShape {
    let node = this.root;
    for (const key in o) {
      let child = node.next.get(key);
      if (child === undefined) {
        if (this.size > 100_000) return { sorted: Object.keys(o).sort() }; // pathological specs: do not grow without bound
        child = { next: new Map() };
        node.next.set(key, child);
        this.size++;
      }
      node = child;
    }
    return (node.shape ??= { sorted: Object.keys(o).sort() });
  }
}
