/**
 * Reading traces for `dscheck trace validate`: NDJSON event logs and state snapshots are
 * streamed a chunk (1 MB) at a time, each line decoded as it is taken (a trace is never held
 * whole), ITF files are read whole (one JSON document). Bytes are decoded as strict UTF-8
 * (invalid UTF-8 is an error with its line, never U+FFFD), and every malformed line is an
 * InputError naming the file and the line or JSON pointer.
 */
import { readFileSync, statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { inexactJson, mayRepeatKeys } from "../jepsen/json-syntax.ts";
import { LineMemory } from "./line-key.ts";
import { lineBatches, textLines, type LineBatch } from "./lines.ts";
import type { ReadThreadData, ThreadBatch, ThreadMessage } from "./read-thread.ts";
import { ndjsonLine, snapshotLine, type ParamDecls, type Spec, type TraceLine, TraceValidator } from "../../checker/index.ts";

export type TraceFormat = "ndjson" | "states" | "itf";

/** Guesses the format from the name and first bytes: `.itf.json` or an object with "states" is ITF. */
export function detectFormat(file: string): TraceFormat {
  if (/\.itf\.json$/i.test(file)) return "itf";
  return "ndjson";
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

/**
 * The trace lines of `file`, streamed (ndjson, states) or read whole (itf). `variables` and
 * `lineFields` are the validator's (`variableNames`, `lineFields`): what a line's fields are.
 */
export async function* traceLines(file: string, format: TraceFormat, variables: ReadonlySet<string>, lineFields?: ReadonlySet<string>, options: ReadOptions = {}): AsyncGenerator<TraceLine> {
  for await (const batch of traceLineBatches(file, format, variables, lineFields, options)) yield* batch;
}

/**
 * As `traceLines`, a chunk of the file at a time: one await per chunk (about 1 MB) instead
 * of one per line, which is most of the reading cost saved on a long trace. Each batch is
 * iterated synchronously and decodes its lines as they are taken (parsed lines stay short-
 * lived); a malformed line throws when its turn comes, after the lines before it.
 */
export async function* traceLineBatches(file: string, format: TraceFormat, variables: ReadonlySet<string>, lineFields?: ReadonlySet<string>, options: ReadOptions = {}): AsyncGenerator<Iterable<TraceLine>> {
  if (format === "itf") {
    yield itfStates(file);
    return;
  }
  const kept = lineFields && format === "ndjson" ? ["event", "event_args", ...variables, ...lineFields] : undefined;
  if (options.thread ?? fileSize(file) >= THREAD_FROM_BYTES) {
    yield* threadedBatches({ name: file, format, variables, lineFields }, kept);
    return;
  }
  const memory = new LineMemory<TraceLine>(kept, MAX_REMEMBERED_LINES, MAX_REMEMBERED_LENGTH);
  const d: Decoding = { name: file, format, variables, lineFields };
  for await (const batch of lineBatches(file)) yield decodedLines(d, batch, memory);
}

export interface ReadOptions {
  /**
   * Read on a thread of its own (read-thread.ts) or not; by default a file of
   * THREAD_FROM_BYTES or more is. The lines are the same either way (tested), only the time
   * differs: a thread costs some tens of milliseconds to start, which a short trace does not
   * win back.
   */
  readonly thread?: boolean;
}

const THREAD_FROM_BYTES = 16 << 20;

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // the reading itself reports it
  }
}

/**
 * The lines of `file` read on a thread (read-thread.ts): it sends, per line, the number of a
 * line decoded before or the text to decode; decoding (JSON, values) stays here, so errors
 * and lines are exactly those of `decodedLines`. The thread is stopped when the caller stops
 * early (the generator's `finally`).
 */
