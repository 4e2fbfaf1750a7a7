/**
 * An independent oracle for tests: decides linearizability / sequential consistency by
 * trying every order of every admissible subset of operations, with its own tiny register
 * and kv semantics. Exponential; only for histories of a handful of operations.
 */

/** A test operation: register (read/write/cas) or kv (get/put/append, with key). */
export interface TinyOp {
  readonly process: number;
  readonly f: "read" | "write" | "cas" | "get" | "put" | "append";
  readonly key?: string;
  readonly arg: number | [number, number] | string | null;
  /** undefined when indeterminate. For cas: true/false. */
  readonly result: unknown;
  readonly call: number;
  /** Infinity when indeterminate. */
  readonly ret: number;
}

type State = number | null | Record<string, string>;

function apply(state: State, op: TinyOp): { ok: boolean; next: State } {
  const unknown = op.result === undefined;
  switch (op.f) {
    case "write":
      return { ok: true, next: op.arg as number };
    case "read":
      return { ok: unknown || op.result === state, next: state };
    case "cas": {
      const [from, to] = op.arg as [number, number];
      if (unknown) return { ok: true, next: state === from ? to : state };
      if (op.result === true) return { ok: state === from, next: to };
      return { ok: state !== from, next: state };
    }
    default: {
      const kv = state as Record<string, string>;
      const cur = kv[op.key!] ?? "";
      if (op.f === "get") return { ok: unknown || op.result === cur, next: kv };
      const value = op.f === "put" ? (op.arg as string) : cur + (op.arg as string);
      return { ok: true, next: { ...kv, [op.key!]: value } };
    }
  }
}

/** a must come before b: real time for linearizability, program order for sequential consistency. */
function mustPrecede(a: TinyOp, b: TinyOp, criterion: "linearizable" | "sequential"): boolean {
  if (a.ret === Infinity) return false;
  return criterion === "linearizable" ? a.ret < b.call : a.process === b.process && a.call < b.call;
}

/** True when some order of all determinate ops plus some indeterminate ones is legal. */
export function bruteForce(ops: readonly TinyOp[], init: State, criterion: "linearizable" | "sequential"): boolean {
  const n = ops.length;
  const used = new Array<boolean>(n).fill(false);
  const mustUse = ops.map((o) => o.ret !== Infinity);
  const search = (state: State, chosen: number[]): boolean => {
    if (mustUse.every((m, i) => !m || used[i])) return true;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      // Every op that must precede i is already in the order.
      let ready = true;
      for (let j = 0; j < n; j++) if (!used[j] && j !== i && mustUse[j] && mustPrecede(ops[j], ops[i], criterion)) ready = false;
      if (!ready) continue;
      const { ok, next } = apply(state, ops[i]);
      if (!ok) continue;
      used[i] = true;
      chosen.push(i);
      if (search(next, chosen)) return true;
      chosen.pop();
      used[i] = false;
    }
    return false;
  };
  return search(init, []);
}
