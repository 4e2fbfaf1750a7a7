/**
 * The linearizability search (wgl.ts) against the search it replaced (reference-wgl.ts, kept
 * frozen): on random histories and on every corpus history, run in the same slices, both
 * must return the same thing after every slice (undefined, or the same status, order, state,
 * blocker, configurations explored and budget reason). So the verdicts, the linearizations
 * and the explanations built from them, the step accounting that interleaves partitions, and
 * the cache- and clock-budget outcomes are all unchanged. Different time encodings (distinct
 * positions, ties, wide ranges, fractions) take each of the entry orderings.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LinearizationSearch } from "../../checker/linearizability/wgl.ts";
import { ReferenceSearch } from "./reference-wgl.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import { effectiveOperations, type Operation, type OpCall } from "../../checker/linearizability/history.ts";
import { partitionHistory } from "../../checker/linearizability/partition.ts";
import type { Model } from "../../checker/linearizability/model.ts";
import type { Budget } from "../../checker/linearizability/budget.ts";
import { corporaDir } from "./corpus-helpers.ts";
import { readHistory } from "../../traces/porcupine/read-any.ts";

type M = Model<unknown, OpCall, unknown>;

/** A clock that ticks once per reading, so a deadline falls at the same step in both searches. */
function fakeBudget(deadline: number, maxConfigurations?: number): () => Budget {
  return () => {
    let t = 0;
    return { now: () => ++t, deadline, maxConfigurations };
  };
}

/** Runs both searches in the same slices and compares every answer. */
function compare(model: M, ops: readonly Operation<OpCall, unknown>[], slices: readonly number[], budget?: () => Budget): string {
  const parts = partitionHistory(model, effectiveOperations(ops));
  let statuses = "";
  for (const part of parts) {
    const a = new LinearizationSearch(model, model.init(), part.ops, budget?.());
    const b = new ReferenceSearch(model, model.init(), part.ops, budget?.());
    for (let k = 0; ; k++) {
      const slice = k < slices.length ? slices[k] : Infinity;
      const ra = a.run(slice);
      const rb = b.run(slice);
      expect(ra).toEqual(rb);
      expect(a.partial()).toEqual(b.partial());
      if (rb) {
        statuses += rb.status[0];
        break;
      }
    }
  }
  return statuses;
}

/** Concurrent operations (many overlaps force backtracking); times as `times` says. */
function historyArb(kind: "register" | "cas" | "kv") {
  const value = fc.integer({ min: 0, max: 2 });
  const body =
    kind === "kv"
      ? fc.oneof(
          fc.record({ f: fc.constant("get"), value: fc.constant(null), out: fc.constantFrom<unknown>("", "x", "xy", "y") }),
          fc.record({ f: fc.constant("put"), value: fc.constantFrom("x", "y"), out: fc.constant<unknown>(null) }),
          fc.record({ f: fc.constant("append"), value: fc.constantFrom("x", "y"), out: fc.constant<unknown>(null) }),
        )
      : fc.oneof(
          fc.record({ f: fc.constant("read"), value: fc.constant(null), out: fc.oneof(value, fc.constant(null)) as fc.Arbitrary<unknown> }),
          fc.record({ f: fc.constant("write"), value, out: fc.constant<unknown>(null) }),
          ...(kind === "cas" ? [fc.record({ f: fc.constant("cas"), value: fc.tuple(value, value), out: fc.boolean() as fc.Arbitrary<unknown> })] : []),
        );
  const op = fc.record({ body, key: fc.constantFrom("a", "b"), call: fc.integer({ min: 0, max: 30 }), length: fc.integer({ min: 0, max: 12 }), completion: fc.constantFrom("ok", "ok", "ok", "ok", "info", "fail") });
  // distinct: times are distinct positions; ties: as drawn; spread: positions times 1000 (a wide range); half: fractions.
  const times = fc.constantFrom("distinct", "ties", "spread", "half");
  return fc.tuple(fc.array(op, { minLength: 1, maxLength: 22 }), times).map(([xs, how]) => {
    const order = xs.flatMap((x, i) => [
      { i, ret: false, t: x.call },
      { i, ret: true, t: x.call + x.length },
    ]);
    // Distinct positions keep the drawn order of events (calls before returns at a tie).
    order.sort((p, q) => p.t - q.t || Number(p.ret) - Number(q.ret) || p.i - q.i);
    const pos = new Map(order.map((e, k) => [`${e.i}${e.ret}`, k]));
    const time = (i: number, ret: boolean, t: number) =>
      how === "distinct" ? pos.get(`${i}${ret}`)! : how === "ties" ? t : how === "spread" ? t * 1000 : t + 0.5;
    return xs.map((x, id): Operation<OpCall, unknown> => {
      const info = x.completion === "info";
      const cas = x.body.f === "cas";
      return {
        id,
        process: id,
        input: kind === "kv" ? { f: x.body.f, value: x.body.value, key: x.key } : { f: x.body.f, value: x.body.value },
        output: info ? undefined : cas ? (x.body.out ? x.body.value : false) : x.body.out,
        call: time(id, false, x.call),
        ret: info ? Infinity : time(id, true, x.call + x.length),
        completion: x.completion as "ok" | "info" | "fail",
      };
    });
  });
}

