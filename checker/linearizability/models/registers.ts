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
import { describeCall, show, unknownFunction } from "./describe.ts";

export interface RegisterOptions {
  readonly init?: unknown;
  /** Knossos treats an ok read of nil as "value not recorded". Default true. */
  readonly nilReadMatchesAny?: boolean;
}

/** Cheap for the common scalar values; canonical JSON otherwise. */
function hashValue(v: unknown): string {
  if (typeof v === "number") return `n${v}`;
  if (typeof v === "string") return `s${v}`;
  return v === null ? "nil" : stableStringify(v);
}

function readMatches(state: unknown, output: unknown, nilMatchesAny: boolean): boolean {
  if (output === undefined) return true;
  if (output === null && nilMatchesAny) return true;
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
          const [from, to] = input.value as [unknown, unknown];
          const matches = jsonEqual(state, from);
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

type MicroOp = [string, string, unknown];
type Registers = Record<string, unknown>;

/** Named registers read and written together by `txn` operations (Knossos' multi-register). */
export function multiRegisterModel(opts: { init?: unknown } = {}): Model<Registers, OpCall, unknown> {
  const init = (opts.init ?? {}) as Registers;
  return defineModel<Registers, OpCall, unknown>({
    name: "multi-register",
    init: () => init,
    step(state, input, output) {
      if (input.f !== "txn") return ILLEGAL;
      // The completion carries the values read; an indeterminate txn only has its writes.
      const ops = (output ?? input.value) as MicroOp[];
      let next = state;
      for (const [f, k, v] of ops) {
        if (f === "read" || f === "r") {
          if (output !== undefined && v !== null && !jsonEqual(next[k] ?? null, v)) return ILLEGAL;
        } else if (f === "write" || f === "w") {
          next = { ...next, [k]: v };
        } else return ILLEGAL;
      }
      return next;
    },
    describeOperation: describeCall,
    checkInput(i) {
      if (i.f !== "txn") return unknownFunction("multi-register", i.f, ["txn"]);
      const ok = Array.isArray(i.value) && i.value.every((m) => Array.isArray(m) && m.length === 3);
      return ok ? undefined : "txn needs a value [[read|write key value] ...]";
    },
  });
}
