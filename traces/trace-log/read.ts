/**
 * Reading traces for `dscheck trace validate`: NDJSON event logs and state snapshots are
 * streamed line by line (a trace is never held whole: each line goes to the validator as it
 * is read), ITF files are read whole (one JSON document). Bytes are decoded as strict UTF-8
 * (invalid UTF-8 is an error with its line, never U+FFFD), and every malformed line is an
 * InputError naming the file and the line or JSON pointer.
 */
import { createReadStream, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { ndjsonLine, snapshotLine, type ParamDecls, type Spec, type TraceLine, TraceValidator } from "../../checker/index.ts";

export type TraceFormat = "ndjson" | "states" | "itf";

/** Guesses the format from the name and first bytes: `.itf.json` or an object with "states" is ITF. */
export function detectFormat(file: string): TraceFormat {
  if (/\.itf\.json$/i.test(file)) return "itf";
  return "ndjson";
}

/** Streams the lines of `file` (1-based numbers; blank lines skipped), decoded strictly. */
export async function* textLines(file: string): AsyncGenerator<{ text: string; lineNo: number }> {
  for await (const batch of lineBatches(file)) yield* batch;
}

/** The lines of `file`, a chunk's worth at a time (one await per chunk, not per line). */
async function* lineBatches(file: string): AsyncGenerator<{ text: string; lineNo: number }[]> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending = Buffer.alloc(0);
  let lineNo = 0;
  const decode = (bytes: Buffer, out: { text: string; lineNo: number }[]) => {
    lineNo++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new InputError(file, `line ${lineNo}`, "not valid UTF-8");
    }
    if (text.endsWith("\r")) text = text.slice(0, -1); // CRLF line ends
    if (text.trim() !== "") out.push({ text, lineNo });
  };
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      let buf = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      const out: { text: string; lineNo: number }[] = [];
      let at: number;
      while ((at = buf.indexOf(10)) >= 0) {
        decode(buf.subarray(0, at), out);
        buf = buf.subarray(at + 1);
      }
      pending = Buffer.from(buf);
      if (out.length) yield out;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (pending.length) {
    const out: { text: string; lineNo: number }[] = [];
    decode(pending, out);
    if (out.length) yield out;
  }
}

function parseJson(file: string, lineNo: number, text: string): unknown {
  return guardedRead(file, () => {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new InputError(file, `line ${lineNo}`, `not JSON: ${(e as Error).message}`);
    }
  });
}

/** The trace lines of `file` for `validator`, streamed (ndjson, states) or read whole (itf). */
export async function* traceLines(file: string, format: TraceFormat, variables: ReadonlySet<string>): AsyncGenerator<TraceLine> {
  const name = basename(file) === file ? file : file;
  if (format === "itf") {
    let bytes: Buffer;
    try {
      if (statSync(file).size > 512 * 2 ** 20) throw new InputError(name, undefined, "an ITF file over 512 MB (ITF is one JSON document; use NDJSON states for long traces)");
      bytes = readFileSync(file);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(name, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(name, undefined, "not valid UTF-8");
    }
    const doc = guardedRead(name, () => {
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new InputError(name, undefined, `not JSON: ${(e as Error).message}`);
      }
    });
    if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { states?: unknown }).states)) throw new InputError(name, "#/states", "an ITF trace is an object with a list of states");
    const states = (doc as { states: unknown[] }).states;
    for (let i = 0; i < states.length; i++) yield snapshotLine(states[i], name, i + 1, `/states/${i}`);
    return;
  }
  for await (const batch of lineBatches(file)) {
    for (const { text, lineNo } of batch) {
      const json = parseJson(name, lineNo, text);
      yield format === "states" ? snapshotLine(json, name, lineNo) : ndjsonLine(json, name, lineNo, variables);
    }
  }
}


/** The records of a --config file (NDJSON objects, or one JSON value). */
export async function readConfig(file: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const { text, lineNo } of textLines(file)) out.push(parseJson(file, lineNo, text));
  return out;
}

/** All lines of an NDJSON event log for `spec` (tests and small traces; the CLI streams). */
export async function readNdjsonTrace<S, D extends ParamDecls>(file: string, spec: Spec<S, D>, options: { params?: Record<string, unknown> } = {}): Promise<TraceLine[]> {
  const variables = new TraceValidator(spec as unknown as Spec<unknown, ParamDecls>, options).variableNames;
  const lines: TraceLine[] = [];
  for await (const l of traceLines(file, "ndjson", variables)) lines.push(l);
  return lines;
}
