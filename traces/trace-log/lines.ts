/**
 * The lines of a trace file, streamed a chunk (1 MB) at a time and decoded as strict UTF-8
 * (invalid UTF-8 is an error with its line, never U+FFFD). Shared by the reader (read.ts)
 * and its reading thread (read-thread.ts).
 */
import { createReadStream } from "node:fs";
import { InputError } from "../../checker/history/input-error.ts";

/** Streams the lines of `file` (1-based numbers; blank lines skipped), decoded strictly. */
export async function* textLines(file: string): AsyncGenerator<{ text: string; lineNo: number }> {
  for await (const batch of lineBatches(file)) {
    for (let i = 0; i < batch.texts.length; i++) yield { text: batch.texts[i], lineNo: batch.lineNos[i] };
    if (batch.error) throw batch.error;
  }
}

/** A chunk's worth of non-blank lines and their 1-based numbers; `error` is the line after them, which is not valid UTF-8. */
export interface LineBatch {
  readonly texts: string[];
  readonly lineNos: number[];
  error?: InputError;
}

/**
 * The lines of `file`, a chunk (1 MB) at a time: one await per chunk, not per line. Each
 * chunk is cut after its last newline and decoded in one call; only a chunk that is not
 * valid UTF-8 is decoded again line by line, to name the line (a newline byte never occurs
 * inside a multi-byte character, so the cut is exact). A U+FEFF opening a line is dropped,
 * as a per-line decoder drops a BOM.
 */
export async function* lineBatches(file: string): AsyncGenerator<LineBatch> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  // The bytes after the last newline so far, as the chunks that hold them (joined once a
  // newline comes: a line longer than a chunk costs linear time, not quadratic).
  let pending: Buffer[] = [];
  let lineNo = 0;
  const take = (text: string, out: LineBatch) => {
    lineNo++;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1); // CRLF line ends
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Most lines start with "{": no need to look for an all-blank line.
    if (text.charCodeAt(0) === 123 || text.trim() !== "") {
      out.texts.push(text);
      out.lineNos.push(lineNo);
    }
  };
  /** Splits `bytes` (whole lines, the last one without its newline) into `out`. */
  const split = (bytes: Buffer, out: LineBatch) => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return splitByLine(bytes, out);
    }
    let from = 0, at: number;
    while ((at = text.indexOf("\n", from)) >= 0) {
      take(text.slice(from, at), out);
      from = at + 1;
    }
    take(text.slice(from), out);
  };
  const splitByLine = (bytes: Buffer, out: LineBatch) => {
    let from = 0, at: number;
    for (;;) {
      at = bytes.indexOf(10, from);
      const line = bytes.subarray(from, at < 0 ? bytes.length : at);
      let text: string;
      try {
        text = decoder.decode(line);
      } catch {
        out.error = new InputError(file, `line ${lineNo + 1}`, "not valid UTF-8");
        return;
      }
      take(text, out);
      if (at < 0) return;
      from = at + 1;
    }
  };
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      if ((chunk as Buffer).lastIndexOf(10) < 0) {
        pending.push(Buffer.from(chunk as Buffer));
        continue;
      }
      const buf = pending.length ? Buffer.concat([...pending, chunk as Buffer]) : (chunk as Buffer);
      const end = buf.lastIndexOf(10);
      const out: LineBatch = { texts: [], lineNos: [] };
      split(buf.subarray(0, end), out);
      pending = end + 1 < buf.length ? [Buffer.from(buf.subarray(end + 1))] : [];
      // The lines before a bad one are taken first (the error rides in the batch): the outcome
      // is that of the first bad or rejected line, wherever chunks end.
      if (out.texts.length || out.error) yield out;
      if (out.error) return;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (pending.length) {
    const out: LineBatch = { texts: [], lineNos: [] };
    split(Buffer.concat(pending), out);
    if (out.texts.length || out.error) yield out;
  }
}