const slicesArb = fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 });

const models: Record<"register" | "cas" | "kv", M[]> = {
  register: [builtinModel("register", { init: 0 })!, builtinModel("register", { init: 0, nilReadMatchesAny: false })!],
  cas: [builtinModel("cas-register", { init: 0 })!, builtinModel("cas-register", { init: null, nilReadMatchesAny: false })!],
  kv: [builtinModel("kv", { init: "" })!],
};

describe("the search returns what the search it replaced returned", () => {
  for (const kind of ["register", "cas", "kv"] as const) {
    it(`${kind}: random histories, random slices`, () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(historyArb(kind), slicesArb, fc.nat(models[kind].length - 1), (ops, slices, m) => {
          for (const s of compare(models[kind][m], ops, slices)) seen.add(s);
        }),
        { numRuns: 1500 },
      );
      // Both verdicts occur.
      expect([...seen].sort().join("")).toBe("ov");
    });
  }
  it("cache and clock budgets end at the same step", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(historyArb("cas"), slicesArb, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), (ops, slices, maxConfigurations, deadline) => {
        const model = models.cas[0];
        for (const s of compare(model, ops, slices, fakeBudget(Infinity, maxConfigurations))) seen.add(s);
        for (const s of compare(model, ops, slices, fakeBudget(deadline))) seen.add(s);
      }),
      { numRuns: 1500 },
    );
    expect(seen.has("u")).toBe(true);
  });
  it("the clock is read at the same steps, across slices of any length", () => {
    // n concurrent writes, reads of a rotated order, a read of a value never written: thousands of steps.
    const hard = (n: number): Operation<OpCall, unknown>[] => {
      const ops: Operation<OpCall, unknown>[] = [];
      for (let i = 0; i < n; i++) ops.push({ id: i, process: i, input: { f: "write", value: i }, output: i, call: 0, ret: 100, completion: "ok" });
      for (let i = 0; i < n; i++) ops.push({ id: n + i, process: i, input: { f: "read", value: null }, output: (i + 1) % n, call: 101 + i, ret: 200, completion: "ok" });
      ops.push({ id: 2 * n, process: n, input: { f: "read", value: null }, output: -1, call: 300, ret: 301, completion: "ok" });
      return ops;
    };
    const model = builtinModel("register", { init: 0, nilReadMatchesAny: false })!;
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 9, max: 12 }), fc.array(fc.integer({ min: 0, max: 30000 }), { maxLength: 8 }), fc.integer({ min: 1, max: 8 }), (n, slices, deadline) => {
        for (const s of compare(model, hard(n), slices, fakeBudget(deadline))) seen.add(s);
      }),
      { numRuns: 100 },
    );
    expect([...seen].sort().join("")).toBe("uv");
  });
});

const dir = corporaDir();
describe.skipIf(!dir)("the search returns what the search it replaced returned, on the corpora", () => {
  it("Knossos cas-register histories and Porcupine's etcd and kv histories", () => {
    const files: [string, M][] = [];
    const cas = join(dir ?? "", "knossos/data/cas-register");
    for (const sub of ["good", "bad"]) for (const f of readdirSync(join(cas, sub))) if (f.endsWith(".edn")) files.push([join(cas, sub, f), builtinModel("cas-register", { init: 0 })!]);
    const etcd = join(dir ?? "", "porcupine/test_data/jepsen");
    for (const f of readdirSync(etcd)) if (/^etcd_\d+\.log$/.test(f)) files.push([join(etcd, f), builtinModel("cas-register", { init: null, nilReadMatchesAny: false })!]);
    const kv = join(dir ?? "", "porcupine/test_data/kv");
    for (const f of readdirSync(kv)) if (f.endsWith(".txt")) files.push([join(kv, f), builtinModel("kv", { init: "" })!]);
    let decided = 0;
    for (const [file, model] of files) {
      const h = readHistory(readFileSync(file, "utf8"), file);
      // etcd_002 and the like are slow to search twice: a cache budget bounds them (same answer either way).
      decided += compare(model, h.ops, [2048, 4096], fakeBudget(Infinity, 200_000)).length;
    }
    expect(files.length).toBeGreaterThan(150);
    expect(decided).toBeGreaterThan(150);
  });
});
