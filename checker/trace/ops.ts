/**
 * The update operations a log line applies to a logged variable: the vocabulary of the TLA+
 * trace-validation template (lbinria/trace_validation_tools, TVOperators.tla), including its
 * older names (Update for Replace, AddElementToBag for AddToBag, ...). Applied to the log's
 * view of the state before the line, they give the view the state after it must have. A
 * `path` applies the operation inside a record, map or array (ExceptAtPath). An op that does
 * not fit the value (AddElement on a number) is a TraceShapeError: the line is malformed.
 */
import { compareValues, ValueMap, ValueSet, type Value } from "../values/value.ts";
import { setField } from "./itf.ts";
import type { UpdateOp } from "./mapping.ts";

export class TraceShapeError extends Error {}
/** A path into a key or index the value does not have: the state cannot be the one logged (a rejection, not malformed input). */
export class TraceMissingError extends TraceShapeError {}

const NIL = null;

/** `cur` after `op`; `dflt` is the variable's initial view (for Init, InitRec, InitWithValue). */
export function applyOp(cur: unknown, dflt: unknown, op: UpdateOp, args: readonly unknown[]): unknown {
  if (op.path.length > 0) return atPath(cur, dflt, op.path, 0, op, args);
  return apply(op.op, cur, dflt, args);
}

function atPath(cur: unknown, dflt: unknown, path: readonly unknown[], i: number, op: UpdateOp, args: readonly unknown[]): unknown {
  const h = path[i];
  const inner = get(cur, h), innerDefault = get(dflt, h, true);
  const next = i === path.length - 1 ? apply(op.op, inner, innerDefault, args) : atPath(inner, innerDefault, path, i + 1, op, args);
  return set(cur, h, next);
}

function get(v: unknown, key: unknown, lenient = false): unknown {
  if (v instanceof ValueMap) {
    const x = v.get(key as Value);
    if (x === undefined && !lenient) throw new TraceMissingError(`no key ${JSON.stringify(key)} in the map`);
    return x;
  }
  if (Array.isArray(v) && typeof key === "number") {
    if ((key < 0 || key >= v.length) && !lenient) throw new TraceMissingError(`index ${key} is outside the list`);
    return v[key];
  }
  if (isRecord(v) && typeof key === "string") {
    if (!Object.hasOwn(v, key) && !lenient) throw new TraceMissingError(`no field ${JSON.stringify(key)}`);
    return v[key];
  }
  if (lenient) return undefined;
  throw new TraceShapeError(`a path step ${JSON.stringify(key)} into ${describe(v)}`);
}

function set(v: unknown, key: unknown, x: unknown): unknown {
  if (v instanceof ValueMap) return v.set(key as Value, x as Value);
  if (Array.isArray(v) && typeof key === "number") {
    const out = v.slice();
    out[key] = x;
    return out;
  }
  if (isRecord(v) && typeof key === "string") {
    const out = { ...v };
    setField(out, key, x);
    return out;
  }
  throw new TraceShapeError(`a path step ${JSON.stringify(key)} into ${describe(v)}`);
}

function apply(op: string, cur: unknown, dflt: unknown, args: readonly unknown[]): unknown {
  const arg = (i: number) => {
    if (args.length <= i) throw new TraceShapeError(`${op} needs ${i + 1} argument(s)`);
    return args[i];
  };
  switch (op) {
    case "Init":
      return dflt;
    case "Update":
    case "Replace":
      return arg(0);
    case "AddElement":
      return asSet(cur, op).add(arg(0) as Value);
    case "AddElements": {
      const xs = arg(0);
      if (!Array.isArray(xs) && !(xs instanceof ValueSet)) throw new TraceShapeError(`AddElements takes a list or set, not ${describe(xs)}`);
      let s = asSet(cur, op);
      for (const x of xs) s = s.add(x as Value);
      return s;
    }
    case "RemoveElement":
      return asSet(cur, op).delete(arg(0) as Value);
    case "Clear":
      return ValueSet.empty();
    case "ClearBag":
      return ValueMap.empty();
    case "AddElementToBag":
    case "AddToBag": {
      const bag = asMap(cur, op), x = arg(0) as Value;
      const n = bag.get(x);
      return bag.set(x, (typeof n === "number" ? n : 0) + 1);
    }
    case "RemoveElementFromBag":
    case "RemoveFromBag": {
      const bag = asMap(cur, op), x = arg(0) as Value;
      const n = bag.get(x);
      return typeof n === "number" ? bag.set(x, n - 1) : bag;
    }
    case "AppendElement":
      if (!Array.isArray(cur)) throw new TraceShapeError(`AppendElement on ${describe(cur)}`);
      return [...cur, arg(0)];
    case "ResetKey":
    case "RemoveKey":
      return set(cur, arg(0), NIL);
    case "SetKey":
      return set(cur, arg(0), arg(1));
    case "UpdateRec":
      return mergeRecord(cur, arg(0), op);
    case "InitRec":
      return mergeRecord(cur, dflt, op);
    case "InitWithValue":
      return mergeRecord(dflt, arg(0), op);
    case "Add":
    case "AddInteger":
      return asNumber(cur, op) + asNumber(arg(0), op);
    case "Sub":
    case "SubInteger":
      return asNumber(cur, op) - asNumber(arg(0), op);
    case "Unchanged":
      return cur;
    default:
      throw new TraceShapeError(`unknown operation "${op}"`);
  }
}

/** The operation names understood (for messages and the schema). */
export const OPERATIONS = [
  "Init", "Update", "Replace", "AddElement", "AddElements", "RemoveElement", "Clear", "ClearBag", "AddElementToBag", "AddToBag",
  "RemoveElementFromBag", "RemoveFromBag", "AppendElement", "ResetKey", "RemoveKey", "SetKey", "UpdateRec", "InitRec", "InitWithValue",
  "Add", "AddInteger", "Sub", "SubInteger", "Unchanged",
] as const;

function mergeRecord(cur: unknown, with_: unknown, op: string): unknown {
  if (!isRecord(cur) || !isRecord(with_)) throw new TraceShapeError(`${op} merges records, not ${describe(cur)} and ${describe(with_)}`);
  const out = { ...cur };
  for (const k of Object.keys(cur)) if (Object.hasOwn(with_, k)) setField(out, k, with_[k]);
  return out;
}

function asSet(v: unknown, op: string): ValueSet<Value> {
  if (v instanceof ValueSet) return v;
  throw new TraceShapeError(`${op} on ${describe(v)}, not a set`);
}
function asMap(v: unknown, op: string): ValueMap<Value, Value> {
  if (v instanceof ValueMap) return v;
  if (v === undefined) return ValueMap.empty();
  throw new TraceShapeError(`${op} on ${describe(v)}, not a bag (map)`);
}
function asNumber(v: unknown, op: string): number {
  if (typeof v === "number") return v;
  throw new TraceShapeError(`${op} on ${describe(v)}, not a number`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof ValueSet) && !(v instanceof ValueMap);
}

export function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v instanceof ValueSet) return "a set";
  if (v instanceof ValueMap) return "a map";
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  return typeof v === "object" ? "a record" : `a ${typeof v}`;
}

/** Exact equality of state values (the views the validator compares). */
export function sameValue(a: unknown, b: unknown): boolean {
  try {
    return compareValues(a as Value, b as Value) === 0;
  } catch {
    return false;
  }
}
