/**
 * Dependency-graph edges between transactions, kept in growable typed arrays so that
 * millions of edges cost a few bytes each rather than an object each.
 */

/** Edge kinds as bit flags; one graph edge may carry several. */
export const EDGE = { ww: 1, wr: 2, rw: 4, process: 8, realtime: 16 } as const;
export type EdgeKindName = keyof typeof EDGE;

/** Data dependencies (Adya's DSG): write-write, write-read, read-write (anti-dependency). */
export const DATA_EDGES = EDGE.ww | EDGE.wr | EDGE.rw;
/** Session and real-time order, used for the -process and -realtime anomaly variants. */
export const ORDER_EDGES = EDGE.process | EDGE.realtime;

/** An append-only list of (from, to, kind) triples; self-loops are dropped on insert. */
export class EdgeList {
  from: Int32Array;
  to: Int32Array;
  kind: Uint8Array;
  length = 0;

  /** `capacity` is a first guess; a good one avoids regrowing (each regrowth of a large
   * typed array can trigger a full garbage collection of a large heap). */
  constructor(capacity = 1024) {
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
  }

  /** Adds an edge `from -> to`; edges from a transaction to itself carry no ordering. */
  add(from: number, to: number, kind: number): void {
    if (from === to) return;
    if (this.length === this.from.length) this.grow();
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.kind[this.length] = kind;
    this.length++;
  }

  private grow(): void {
    const n = Math.max(1024, this.from.length * 2);
    const from = new Int32Array(n);
    from.set(this.from);
    const to = new Int32Array(n);
    to.set(this.to);
    const kind = new Uint8Array(n);
    kind.set(this.kind);
    this.from = from;
    this.to = to;
    this.kind = kind;
  }
}

/** Names of the kinds in a bit set, strongest-evidence first (ww, wr, rw, process, realtime). */
export function kindNames(kind: number): EdgeKindName[] {
  return (Object.keys(EDGE) as EdgeKindName[]).filter((k) => (kind & EDGE[k]) !== 0);
}
