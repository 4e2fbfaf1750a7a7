/** Built-in models by name, as the CLI's --model selects them. */
import type { Model } from "../model.ts";
import type { OpCall } from "../history.ts";
import { casRegisterModel, multiRegisterModel, registerModel } from "./registers.ts";
import { mutexModel } from "./mutex.ts";
import { kvModel } from "./kv.ts";
import { counterModel, queueModel, setModel } from "./collections.ts";

/** Options shared by every built-in model factory. */
export interface BuiltinModelOptions {
  /** The initial state (a register value, the multi-register map, the kv default string...). */
  readonly init?: unknown;
  /** Registers only: whether an ok read of nil constrains nothing (Knossos) or means nil (Porcupine etcd). */
  readonly nilReadMatchesAny?: boolean;
}

type Factory = (opts: BuiltinModelOptions) => Model<unknown, OpCall, unknown>;

const FACTORIES: Record<string, Factory> = {
  register: (o) => registerModel(o),
  "cas-register": (o) => casRegisterModel(o),
  "multi-register": (o) => multiRegisterModel(o) as Model<unknown, OpCall, unknown>,
  mutex: (o) => mutexModel(o) as Model<unknown, OpCall, unknown>,
  kv: (o) => kvModel(o) as Model<unknown, OpCall, unknown>,
  set: (o) => setModel(o) as Model<unknown, OpCall, unknown>,
  queue: (o) => queueModel(o) as Model<unknown, OpCall, unknown>,
  counter: (o) => counterModel(o) as Model<unknown, OpCall, unknown>,
};

/** Names accepted by `builtinModel`. */
export const BUILTIN_MODELS: readonly string[] = Object.keys(FACTORIES);

/** The built-in model called `name`, or undefined when there is none. */
export function builtinModel(name: string, opts: BuiltinModelOptions = {}): Model<unknown, OpCall, unknown> | undefined {
  const factory = FACTORIES[name];
  return factory ? factory(opts) : undefined;
}
