/** A growable Int32 column (parent ids, successor indices, depths, graph edges). */
export class IntColumn {
  data = new Int32Array(1 << 12);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  get byteLength(): number {
    return this.data.byteLength;
  }

  /** A compact copy of the values pushed so far. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
