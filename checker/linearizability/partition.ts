/**
 * P-compositionality: for a model whose operations on different keys never interact,
 * linearizability of the whole equals linearizability of every key's sub-history, so
 * each is searched alone (exponentially cheaper). `productModel` rebuilds the whole for
 * criteria that are not compositional (sequential consistency).
 */
import { defineModel, ILLEGAL, type Model } from "./model.ts";
import type { Operation } from "./history.ts";

/** One key's sub-history; `key` is undefined for an unpartitioned model. */
export interface Partition<I, O> {
  readonly key: string | undefined;
  readonly ops: Operation<I, O>[];
}

/** Splits operations by the model's partition key, keys in first-appearance order. */
export function partitionHistory<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): Partition<I, O>[] {
  if (!model.partitioned) return [{ key: undefined, ops: [...ops] }];
  const byKey = new Map<string, Operation<I, O>[]>();
  for (const op of ops) {
    const key = model.partitionKey(op.input) ?? "";
    const list = byKey.get(key);
    if (list) list.push(op);
    else byKey.set(key, [op]);
  }
  return [...byKey.entries()].map(([key, list]) => ({ key, ops: list }));
}

/** Keyed states of a partitioned model, as one state of the unpartitioned whole. */
export type ProductState<S> = ReadonlyMap<string, S>;

/** The whole system as one model: a map from key to that key's state. */
export function productModel<S, I, O>(model: Model<S, I, O>): Model<ProductState<S>, I, O> {
  const keyOf = (input: I) => model.partitionKey(input) ?? "";
  return defineModel<ProductState<S>, I, O>({
    name: `${model.name} (all keys)`,
    init: () => new Map(),
    step(state, input, output) {
      const key = keyOf(input);
      const before = state.has(key) ? (state.get(key) as S) : model.init();
      const after = model.step(before, input, output);
      if (after === ILLEGAL) return ILLEGAL;
      const next = new Map(state);
      next.set(key, after);
      return next;
    },
    hash(state) {
      const keys = [...state.keys()].sort();
      return keys.map((k) => `${k.length}:${k}=${model.hash(state.get(k) as S)}`).join("\u0001");
    },
    describeOperation: model.describeOperation,
    describeState: (s) => [...s.entries()].map(([k, v]) => `${k}: ${model.describeState(v)}`).join(", "),
  });
}
