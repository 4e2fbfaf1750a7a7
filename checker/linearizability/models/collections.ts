/**
 * Collection models with Jepsen's operation names: a set (`add x`, `read -> [..]`), a FIFO
 * queue (`enqueue x`, `dequeue -> x`; dequeue of an empty queue returns nil) and a counter
 * (`add n`, `read -> n`).
 */
import { defineModel, ILLEGAL, type Model } from "../model.ts";
import type { OpCall } from "../history.ts";
import { jsonEqual, stableStringify } from "../stable-json.ts";
import { describeCall, unknownFunction } from "./describe.ts";
import { EdnSet } from "../../history/edn-value.ts";

/** A grow-only set; state is the sorted list of canonical element texts. */
export function setModel(opts: { init?: unknown } = {}): Model<readonly string[], OpCall, unknown> {
  const initElements = opts.init instanceof EdnSet ? opts.init.items : Array.isArray(opts.init) ? opts.init : [];
  const init = [...new Set(initElements.map(stableStringify))].sort();
  return defineModel<readonly string[], OpCall, unknown>({
    name: "set",
    init: () => init,
    step(state, input, output) {
      if (input.f === "add") {
        const e = stableStringify(input.value);
        if (state.includes(e)) return state;
        return [...state, e].sort();
      }
      if (input.f === "read") {
        if (output === undefined) return state;
        // A read returns the set's elements, as a set or as a vector.
        const elements = output instanceof EdnSet ? output.items : Array.isArray(output) ? output : undefined;
        if (!elements) return ILLEGAL;
        const seen = [...new Set(elements.map(stableStringify))].sort();
        return jsonEqual(seen, state) ? state : ILLEGAL;
      }
      return ILLEGAL;
    },
    hash: (s) => s.join("\u0000"),
    describeOperation: describeCall,
    describeState: (s) => `#{${s.join(" ")}}`,
    checkInput: (i) => (i.f === "add" || i.f === "read" ? undefined : unknownFunction("set", i.f, ["add", "read"])),
  });
}

/** A FIFO queue of JSON values. */
export function queueModel(opts: { init?: unknown } = {}): Model<readonly unknown[], OpCall, unknown> {
  const init = Array.isArray(opts.init) ? opts.init : [];
  return defineModel<readonly unknown[], OpCall, unknown>({
    name: "queue",
    init: () => init,
    step(state, input, output) {
      if (input.f === "enqueue") return [...state, input.value];
      if (input.f === "dequeue") {
        if (state.length === 0) return output === undefined || output === null ? state : ILLEGAL;
        if (output !== undefined && !jsonEqual(state[0], output)) return ILLEGAL;
        return state.slice(1);
      }
      return ILLEGAL;
    },
    describeOperation: describeCall,
    checkInput: (i) => (i.f === "enqueue" || i.f === "dequeue" ? undefined : unknownFunction("queue", i.f, ["enqueue", "dequeue"])),
  });
}

/** Exact integer sum: a bigint when the result leaves the safe range, a number otherwise. */
function exactAdd(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === "number" && typeof b === "number" && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  if (!Number.isInteger(Number(a)) || !Number.isInteger(Number(b))) return Number(a) + Number(b);
  const s = BigInt(a) + BigInt(b);
  return s >= BigInt(Number.MIN_SAFE_INTEGER) && s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : s;
}

/** An integer counter (exact: sums beyond 2^53 are bigints). */
export function counterModel(opts: { init?: unknown } = {}): Model<number | bigint, OpCall, unknown> {
  const init = typeof opts.init === "number" || typeof opts.init === "bigint" ? opts.init : 0;
  return defineModel<number | bigint, OpCall, unknown>({
    name: "counter",
    init: () => init,
    step(state, input, output) {
      if (input.f === "add") return exactAdd(state, input.value as number | bigint);
      if (input.f === "read") return output === undefined || output === null || output === state ? state : ILLEGAL;
      return ILLEGAL;
    },
    hash: (s) => (typeof s === "bigint" ? `${s}N` : String(s)),
    equal: (a, b) => a === b,
    describeOperation: describeCall,
    checkInput(i) {
      if (i.f === "add") return typeof i.value === "number" || typeof i.value === "bigint" ? undefined : "counter add needs a number";
      return i.f === "read" ? undefined : unknownFunction("counter", i.f, ["add", "read"]);
    },
  });
}
