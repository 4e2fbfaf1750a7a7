/**
 * Register models with Jepsen/Knossos semantics: `read` (an ok read of nil constrains
 * nothing, as in Knossos, unless `nilReadMatchesAny` is false as in Porcupine's etcd test),
 * `write v`, `cas [old new]` (an output of `false` is a definite failed compare, as Porcupine's
 * etcd histories record `:fail :cas`), and a multi-register of named registers updated by
 * `txn [[:read k v] [:write k v] ...]`.
 */
import { defineModel, ILLEGAL, type Model } from "../model.ts";
import type { OpCall } from "../history.ts";
import { jsonEqual, stableStringify } from "../stable-json.ts";
import { canonicalText, EdnMap, nameOf } from "../../history/edn-value.ts";
import { describeCall, show, unknownFunction } from "./describe.ts";

export interface RegisterOptions {
  readonly init?: unknown;
  /** Knossos treats an ok read of nil as "value not recorded". Default true. */
  readonly nilReadMatchesAny?: boolean;
}

/** The hashes of the small integers, made once (the search hashes a state on every step). */
const SMALL_HASHES = 256;
const SMALL_HASH: readonly string[] = Array.from({ length: 2 * SMALL_HASHES }, (_, k) => `n${k - SMALL_HASHES}`);

/** Cheap for the common scalar values; canonical JSON otherwise. */
function hashValue(v: unknown): string {
  if (typeof v === "number") return (v | 0) === v && v >= -SMALL_HASHES && v < SMALL_HASHES ? SMALL_HASH[v + SMALL_HASHES] : `n${v}`;
  if (typeof v === "string") return `s${v}`;
  return v === null ? "nil" : `c${stableStringify(v)}`;
}

function readMatches(state: unknown, output: unknown, nilMatchesAny: boolean): boolean {
  if (output === undefined || output === state) return true;
  if (output === null) return nilMatchesAny;
  // Two distinct primitives differ (as jsonEqual says, without the call: the search asks on every step).
  if (state === null || (typeof state !== "object" && typeof output !== "object")) return false;
  return jsonEqual(state, output);
}

/** A read/write register. */
export function registerModel(opts: RegisterOptions = {}): Model<unknown, OpCall, unknown> {
  const nilAny = opts.nilReadMatchesAny ?? true;
  const init = opts.init ?? null;
  return defineModel<unknown, OpCall, unknown>({
    name: "register",
    init: () => init,
    step(state, input, output) {
      if (input.f === "write") return input.value;
      if (input.f === "read") return readMatches(state, output, nilAny) ? state : ILLEGAL;
      return ILLEGAL;
    },
    hash: hashValue,
    describeOperation: describeCall,
    describeState: show,
    checkInput: (i) => (i.f === "read" || i.f === "write" ? undefined : unknownFunction("register", i.f, ["read", "write"])),
  });
}

/** A compare-and-set register. */
export function casRegisterModel(opts: RegisterOptions = {}): Model<unknown, OpCall, unknown> {
  const nilAny = opts.nilReadMatchesAny ?? true;
  const init = opts.init ?? null;
  return defineModel<unknown, OpCall, unknown>({
    name: "cas-register",
    init: () => init,
    step(state, input, output) {
      switch (input.f) {
        case "write":
          return input.value;
        case "read":
          return readMatches(state, output, nilAny) ? state : ILLEGAL;
        case "cas": {
          // Indexed, not destructured: destructuring runs the iterator protocol until the JIT has the loop.
          const from = (input.value as unknown[])[0];
          const to = (input.value as unknown[])[1];
          const matches = from === state || jsonEqual(state, from);
          if (output === false) return matches ? ILLEGAL : state;
          if (output === undefined) return matches ? to : state;
          return matches ? to : ILLEGAL;
        }
        default:
          return ILLEGAL;
      }
    },
    hash: hashValue,
    describeOperation: describeCall,
    describeState: show,
    checkInput(i) {
      if (i.f === "cas") return Array.isArray(i.value) && i.value.length === 2 ? undefined : "cas needs a value [old new]";
      return i.f === "read" || i.f === "write" ? undefined : unknownFunction("cas-register", i.f, ["read", "write", "cas"]);
    },
  });
}

type Registers = ReadonlyMap<string, unknown>;

/** A register's name: a keyword or string name (Knossos writes `[:read :x 1]`, JSON `["read", "x", 1]`). */
function registerName(k: unknown): string | undefined {
  return nameOf(k) ?? (typeof k === "number" && Number.isSafeInteger(k) ? `#${k}` : undefined);
}

/** The initial registers from a JSON object, an EDN map or a Map; own keys only. */
function initialRegisters(init: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (init instanceof EdnMap) for (const [k, v] of init.entries()) out.set(registerName(k) ?? canonicalText(k), v);
  else if (init instanceof Map) for (const [k, v] of init) out.set(registerName(k) ?? canonicalText(k), v);
  else if (init !== null && typeof init === "object" && !Array.isArray(init)) for (const k of Object.keys(init)) out.set(k, (init as Record<string, unknown>)[k]);
  return out;
}

/**
 * Named registers read and written together by `txn` operations (Knossos' multi-register).
 * Register names are identifiers: `:x` and "x" name the same register; the values in them
 * are compared exactly.
 */
export function multiRegisterModel(opts: { init?: unknown } = {}): Model<Registers, OpCall, unknown> {
  const init = initialRegisters(opts.init);
  return defineModel<Registers, OpCall, unknown>({
    name: "multi-register",
    init: () => init,
    step(state, input, output) {
      if (input.f !== "txn") return ILLEGAL;
      // The completion carries the values read; an indeterminate txn only has its writes.
      const ops = (output ?? input.value) as readonly (readonly unknown[])[];
      if (!Array.isArray(ops)) return ILLEGAL;
      let next: Map<string, unknown> | undefined;
      for (const m of ops) {
        if (!Array.isArray(m) || m.length !== 3) return ILLEGAL;
        const f = nameOf(m[0]);
        const k = registerName(m[1]);
        if (k === undefined) return ILLEGAL;
        const v = m[2];
        if (f === "read" || f === "r") {
          const current = (next ?? state).has(k) ? (next ?? state).get(k) : null;
          if (output !== undefined && v !== null && !jsonEqual(current ?? null, v)) return ILLEGAL;
        } else if (f === "write" || f === "w") {
          next ??= new Map(state);
          next.set(k, v);
        } else return ILLEGAL;
      }
      return next ?? state;
    },
    hash: (s) => canonicalText([...s.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
    describeOperation: describeCall,
    describeState: (s) => `{${[...s.entries()].map(([k, v]) => `${k} ${show(v)}`).join(", ")}}`,
    checkInput(i) {
      if (i.f !== "txn") return unknownFunction("multi-register", i.f, ["txn"]);
      const ok = Array.isArray(i.value) && i.value.every((m) => Array.isArray(m) && m.length === 3 && registerName(m[1]) !== undefined && ["read", "r", "write", "w"].includes(nameOf(m[0]) ?? ""));
      return ok ? undefined : "txn needs a value [[read|write key value] ...]";
    },
  });
}
