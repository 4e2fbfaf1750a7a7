/**
 * Parsed JSON to TraceLine, for the three line formats (readers in traces/trace-log/ do the
 * reading; this is pure). Values go through the ITF decoding, so that `{"#set": [...]}` and
 * `{"#bigint": "..."}` mean what they do in ITF, and a JSON integer beyond 2^53 (already
 * rounded by JSON.parse) is an error, not a wrong value.
 *
 * - ndjson (the TLA+ trace-validation template): `event`, `event_args`, optional `clock`, and
 *   per logged variable a list of update operations `{op, path, args, map?}`;
 * - states: one snapshot per line, each key a variable with its whole value;
 * - ITF states (one `states[i]` of an ITF file): like a snapshot, `#meta` left out.
 */
import { InputError } from "../history/input-error.ts";
import { itfToState, ItfError, readItf, setField } from "./itf.ts";
import type { LoggedVariable, TraceLine, UpdateOp } from "./mapping.ts";

/** A JSON value decoded as a state value (ITF tags understood), or an InputError at `pointer`. */
export function stateValue(json: unknown, file: string, location: string, pointer: string): unknown {
  try {
    return plain(json, pointer, 0);
  } catch (e) {
    if (e instanceof ItfError) throw new InputError(file, location, `${e.pointer || "/"}: ${e.message}`);
    throw e;
  }
}

/**
 * One pass from parsed JSON to a state value for plain JSON (most log values); an object
 * with a single "#..." key goes through the ITF reader. Same results as
 * itfToState(readItf(json)), without building the ITF tree.
 */
function plain(json: unknown, pointer: string, depth: number): unknown {
  switch (typeof json) {
    case "string":
    case "boolean":
      return json;
    case "number":
      if (Number.isInteger(json) && !Number.isSafeInteger(json)) throw new ItfError(pointer, `the integer ${json} is beyond 2^53 and was rounded by JSON; write it as {"#bigint": "..."}`);
      if (!Number.isFinite(json)) throw new ItfError(pointer, "not a finite number");
      return json;
    case "object": {
      if (json === null) return null;
      if (depth > 500) throw new ItfError(pointer, "values nested deeper than 500");
      if (Array.isArray(json)) return json.map((x, i) => plain(x, `${pointer}/${i}`, depth + 1));
      const keys = Object.keys(json);
      if (keys.length === 1 && keys[0].startsWith("#")) return itfToState(readItf(json, pointer, depth), pointer);
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const v = plain((json as Record<string, unknown>)[k], pointer + "/" + k, depth + 1);
        setField(out, k, v);
      }
      return out;
    }
    default:
      throw new ItfError(pointer, `not a JSON value (${typeof json})`);
  }
}

const RESERVED = new Set(["event", "event_args", "clock"]);

/**
 * An NDJSON event-log line. `variables` are the logged variables the spec knows; a key that
 * holds a list of operations but names no such variable is an error (a typo would otherwise
 * silently check nothing); other keys stay in `raw` for the mapping.
 */
export function ndjsonLine(json: unknown, file: string, lineNo: number, variables: ReadonlySet<string>): TraceLine {
  const location = `line ${lineNo}`;
  const bad = (pointer: string, why: string) => new InputError(file, location, `${pointer}: ${why}`);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw bad("/", "a trace line is a JSON object");
  const o = json as Record<string, unknown>;
  if (o.event !== undefined && typeof o.event !== "string") throw bad("/event", "the event name is a string");
  if (o.event_args !== undefined && !Array.isArray(o.event_args)) throw bad("/event_args", "event_args is a list");
  const eventArgs = ((o.event_args as unknown[] | undefined) ?? []).map((a, i) => stateValue(a, file, location, `/event_args/${i}`));
  const vars = new Map<string, LoggedVariable>();
  const raw: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(o)) {
    if (RESERVED.has(key)) continue;
    const x = o[key];
    if (variables.has(key)) {
      if (!Array.isArray(x)) throw bad(`/${key}`, `a logged variable holds a list of update operations ({op, path, args})`);
      vars.set(key, { kind: "ops", ops: x.map((u, i) => updateOp(u, file, location, `/${key}/${i}`)) });
    } else if (Array.isArray(x) && x.length > 0 && x.every((u) => typeof u === "object" && u !== null && "op" in u)) {
      throw bad(`/${key}`, `"${key}" is logged like a variable, but the spec's trace mapping has no such variable (it has: ${[...variables].join(", ") || "none"})`);
    } else raw[key] = x;
  }
  return { event: o.event as string | undefined, eventArgs, vars, raw, where: `${file}:${lineNo}` };
}

function updateOp(u: unknown, file: string, location: string, pointer: string): UpdateOp {
  const bad = (why: string) => new InputError(file, location, `${pointer}: ${why}`);
  if (typeof u !== "object" || u === null || Array.isArray(u)) throw bad("an update operation is an object {op, path, args}");
  const o = u as Record<string, unknown>;
  if (typeof o.op !== "string") throw bad("op is a string");
  const path = o.path ?? [];
  if (!Array.isArray(path)) throw bad("path is a list");
  const args = o.args ?? [];
  if (!Array.isArray(args)) throw bad("args is a list");
  return {
    op: o.op,
    path: path.map((p, i) => stateValue(p, file, location, `${pointer}/path/${i}`)),
    args: args.map((a, i) => stateValue(a, file, location, `${pointer}/args/${i}`)),
    ...(o.map !== undefined ? { map: o.map } : {}),
  };
}

/** A state snapshot (states format, or one ITF state): every key but `#meta` is a variable with its value. */
export function snapshotLine(json: unknown, file: string, lineNo: number, pointerBase = ""): TraceLine {
  const location = pointerBase ? `#${pointerBase}` : `line ${lineNo}`;
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new InputError(file, location, "a state is a JSON object of variables");
  const vars = new Map<string, LoggedVariable>();
  for (const key of Object.keys(json)) {
    if (key === "#meta") continue;
    vars.set(key, { kind: "value", value: stateValue((json as Record<string, unknown>)[key], file, location, `${pointerBase}/${key}`) });
  }
  return { eventArgs: [], vars, raw: Object.create(null), where: pointerBase ? `${file}#${pointerBase}` : `${file}:${lineNo}` };
}

export { ItfError };