async function* threadedBatches(d: Decoding, kept: readonly string[] | undefined): AsyncGenerator<Iterable<TraceLine>> {
  const file = d.name;
  const entry = new URL(`./read-thread${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;
  const data: ReadThreadData = { file, kept, maxLines: MAX_REMEMBERED_LINES, maxLength: MAX_REMEMBERED_LENGTH };
  const worker = new Worker(new URL("./read-thread-bootstrap.mjs", import.meta.url), { workerData: { ...data, entry } });
  const inbox: ThreadMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  worker.on("message", (m: ThreadMessage) => {
    inbox.push(m);
    wake?.();
  });
  worker.on("error", (e) => {
    failure = e;
    wake?.();
  });
  worker.on("exit", () => {
    exited = true;
    wake?.();
  });
  const known: TraceLine[] = [];
  try {
    for (;;) {
      while (inbox.length === 0 && failure === undefined && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const m = inbox.shift();
      if (m === undefined) throw failure ?? new Error("the trace reading thread stopped without finishing");
      if (m.kind === "done") return;
      if (m.kind === "error") throw new InputError(file, m.location, m.detail);
      worker.postMessage("more");
      yield threadBatchLines(d, m, known);
    }
  } finally {
    void worker.terminate();
  }
}

/** The lines of one batch from the reading thread, decoded as `decodedLines` decodes them. */
function* threadBatchLines(d: Decoding, batch: ThreadBatch, known: TraceLine[]): Generator<TraceLine> {
  const { ids, lineNos, fresh } = batch;
  let f = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i], lineNo = lineNos[i];
    const line = id >= 0 && id < known.length ? known[id] : undefined;
    if (line !== undefined) {
      yield lineAgain(line, d.name, lineNo);
      continue;
    }
    const decoded = decodeLine(d, fresh[f++], lineNo);
    // A number is given at a text's first sighting, and first sightings come in order.
    if (id < 0) yield decoded;
    else yield (known[id] = { ...decoded, said: {} });
  }
  if (batch.error) throw new InputError(d.name, batch.error.location, batch.error.detail);
}

/** How the lines of one file decode: its name (for messages), format and the mapping's line shape. */
interface Decoding {
  readonly name: string;
  readonly format: TraceFormat;
  readonly variables: ReadonlySet<string>;
  readonly lineFields: ReadonlySet<string> | undefined;
}

function decodeLine(d: Decoding, text: string, lineNo: number): TraceLine {
  const json = parseJson(d.name, lineNo, text);
  return d.format === "states" ? snapshotLine(json, d.name, lineNo) : ndjsonLine(json, d.name, lineNo, d.variables, d.lineFields);
}

/** A remembered line, met again at another line of the file. */
function lineAgain(known: TraceLine, name: string, lineNo: number): TraceLine {
  return { event: known.event, eventArgs: known.eventArgs, vars: known.vars, raw: known.raw, where: `${name}:${lineNo}`, said: known.said };
}

/** Lines longer than this are not remembered by their text (see `decodedLines`). */
const MAX_REMEMBERED_LENGTH = 1024;
const MAX_REMEMBERED_LINES = 4096;

/**
 * The lines of a batch, decoded. A long log repeats lines word for word (the same receipt of
 * the same message, a heartbeat), and the same text always decodes to the same line but for
 * where it is: up to MAX_REMEMBERED_LINES well-formed lines are remembered by their text
 * (exact: the key is the whole text) and taken again without parsing; when the mapping
 * declares the fields it reads, by the text of what they say (line-key.ts), so that lines
 * stamped with a sequence number or a time are remembered too. Malformed lines are never
 * remembered, so their errors name their own line. (A lookup that misses costs too little to
 * measure: lines that never repeat lose nothing.)
 */
function* decodedLines(d: Decoding, { texts, lineNos, error }: LineBatch, memory: LineMemory<TraceLine>): Generator<TraceLine> {
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i], lineNo = lineNos[i];
    const known = memory.get(text);
    if (known !== undefined) {
      yield lineAgain(known, d.name, lineNo);
      continue;
    }
    const line = decodeLine(d, text, lineNo);
    const said = { ...line, said: {} };
    yield memory.set(text, said) ? said : line;
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
  const v = new TraceValidator(spec as unknown as Spec<unknown, ParamDecls>, options);
  const lines: TraceLine[] = [];
  for await (const l of traceLines(file, "ndjson", v.variableNames, v.lineFields)) lines.push(l);
  return lines;
}
