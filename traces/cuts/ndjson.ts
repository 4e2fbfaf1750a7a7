/**
 * Reads an NDJSON event log (traces/schemas/event-log.schema.json) line by line (a stream
 * of bytes split at newlines, each line decoded as strict UTF-8), so a long log is never
 * held as one string. Each line is parsed and validated on its own; any problem is an
 * InputError naming the file and the line.
 */
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { InputError } from "../../checker/history/input-error.ts";
import type { RawEvent } from "../../checker/cuts/computation.ts";
import type { EventLogHeader, LogEvent } from "../generated/event-log.ts";

const schemaPath = fileURLToPath(new URL("../schemas/event-log.schema.json", import.meta.url));
let validators: { header: ValidateFunction; event: ValidateFunction } | undefined;

function compiled(): { header: ValidateFunction; event: ValidateFunction } {
  if (!validators) {
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
    const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addSchema(schema);
    validators = { header: ajv.getSchema(`${schema.$id}#/definitions/EventLogHeader`)!, event: ajv.getSchema(`${schema.$id}#/definitions/LogEvent`)! };
  }
  return validators;
}

export interface ParsedLog {
  readonly events: RawEvent[];
  readonly declared?: readonly string[];
}

function describe(v: ValidateFunction): string {
  // Skip ajv's "must match then schema" wrappers: the useful error is the one before.
  const err = v.errors!.find((e) => e.keyword !== "if") ?? v.errors![0];
  const at = err.instancePath ? `${err.instancePath.slice(1).replace(/\//g, ".")} ` : "";
  const p = err.params as Record<string, unknown>;
  const extra = err.keyword === "additionalProperties" ? ` ("${p.additionalProperty}")` : err.keyword === "enum" ? ` (${(p.allowedValues as string[]).join(", ")})` : "";
  return `${at}${err.message ?? "invalid"}${extra}`;
}

/** Parses one line (already known non-blank). Exported for the tests. */
export function parseLine(file: string, text: string, line: number, first: boolean): { header?: EventLogHeader; event?: RawEvent } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(file, `line ${line}`, "nested too deeply to read (is this an event log?)");
    throw new InputError(file, `line ${line}`, `not valid JSON: ${(e as Error).message}`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new InputError(file, `line ${line}`, "each line must be a JSON object (an event, or a header first)");
  const v = compiled();
  if (!("kind" in data) && "processes" in data) {
    if (!first) throw new InputError(file, `line ${line}`, "a header (\"processes\") may only be the first line");
    if (!v.header(data)) throw new InputError(file, `line ${line}`, `bad header: ${describe(v.header)}`);
    return { header: data as EventLogHeader };
  }
  if (!v.event(data)) throw new InputError(file, `line ${line}`, describe(v.event));
  const e = data as LogEvent;
  return {
    event: {
      process: e.process, kind: e.kind, line,
      ...(e.msg !== undefined ? { msg: e.msg } : {}),
      ...(e.to !== undefined ? { to: e.to } : {}),
      ...(e.from !== undefined ? { from: e.from } : {}),
      ...(e.id !== undefined ? { id: e.id } : {}),
      ...(e.round !== undefined ? { round: e.round } : {}),
      ...(e.clock !== undefined ? { clock: e.clock } : {}),
      ...(e.label !== undefined ? { label: e.label } : {}),
      ...(e.logged !== undefined ? { logged: e.logged } : {}),
      ...(e.state !== undefined ? { state: e.state } : {}),
      ...(e.blocked !== undefined ? { blocked: e.blocked } : {}),
    },
  };
}

/** Streams `file`. Throws InputError (unreadable file, a bad line, no events). */
export async function readNdjsonLog(file: string): Promise<ParsedLog> {
  const events: RawEvent[] = [];
  let declared: string[] | undefined;
  let line = 0, sawContent = false;
  const stream = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new InputError(file, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // Lines are split as bytes and decoded as strict UTF-8: invalid bytes are an error naming
  // the line, never U+FFFD (two process names that differ only in bad bytes would be one).
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const take = (bytes: Buffer) => {
    line++;
    let raw: string;
    try {
      raw = decoder.decode(bytes);
    } catch {
      throw new InputError(file, `line ${line}`, "not valid UTF-8");
    }
    const text = (line === 1 ? raw.replace(/^\uFEFF/, "") : raw).replace(/\r$/, "");
    if (text.trim() === "") return;
    const parsed = parseLine(file, text, line, !sawContent);
    sawContent = true;
    if (parsed.header) declared = parsed.header.processes;
    else events.push(parsed.event!);
  };
  try {
    let pending: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0, at: number;
      while ((at = chunk.indexOf(10, from)) >= 0) {
        take(pending.length ? Buffer.concat([...pending, chunk.subarray(from, at)]) : chunk.subarray(from, at));
        pending = [];
        from = at + 1;
      }
      if (from < chunk.length) pending.push(chunk.subarray(from));
    }
    if (pending.length) take(Buffer.concat(pending));
  } catch (e) {
    if (e instanceof InputError || typeof (e as NodeJS.ErrnoException).code !== "string") throw e;
    throw new InputError(file, line ? `line ${line}` : undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    stream.destroy();
  }
  return { events, ...(declared ? { declared } : {}) };
}
