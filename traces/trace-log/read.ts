/**
 * Reading traces for `dscheck trace validate`: NDJSON event logs and state snapshots are
 * streamed a chunk (1 MB) at a time, each line decoded as it is taken (a trace is never held
 * whole), ITF files are read whole (one JSON document). Bytes are decoded as strict UTF-8
 * (invalid UTF-8 is an error with its line, never U+FFFD), and every malformed line is an
 * InputError naming the file and the line or JSON pointer.
 */
import { createReadStream, readFileSync, statSync } from "node:fs";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { inexactJson, mayRepeatKeys } from "../jepsen/json-syntax.ts";
import { ndjsonLine, snapshotLine, type ParamDecls, type Spec, type TraceLine, TraceValidator } from "../../checker/index.ts";

export type TraceFormat = "ndjson" | "states" | "itf";

/** Guesses the format from the name and first bytes: `.itf.json` or an object with "states" is ITF. */
export function detectFormat(file: string): TraceFormat {
  if (/\.itf\.json$/i.test(file)) return "itf";
  return "ndjson";
}

/** Streams the lines of `file` (1-based numbers; blank lines skipped), decoded strictly. */
export async function* textLines(file: string): AsyncGenerator<{ text: string; lineNo: number }> {
  for await (const batch of lineBatches(file)) {
    for (let i = 0; i < batch.texts.length; i++) yield { text: batch.texts[i], lineNo: batch.lineNos[i] };
    if (batch.error) throw batch.error;
  }
}

/** A chunk's worth of non-blank lines and their 1-based numbers; `error` is the line after them, which is not valid UTF-8. */
interface LineBatch {
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
async function* lineBatches(file: string): AsyncGenerator<LineBatch> {
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

function parseJson(file: string, lineNo: number, text: string): unknown {
  // guardedRead's rule inline (no closure per line): a stack overflow is "nested too deeply".
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new InputError(file, undefined, "nested too deeply to read (is this a history file?)");
    throw new InputError(file, `line ${lineNo}`, `not JSON: ${(e as Error).message}`);
  }
  // JSON.parse keeps the last of a repeated key, another reader the first: the line would
  // say two things. (Numbers have the decoder's own rules.) Lines are remembered by text, so
  // a repeated line is scanned once.
  const repeated = mayRepeatKeys(text, value) ? inexactJson(text, { numbers: false }) : undefined;
  if (repeated) throw new InputError(file, `line ${lineNo + repeated.line - 1}`, repeated.message);
  return value;
}

/** The trace lines of `file` for `validator`, streamed (ndjson, states) or read whole (itf). */
export async function* traceLines(file: string, format: TraceFormat, variables: ReadonlySet<string>): AsyncGenerator<TraceLine> {
  for await (const batch of traceLineBatches(file, format, variables)) yield* batch;
}

/**
 * As `traceLines`, a chunk of the file at a time: one await per chunk (about 1 MB) instead
 * of one per line, which is most of the reading cost saved on a long trace. Each batch is
 * iterated synchronously and decodes its lines as they are taken (parsed lines stay short-
 * lived); a malformed line throws when its turn comes, after the lines before it.
 */
export async function* traceLineBatches(file: string, format: TraceFormat, variables: ReadonlySet<string>): AsyncGenerator<Iterable<TraceLine>> {
  if (format === "itf") {
    yield itfStates(file);
    return;
  }
  const seen = new Map<string, TraceLine>();
  for await (const batch of lineBatches(file)) yield decodedLines(file, format, variables, batch, seen);
}

/** Lines longer than this are not remembered by their text (see `decodedLines`). */
const MAX_REMEMBERED_LENGTH = 1024;
const MAX_REMEMBERED_LINES = 4096;

/**
 * The lines of a batch, decoded. A long log repeats lines word for word (the same receipt of
 * the same message, a heartbeat), and the same text always decodes to the same line but for
 * where it is: up to MAX_REMEMBERED_LINES well-formed lines are remembered by their text
 * (exact: the key is the whole text) and taken again without parsing. Malformed lines are
 * never remembered, so their errors name their own line. (A lookup that misses costs too
 * little to measure: lines that never repeat lose nothing.)
 */
function* decodedLines(name: string, format: TraceFormat, variables: ReadonlySet<string>, { texts, lineNos, error }: LineBatch, seen: Map<string, TraceLine>): Generator<TraceLine> {
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i], lineNo = lineNos[i];
    const known = seen.get(text);
    if (known !== undefined) {
      yield { event: known.event, eventArgs: known.eventArgs, vars: known.vars, raw: known.raw, where: `${name}:${lineNo}` };
      continue;
    }
    const json = parseJson(name, lineNo, text);
    const line = format === "states" ? snapshotLine(json, name, lineNo) : ndjsonLine(json, name, lineNo, variables);
    if (text.length <= MAX_REMEMBERED_LENGTH && seen.size < MAX_REMEMBERED_LINES) seen.set(text, line);
    yield line;
  }
  if (error) throw error;
}

/** The states of an ITF file (read whole: ITF is one JSON document), each decoded when taken. */
function* itfStates(name: string): Generator<TraceLine> {
  let bytes: Buffer;
  try {
    if (statSync(name).size > 512 * 2 ** 20) throw new InputError(name, undefined, "an ITF file over 512 MB (ITF is one JSON document; use NDJSON states for long traces)");
    bytes = readFileSync(name);
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
  const repeated = inexactJson(text, { numbers: false });
  // Named as the ITF decoder names its errors: the state, then the full pointer.
  if (repeated) throw new InputError(name, `#${/^\/states\/\d+/.exec(repeated.pointer)?.[0] ?? ""}`, `${repeated.pointer}: ${repeated.message}`);
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { states?: unknown }).states)) throw new InputError(name, "#/states", "an ITF trace is an object with a list of states");
  const states = (doc as { states: unknown[] }).states;
  for (let i = 0; i < states.length; i++) yield snapshotLine(states[i], name, i + 1, `/states/${i}`);
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
