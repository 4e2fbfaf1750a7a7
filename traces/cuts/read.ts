/**
 * Reads an event log for `dscheck cuts`: NDJSON (traces/schemas/event-log.schema.json) or a
 * ShiViz-style text log matched by a regex, into a validated Computation.
 */
import { InputError, guardedRead } from "../../checker/history/input-error.ts";
import { buildComputation, type Computation } from "../../checker/cuts/computation.ts";
import { readNdjsonLog } from "./ndjson.ts";
import { compileLogRegex, GOVECTOR_REGEX, readTextLog } from "./text-log.ts";

export type EventLogFormat = "ndjson" | "shiviz";

export async function readEventLog(file: string, options: { format: EventLogFormat; regex?: string }): Promise<Computation> {
  if (options.format === "shiviz") {
    const re = compileLogRegex(options.regex ?? GOVECTOR_REGEX);
    const { events } = guardedRead(file, () => readTextLog(file, re));
    if (events.length === 0) throw new InputError(file, undefined, "the log holds no events");
    return buildComputation(file, events);
  }
  const log = await readNdjsonLog(file);
  if (log.events.length === 0 && !log.declared) throw new InputError(file, undefined, "the log holds no events");
  return buildComputation(file, log.events, log.declared);
}

export { GOVECTOR_REGEX, RegexError } from "./text-log.ts";
