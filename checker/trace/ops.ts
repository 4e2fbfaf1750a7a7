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

/** Argument `i` of `op` (a TraceShapeError when the line gave fewer). */
function arg(op: string, args: readonly unknown[], i: number): unknown {
  if (args.length <= i) throw new TraceShapeError(`${op} needs ${i + 1} argument(s)`);
  return args[i];
}

function apply(op: string, cur: unknown, dflt: unknown, args: readonly unknown[]): unknown {
  switch (op) {
    case "Init":
      return dflt;
    case "Update":
    case "Replace":
      return arg(op, args, 0);
    case "AddElement":
      return asSet(cur, op).add(arg(op, args, 0) as Value);
    case "AddElements": {
      const xs = arg(op, args, 0);
      if (!Array.isArray(xs) && !(xs instanceof ValueSet)) throw new TraceShapeError(`AddElements takes a list or set, not ${describe(xs)}`);
      let s = asSet(cur, op);
      for (const x of xs) s = s.add(x as Value);
      return s;
    }
    case "RemoveElement":
      return asSet(cur, op).delete(arg(op, args, 0) as Value);
    case "Clear":
      return ValueSet.empty();
    case "ClearBag":
      return ValueMap.empty();
    case "AddElementToBag":
    case "AddToBag": {
      const bag = asMap(cur, op), x = arg(op, args, 0) as Value;
      const n = bag.get(x);
      return bag.set(x, (typeof n === "number" ? n : 0) + 1);
    }
    case "RemoveElementFromBag":
    case "RemoveFromBag": {
      const bag = asMap(cur, op), x = arg(op, args, 0) as Value;
      const n = bag.get(x);
      return typeof n === "number" ? bag.set(x, n - 1) : bag;
    }
    case "AppendElement":
      if (!Array.isArray(cur)) throw new TraceShapeError(`AppendElement on ${describe(cur)}`);
      return [...cur, arg(op, args, 0)];
    case "ResetKey":
    case "RemoveKey":
      return set(cur, arg(op, args, 0), NIL);
    case "SetKey":
      return set(cur, arg(op, args, 0), arg(op, args, 1));
    case "UpdateRec":
      return mergeRecord(cur, arg(op, args, 0), op);
    case "InitRec":
      return mergeRecord(cur, dflt, op);
    case "InitWithValue":
      return mergeRecord(dflt, arg(op, args, 0), op);
    case "Add":
    case "AddInteger":
      return asNumber(cur, op) + asNumber(arg(op, args, 0), op);
    case "Sub":
    case "SubInteger":
      return asNumber(cur, op) - asNumber(arg(op, args, 0), op);
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

/**
 * Exact equality of state values (the views the validator compares): `compareValues(a, b)
 * === 0`, and false where that throws (a value that is no state value). Decided structurally
 * without encoding whenever the answer is certain (the hot path of trace validation: most
 * comparisons are of short strings, numbers and small records); anything unusual (a value
 * that might not encode, a polluted prototype) goes to `compareValues` itself.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true; // as compareValues, even for a value that would not encode
  const quick = structurallyEqual(a, b, 0);
  if (quick !== undefined) return quick;
  try {
    return compareValues(a as Value, b as Value) === 0;
  } catch {
    return false;
  }
}

/**
 * Equality of two state values by the rules of their encoding (value.ts), or undefined when
 * unsure. `false` is right both when the encodings differ and when one does not encode
 * (compareValues throws, sameValue says false), so only `true` needs both sides valid: no
 * identity shortcut below the top (an invalid value is not equal to itself there).
 */
function structurallyEqual(a: unknown, b: unknown, depth: number): boolean | undefined {
  if (depth > 100) return undefined;
  switch (typeof a) {
    case "string":
    case "boolean":
      return a === b;
    case "number":
      // Encoded equal exactly when === and finite (-0 is 0); a non-finite number does not encode.
      return a === b && Number.isFinite(a);
    case "object":
      break;
    default:
      return false;
  }
  if (a === null) return b === null;
  if (typeof b !== "object" || b === null) return false;
  if (a instanceof ValueSet) {
    // A set's elements were encoded when they joined it: its code is its element codes.
    return b instanceof ValueSet && a.size === b.size && sameWords(a.codes.words, b.codes.words);
  }
  if (a instanceof ValueMap) {
    if (!(b instanceof ValueMap) || a.size !== b.size || !sameWords(a.codes.words, b.codes.words)) return false;
    for (let i = 0; i < a.size; i++) {
      const r = structurallyEqual(a.values[i], b.values[i], depth + 1);
      if (r !== true) return r;
    }
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const r = structurallyEqual(a[i], b[i], depth + 1);
      if (r !== true) return r;
    }
    return true;
  }
  if (b instanceof ValueSet || b instanceof ValueMap || Array.isArray(b)) return false;
  if (!isPlainObject(a) || !isPlainObject(b) || inheritsEnumerable()) return undefined;
  // Own keys in the same order (views are built the same way each time): values compared by
  // position, which is several times cheaper than a keyed lookup per field.
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return undefined;
  const va = Object.values(a), vb = Object.values(b);
  for (let i = 0; i < va.length; i++) {
    const r = structurallyEqual(va[i], vb[i], depth + 1);
    if (r !== true) return r;
  }
  return true;
}

/** Whether Object.prototype has an enumerable key (a polluted prototype): the encoder's for...in would see it. */
function inheritsEnumerable(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function sameWords(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
