/**
 * The BFS frontier: a FIFO of encoded states in chunks of 32-bit words, each entry
 * `[id, length, ...words]`. Encoded states are 5-20x smaller than the objects they decode
 * to, and being plain typed arrays they can be handed to worker threads (a chunk is a unit
 * of work a worker can take). Consumed chunks are released as soon as they are read.
 */
import { decode, RecordShapes, StringTable } from "../../values/decode.ts";
import type { Value } from "../../values/value.ts";

const CHUNK_WORDS = 1 << 20;

export class StateQueue {
  private chunks: Int32Array[] = [];
  private ends: number[] = [];
  private writePos = 0;
  private readChunk = 0;
  private readPos = 0;
  /** Entries waiting. */
  size = 0;
  /** Bytes held by live chunks. */
  bytes = 0;
  private readonly read: (words: Int32Array, at: number) => Value;

  /**
   * `read` decodes the entry at a position; by default entries are plain encodings. Queues
   * that hand states to each other (BFS levels) share one reader and its decoding tables.
   */
  constructor(read?: (words: Int32Array, at: number) => Value) {
    if (read) this.read = read;
    else {
      const strings = new StringTable(), shapes = new RecordShapes();
      this.read = (words, at) => decode(words, at, strings, shapes).value;
    }
  }

  push(id: number, words: Int32Array, length: number): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.writePos + length + 2 > chunk.length) {
      if (chunk) this.ends[this.chunks.length - 1] = this.writePos;
      chunk = new Int32Array(Math.max(CHUNK_WORDS, length + 2));
      this.chunks.push(chunk);
      this.ends.push(-1);
      this.bytes += chunk.byteLength;
      this.writePos = 0;
    }
    chunk[this.writePos] = id;
    chunk[this.writePos + 1] = length;
    const base = this.writePos + 2;
    for (let i = 0; i < length; i++) chunk[base + i] = words[i];
    this.writePos += length + 2;
    this.size++;
  }

  /** Removes the oldest entry; undefined when empty. */
  shift(): { id: number; state: Value } | undefined {
    if (this.size === 0) return undefined;
    for (;;) {
      const chunk = this.chunks[this.readChunk];
      const isLast = this.readChunk === this.chunks.length - 1;
      const end = isLast ? this.writePos : this.ends[this.readChunk];
      if (this.readPos < end) {
        const id = chunk[this.readPos];
        const length = chunk[this.readPos + 1];
        const value = this.read(chunk, this.readPos + 2);
        this.readPos += length + 2;
        this.size--;
        return { id, state: value };
      }
      // Chunk consumed: release it.
      this.bytes -= chunk.byteLength;
      this.chunks[this.readChunk] = EMPTY;
      this.readChunk++;
      this.readPos = 0;
      if (this.readChunk >= this.chunks.length) return undefined;
    }
  }
}

const EMPTY = new Int32Array(0);
