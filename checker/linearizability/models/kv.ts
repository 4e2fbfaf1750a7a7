/**
 * Porcupine's key-value store: `get k -> v`, `put k v`, `append k v` on string values,
 * partitioned by key (each key is an independent string register). A missing key reads
 * as the initial value, "" by default as in Porcupine.
 */
import { defineModel, ILLEGAL, type Model } from "../model.ts";
import type { OpCall } from "../history.ts";
import { describeCall, unknownFunction } from "./describe.ts";

export function kvModel(opts: { init?: unknown } = {}): Model<string, OpCall, unknown> {
  const init = typeof opts.init === "string" ? opts.init : "";
  return defineModel<string, OpCall, unknown>({
    name: "kv",
    init: () => init,
    step(state, input, output) {
      switch (input.f) {
        case "get":
          return output === undefined || output === state ? state : ILLEGAL;
        case "put":
          return String(input.value);
        case "append":
          return state + String(input.value);
        default:
          return ILLEGAL;
      }
    },
    partitionKey: (i) => i.key ?? "",
    hash: (s) => s,
    equal: (a, b) => a === b,
    describeOperation: describeCall,
    describeState: (s) => JSON.stringify(s),
    checkInput(i) {
      if (i.f !== "get" && i.f !== "put" && i.f !== "append") return unknownFunction("kv", i.f, ["get", "put", "append"]);
      if (i.key === undefined) return `kv ${i.f} needs a key`;
      return i.f !== "get" && typeof i.value !== "string" ? `kv ${i.f} needs a string value` : undefined;
    },
  });
}
