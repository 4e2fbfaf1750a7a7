/**
 * The reading thread of a long trace: reads the file, decodes and splits it, and finds each
 * line in the line memory (line-key.ts), so that the thread validating it gets, per line,
 * the number of a line it has decoded before, or the text to decode. Finding a line is a
 * scan and a hash of its text, most of the cost of a line in a fully logged trace; here it
 * runs beside the validation, on the other core.
 *
 * Numbers are given to texts at their first sighting, before the validating thread has
 * parsed them; that thread parses a first sighting before it takes any line given the same
 * number (they come in order), and a malformed one ends the reading. So a number always
 * stands for a well-formed line, as the memory requires.
 *
 * Protocol: workerData { file, kept }; the thread posts ThreadBatch messages, at most
 * IN_FLIGHT ahead of the "more" messages it receives (one per batch taken), then
 * { kind: "done" }, or { kind: "error" } for a file that cannot be read.
 */
import { parentPort, workerData } from "node:worker_threads";
import { InputError } from "../../checker/history/input-error.ts";
import { LineMemory } from "./line-key.ts";
import { lineBatches } from "./lines.ts";

/** One chunk's lines: per line its number (-1: not remembered) and its line number; the texts of the lines not seen before, in order. */
export interface ThreadBatch {
  readonly kind: "lines";
  readonly ids: Int32Array;
  readonly lineNos: Int32Array;
  readonly fresh: string[];
  /** The line after these is not valid UTF-8 (location and detail of the InputError). */
  readonly error?: { readonly location: string | undefined; readonly detail: string };
}

export type ThreadMessage = ThreadBatch | { readonly kind: "done" } | { readonly kind: "error"; readonly location: string | undefined; readonly detail: string };

export interface ReadThreadData {
  readonly file: string;
  /** The names of the members that say something (see line-key.ts), or none: whole texts. */
  readonly kept: readonly string[] | undefined;
  readonly maxLines: number;
  readonly maxLength: number;
}

/** Batches posted but not yet taken: enough to keep both threads busy, few enough to bound memory. */
const IN_FLIGHT = 2;

async function run(port: NonNullable<typeof parentPort>, data: ReadThreadData): Promise<void> {
  const memory = new LineMemory<number>(data.kept, data.maxLines, data.maxLength);
  let nextId = 0;
  let credits = IN_FLIGHT;
  let wake: (() => void) | undefined;
  port.on("message", () => {
    credits++;
    wake?.();
  });
  try {
    for await (const batch of lineBatches(data.file)) {
      const n = batch.texts.length;
      const ids = new Int32Array(n), lineNos = Int32Array.from(batch.lineNos);
      const fresh: string[] = [];
      for (let i = 0; i < n; i++) {
        const text = batch.texts[i];
        const known = memory.get(text);
        if (known !== undefined) {
          ids[i] = known;
          continue;
        }
        ids[i] = memory.set(text, nextId) ? nextId++ : -1;
        fresh.push(text);
      }
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      const message: ThreadBatch = { kind: "lines", ids, lineNos, fresh, ...(batch.error ? { error: { location: batch.error.location, detail: batch.error.detail } } : {}) };
      port.postMessage(message, [ids.buffer, lineNos.buffer]);
      if (batch.error) return;
    }
    port.postMessage({ kind: "done" } satisfies ThreadMessage);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    port.postMessage({ kind: "error", location: e.location, detail: e.detail } satisfies ThreadMessage);
  } finally {
    port.removeAllListeners("message");
  }
}

if (parentPort) await run(parentPort, workerData as ReadThreadData);
