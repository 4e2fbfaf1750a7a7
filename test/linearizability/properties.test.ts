/**
 * Property tests: on random small histories the WGL search and the sequential-consistency
 * search agree with a brute-force enumeration of all orders (an independent oracle with its
 * own model semantics). Failures print fast-check's seed and path for replay.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bruteForce, type TinyOp } from "./brute-force.ts";
import { checkHistory } from "../../checker/linearizability/check.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";

type Kind = "register" | "kv";

/** Per process a sequence of non-overlapping intervals; the last may be indeterminate. */
function historyArb(kind: Kind): fc.Arbitrary<TinyOp[]> {
  const value = fc.integer({ min: 0, max: 2 });
  const regOp = fc.oneof(
    fc.record({ f: fc.constant("read" as const), arg: fc.constant(null), result: value as fc.Arbitrary<unknown> }),
    fc.record({ f: fc.constant("write" as const), arg: value, result: fc.constant<unknown>(null) }),
    fc.record({ f: fc.constant("cas" as const), arg: fc.tuple(value, value), result: fc.boolean() as fc.Arbitrary<unknown> }),
  );
  const key = fc.constantFrom("a", "b");
  const letter = fc.constantFrom("x", "y");
  const kvOp = fc.oneof(
    fc.record({ f: fc.constant("get" as const), key, arg: fc.constant(null), result: fc.constantFrom("", "x", "y", "xy", "yx") as fc.Arbitrary<unknown> }),
    fc.record({ f: fc.constant("put" as const), key, arg: letter, result: fc.constant<unknown>(null) }),
    fc.record({ f: fc.constant("append" as const), key, arg: letter, result: fc.constant<unknown>(null) }),
  );
  const step = fc.record({
    body: kind === "register" ? regOp : kvOp,
    gap: fc.integer({ min: 0, max: 4 }),
    length: fc.integer({ min: 1, max: 6 }),
    indeterminate: fc.boolean(),
  });
  return fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }).map((procs) => {
    const ops: TinyOp[] = [];
    procs.forEach((steps, process) => {
      let t = 0;
      steps.forEach((s, k) => {
        const call = t + s.gap;
        const last = k === steps.length - 1;
        const indeterminate = last && s.indeterminate;
        ops.push({ process, ...s.body, call, ret: indeterminate ? Infinity : call + s.length, result: indeterminate ? undefined : s.body.result } as TinyOp);
        t = call + s.length + 1;
      });
    });
    return ops.slice(0, 8);
  });
}

/** The same history in the checker's input model. */
function toOperations(ops: readonly TinyOp[]): Operation<OpCall, unknown>[] {
  return ops.map((o, id) => ({
    id,
    process: o.process,
    input: o.key !== undefined ? { f: o.f, value: o.arg, key: o.key } : { f: o.f, value: o.arg },
    // The cas-register model's output for a cas is its argument on success, false on failure.
    output: o.result === undefined ? undefined : o.f === "cas" ? (o.result ? o.arg : false) : o.result,
    call: o.call,
    ret: o.ret,
    completion: o.ret === Infinity ? "info" : "ok",
  }));
}

function agrees(kind: Kind, criterion: "linearizable" | "sequential") {
  return fc.property(historyArb(kind), (ops) => {
    const model = kind === "register" ? builtinModel("cas-register", { init: 0, nilReadMatchesAny: false })! : builtinModel("kv")!;
    const expected = bruteForce(ops, kind === "register" ? 0 : {}, criterion);
    const got = checkHistory(model, toOperations(ops), { criterion, ladder: false });
    expect(got.status).toBe(expected ? "ok" : "violation");
  });
}

describe("search agrees with brute force on small random histories", () => {
  it("cas-register, linearizability", () => fc.assert(agrees("register", "linearizable"), { numRuns: 400 }));
  it("cas-register, sequential consistency", () => fc.assert(agrees("register", "sequential"), { numRuns: 400 }));
  it("kv partitioned by key, linearizability", () => fc.assert(agrees("kv", "linearizable"), { numRuns: 300 }));
  it("kv, sequential consistency (checked on the whole, not per key)", () => fc.assert(agrees("kv", "sequential"), { numRuns: 300 }));
  it("the ladder is monotone: linearizable implies sequentially consistent", () => {
    fc.assert(
      fc.property(historyArb("register"), (ops) => {
        const model = builtinModel("cas-register", { init: 0, nilReadMatchesAny: false })!;
        const lin = checkHistory(model, toOperations(ops), { criterion: "linearizable" });
        const seq = checkHistory(model, toOperations(ops), { criterion: "sequential" });
        if (lin.status === "ok") expect(seq.status).toBe("ok");
        if (lin.level === "sequential") expect(seq.status).toBe("ok");
        if (lin.level === "neither") expect(seq.status).toBe("violation");
      }),
      { numRuns: 200 },
    );
  });
  it("finds both verdicts (the generator is not one-sided)", () => {
    const samples = fc.sample(historyArb("register"), { numRuns: 300, seed: 42 });
    const verdicts = new Set(samples.map((ops) => bruteForce(ops, 0, "linearizable")));
    expect(verdicts).toEqual(new Set([true, false]));
  });
});
