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

/**
 * Models already made, by name and options: a CLI call checks many files with the same
 * model, and one set of closures lets the search's compiled code serve them all (a new
 * closure per file deoptimizes it). Models are pure records, frozen, so sharing is safe.
 */
const made = new Map<string, Model<unknown, OpCall, unknown>>();
const MAX_MADE = 64;

/** A key for (name, options) when every option is a primitive; undefined otherwise. */
function madeKey(name: string, opts: BuiltinModelOptions): string | undefined {
  let key = JSON.stringify(name);
  for (const k of Object.keys(opts).sort()) {
    const v: unknown = (opts as Record<string, unknown>)[k];
    let text: string;
    if (v === undefined || v === null || typeof v === "boolean") text = String(v);
    else if (typeof v === "number") text = Object.is(v, -0) ? "-0" : String(v);
    else if (typeof v === "bigint") text = `${v}n`;
    else if (typeof v === "string") text = JSON.stringify(v);
    else return undefined;
    key += ` ${JSON.stringify(k)}=${text}`;
  }
  return key;
}

/** The built-in model called `name`, or undefined when there is none. */
export function builtinModel(name: string, opts: BuiltinModelOptions = {}): Model<unknown, OpCall, unknown> | undefined {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!factory) return undefined;
  const key = madeKey(name, opts);
  if (key === undefined) return Object.freeze(factory(opts));
  let model = made.get(key);
  if (!model) {
    if (made.size >= MAX_MADE) made.clear();
    made.set(key, (model = Object.freeze(factory(opts))));
  }
  return model;
}
