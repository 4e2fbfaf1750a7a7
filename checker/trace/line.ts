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
import { InvalidValueError } from "../values/encode.ts";
import { itfToState, ItfError, readItf, setField } from "./itf.ts";
import type { LoggedVariable, TraceLine, UpdateOp } from "./mapping.ts";

/** A JSON value decoded as a state value (ITF tags understood), or an InputError at `pointer`. */
export function stateValue(json: unknown, file: string, location: string, pointer: string): unknown {
  // Most logged values are plain JSON that decodes to itself: checked in place, not copied.
  if (isPlainJson(json, 0)) return json;
  return copiedStateValue(json, file, location, pointer);
}

/** As `stateValue`, always building a new value (the one-pass decoder; the reference the in-place check is tested against). */
export function copiedStateValue(json: unknown, file: string, location: string, pointer: string): unknown {
  try {
    return plain(json, pointer, 0);
  } catch (e) {
    if (e instanceof ItfError) throw new InputError(file, location, `${e.pointer || "/"}: ${e.message}`);
    // A set or map element no state can hold (nested deeper than the encoder goes): malformed, not a crash.
    if (e instanceof InvalidValueError) throw new InputError(file, location, `${pointer || "/"}: ${e.what}, which no state value can hold`);
    throw e;
  }
}

/**
 * True when `plain` would return a copy of `json` equal to it in every respect (same keys in
 * the same order, `__proto__` an own data key as JSON.parse makes it): no ITF tag, no integer
 * beyond 2^53, no non-finite number, nothing nested deeper than `plain` allows. A freshly
 * parsed value is then its own decoding.
 */
function isPlainJson(json: unknown, depth: number): boolean {
  switch (typeof json) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(json) && (!Number.isInteger(json) || Number.isSafeInteger(json));
    case "object": {
      if (json === null) return true;
      if (depth > 500) return false;
      if (Array.isArray(json)) {
        for (let i = 0; i < json.length; i++) if (!isPlainJson(json[i], depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(json) !== Object.prototype) return false;
      let n = 0, first = "";
      for (const k in json) {
        if (!Object.hasOwn(json, k) || !isPlainJson((json as Record<string, unknown>)[k], depth + 1)) return false;
        if (n++ === 0) first = k;
      }
      return !(n === 1 && first.startsWith("#"));
    }
    default:
      return false;
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

/**
 * An NDJSON event-log line. `variables` are the logged variables the spec knows; a key that
 * holds a list of operations but names no such variable is an error (a typo would otherwise
 * silently check nothing); other keys stay in `raw` for the mapping, or, when the mapping
 * declares the fields it reads (`lineFields`), only those.
 */
export function ndjsonLine(json: unknown, file: string, lineNo: number, variables: ReadonlySet<string>, lineFields?: ReadonlySet<string>): TraceLine {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw lineError(file, lineNo, "/", "a trace line is a JSON object");
  const o = json as Record<string, unknown>;
  const event = o.event, rawArgs = o.event_args;
  if (event !== undefined && typeof event !== "string") throw lineError(file, lineNo, "/event", "the event name is a string");
  if (rawArgs !== undefined && !Array.isArray(rawArgs)) throw lineError(file, lineNo, "/event_args", "event_args is a list");
  const location = `line ${lineNo}`;
  const eventArgs = rawArgs === undefined ? NO_ARGS : decodeList(rawArgs as unknown[], file, location, "/event_args");
  const vars = new Map<string, LoggedVariable>();
  const raw: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(o)) {
    if (key === "event" || key === "event_args" || key === "clock") continue;
    const x = o[key];
    if (variables.has(key)) {
      if (!Array.isArray(x)) throw lineError(file, lineNo, `/${key}`, `a logged variable holds a list of update operations ({op, path, args})`);
      const ops: UpdateOp[] = new Array(x.length);
      for (let i = 0; i < x.length; i++) ops[i] = updateOp(x[i], file, location, `/${key}/${i}`);
      vars.set(key, { kind: "ops", ops });
    } else if (Array.isArray(x) && x.length > 0 && x.every((u) => typeof u === "object" && u !== null && "op" in u)) {
      throw lineError(file, lineNo, `/${key}`, `"${key}" is logged like a variable, but the spec's trace mapping has no such variable (it has: ${[...variables].join(", ") || "none"})`);
    } else if (!lineFields || lineFields.has(key)) raw[key] = x;
  }
  return { event: event as string | undefined, eventArgs, vars, raw, where: `${file}:${lineNo}` };
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);

function lineError(file: string, lineNo: number, pointer: string, why: string): InputError {
  return new InputError(file, `line ${lineNo}`, `${pointer}: ${why}`);
}

/** Each element decoded as a state value (errors name `pointer/i`). */
function decodeList(xs: readonly unknown[], file: string, location: string, pointer: string): unknown[] {
  const out: unknown[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = stateValue(xs[i], file, location, `${pointer}/${i}`);
  return out;
}

function updateOp(u: unknown, file: string, location: string, pointer: string): UpdateOp {
  if (typeof u !== "object" || u === null || Array.isArray(u)) throw new InputError(file, location, `${pointer}: an update operation is an object {op, path, args}`);
  const o = u as Record<string, unknown>;
  if (typeof o.op !== "string") throw new InputError(file, location, `${pointer}: op is a string`);
  const path = o.path ?? [];
  if (!Array.isArray(path)) throw new InputError(file, location, `${pointer}: path is a list`);
  const args = o.args ?? [];
  if (!Array.isArray(args)) throw new InputError(file, location, `${pointer}: args is a list`);
  const op: UpdateOp = { op: o.op, path: decodeList(path, file, location, `${pointer}/path`), args: decodeList(args, file, location, `${pointer}/args`) };
  return o.map !== undefined ? { ...op, map: o.map } : op;
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
