/**
 * The Informal Trace Format (Apalache, Quint): values are JSON with tagged objects for what
 * JSON lacks: `{"#bigint": "123"}`, `{"#set": [...]}`, `{"#tup": [...]}`, `{"#map": [[k, v], ...]}`,
 * `{"#unserializable": "..."}`; variants are records `{ "tag": ..., "value": ... }`.
 *
 * Two layers: an ITF value tree that keeps every distinction the format makes (so reading
 * and writing a file gives it back exactly, big integers included), and its conversion to
 * dscheck state values (integers must fit in 2^53: states hold JS numbers; a larger one is
 * an error, never a rounded value).
 */
import { ValueMap, ValueSet, type Value } from "../values/value.ts";

export type ItfValue =
  | { readonly t: "int"; readonly v: bigint; readonly tagged: boolean }
  | { readonly t: "num"; readonly v: number }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "null" }
  | { readonly t: "list"; readonly v: readonly ItfValue[] }
  | { readonly t: "tup"; readonly v: readonly ItfValue[] }
  | { readonly t: "set"; readonly v: readonly ItfValue[] }
  | { readonly t: "map"; readonly v: readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly t: "rec"; readonly v: readonly (readonly [string, ItfValue])[] }
  | { readonly t: "unserializable"; readonly v: string };

export class ItfError extends Error {
  constructor(
    /** JSON pointer of the offending value. */
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 500;

/** Reads an ITF value from parsed JSON; `pointer` names where it is (for errors). */
export function readItf(json: unknown, pointer = "", depth = 0): ItfValue {
  if (depth > MAX_DEPTH) throw new ItfError(pointer, `values nested deeper than ${MAX_DEPTH}`);
  switch (typeof json) {
    case "number":
      if (!Number.isFinite(json)) throw new ItfError(pointer, "not a finite number");
      if (Number.isInteger(json)) {
        if (!Number.isSafeInteger(json)) throw new ItfError(pointer, `the integer ${json} is beyond 2^53 and was rounded by JSON; write it as {"#bigint": "..."}`);
        return { t: "int", v: BigInt(json), tagged: false };
      }
      return { t: "num", v: json };
    case "string":
      return { t: "str", v: json };
    case "boolean":
      return { t: "bool", v: json };
    case "object": {
      if (json === null) return { t: "null" };
      if (Array.isArray(json)) return { t: "list", v: json.map((x, i) => readItf(x, `${pointer}/${i}`, depth + 1)) };
      const o = json as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0].startsWith("#")) {
        const k = keys[0], x = o[k], at = `${pointer}/${escape(k)}`;
        switch (k) {
          case "#bigint":
            if (typeof x !== "string" || !/^-?\d+$/.test(x)) throw new ItfError(at, "#bigint holds a string of digits");
            return { t: "int", v: BigInt(x), tagged: true };
          case "#set":
          case "#tup":
            if (!Array.isArray(x)) throw new ItfError(at, `${k} holds a list`);
            return { t: k === "#set" ? "set" : "tup", v: x.map((e, i) => readItf(e, `${at}/${i}`, depth + 1)) };
          case "#map":
            if (!Array.isArray(x) || !x.every((p) => Array.isArray(p) && p.length === 2)) throw new ItfError(at, "#map holds a list of [key, value] pairs");
            return { t: "map", v: (x as unknown[][]).map((p, i) => [readItf(p[0], `${at}/${i}/0`, depth + 1), readItf(p[1], `${at}/${i}/1`, depth + 1)] as const) };
          case "#unserializable":
            if (typeof x !== "string") throw new ItfError(at, "#unserializable holds a string");
            return { t: "unserializable", v: x };
        }
      }
      return { t: "rec", v: keys.map((k) => [k, readItf(o[k], `${pointer}/${escape(k)}`, depth + 1)] as const) };
    }
    default:
      throw new ItfError(pointer, `not a JSON value (${typeof json})`);
  }
}

/** The JSON of an ITF value (readItf's inverse). */
export function writeItf(v: ItfValue): unknown {
  switch (v.t) {
    case "int":
      return v.tagged ? { "#bigint": v.v.toString() } : Number(v.v);
    case "num":
    case "str":
    case "bool":
      return v.v;
    case "null":
      return null;
    case "list":
      return v.v.map(writeItf);
    case "tup":
      return { "#tup": v.v.map(writeItf) };
    case "set":
      return { "#set": v.v.map(writeItf) };
    case "map":
      return { "#map": v.v.map(([k, x]) => [writeItf(k), writeItf(x)]) };
    case "rec": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v.v) setField(out, k, writeItf(x));
      return out;
    }
    case "unserializable":
      return { "#unserializable": v.v };
  }
}

/** The dscheck state value of an ITF value; throws ItfError for what states cannot hold. */
export function itfToState(v: ItfValue, pointer = ""): Value {
  switch (v.t) {
    case "int":
      if (v.v > BigInt(Number.MAX_SAFE_INTEGER) || v.v < BigInt(Number.MIN_SAFE_INTEGER)) throw new ItfError(pointer, `the integer ${v.v} is beyond 2^53: dscheck states hold integers up to 2^53 exactly`);
      return Number(v.v);
    case "num":
    case "str":
    case "bool":
      return v.v;
    case "null":
      return null;
    case "list":
    case "tup":
      return v.v.map((x, i) => itfToState(x, `${pointer}/${i}`));
    case "set":
      return ValueSet.from(v.v.map((x, i) => itfToState(x, `${pointer}/${i}`)));
    case "map":
      return ValueMap.from(v.v.map(([k, x], i) => [itfToState(k, `${pointer}/${i}/0`), itfToState(x, `${pointer}/${i}/1`)] as const));
    case "rec": {
      const out: Record<string, Value> = {};
      for (const [k, x] of v.v) setField(out, k, itfToState(x, `${pointer}/${escape(k)}`));
      return out;
    }
    case "unserializable":
      throw new ItfError(pointer, `an unserializable value (${v.v}) cannot be checked`);
  }
}

/** The ITF value of a dscheck state value (arrays are lists; integers are plain when small). */
export function stateToItf(x: unknown): ItfValue {
  if (x === null) return { t: "null" };
  switch (typeof x) {
    case "number":
      return Number.isInteger(x) ? { t: "int", v: BigInt(x), tagged: !Number.isSafeInteger(x) } : { t: "num", v: x };
    case "string":
      return { t: "str", v: x };
    case "boolean":
      return { t: "bool", v: x };
  }
  if (x instanceof ValueSet) return { t: "set", v: [...x].map(stateToItf) };
  if (x instanceof ValueMap) return { t: "map", v: [...x].map(([k, v]) => [stateToItf(k), stateToItf(v)] as const) };
  if (Array.isArray(x)) return { t: "list", v: x.map(stateToItf) };
  if (typeof x === "object") return { t: "rec", v: Object.keys(x).map((k) => [k, stateToItf((x as Record<string, unknown>)[k])] as const) };
  throw new TypeError(`not a state value: ${typeof x}`);
}

/**
 * Sets field `k` of a fresh record as an own data property: assigning `out["__proto__"]`
 * would set the prototype instead (log values are data, keys included).
 */
export function setField(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function escape(k: string): string {
  return k.replace(/~/g, "~0").replace(/\//g, "~1");
}
