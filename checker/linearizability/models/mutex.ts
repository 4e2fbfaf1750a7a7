/** Knossos' mutex: `acquire` needs it free, `release` needs it held. State: held or not. */
import { defineModel, ILLEGAL, type Model } from "../model.ts";
import type { OpCall } from "../history.ts";
import { unknownFunction } from "./describe.ts";

export function mutexModel(opts: { init?: unknown } = {}): Model<boolean, OpCall, unknown> {
  const held = opts.init === true;
  return defineModel<boolean, OpCall, unknown>({
    name: "mutex",
    init: () => held,
    step(state, input) {
      if (input.f === "acquire") return state ? ILLEGAL : true;
      if (input.f === "release") return state ? false : ILLEGAL;
      return ILLEGAL;
    },
    hash: (s) => (s ? "held" : "free"),
    describeOperation: (i) => i.f,
    describeState: (s) => (s ? "held" : "free"),
    checkInput: (i) => (i.f === "acquire" || i.f === "release" ? undefined : unknownFunction("mutex", i.f, ["acquire", "release"])),
  });
}

