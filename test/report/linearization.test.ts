// The linearization of a linearizable history: `history check --json` carries it (operation
// ids in order) and the report draws it. Oracle, independent of the search: histories made
// linearizable by construction (each operation takes effect at a random point inside its
// interval, results computed by this file's own register/kv semantics), and every reported
// order checked here: it holds each determinate operation once, is a legal sequential run
// under the same semantics (and under the model), and respects real time.
import fc from "fast-check";
import { Ajv } from "ajv";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHistory } from "../../checker/linearizability/check.ts";
import { linearizationOf } from "../../checker/linearizability/linearization.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import { ILLEGAL, type Model } from "../../checker/linearizability/model.ts";
import { productModel } from "../../checker/linearizability/partition.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";
import { reportsFromResult } from "../../report/from-result.ts";
import { renderMarkdown } from "../../report/render/markdown.ts";
import { dscheck, repoRoot } from "../cli/run-cli.ts";

type Kind = "register" | "kv";
interface Op {
  readonly f: "read" | "write" | "get" | "put" | "append";
  readonly key?: string;
  readonly arg: number | string | null;
}
type State = number | Record<string, string>;

/** This test's own semantics: the state after `op`, and what it returns. */
function apply(state: State, op: Op): { next: State; result: unknown } {
  switch (op.f) {
    case "write":
      return { next: op.arg as number, result: null };
    case "read":
      return { next: state, result: state };
    default: {
      const kv = state as Record<string, string>;
      const cur = kv[op.key!] ?? "";
      if (op.f === "get") return { next: kv, result: cur };
      return { next: { ...kv, [op.key!]: op.f === "put" ? (op.arg as string) : cur + (op.arg as string) }, result: null };
    }
  }
}

const opArb = (kind: Kind): fc.Arbitrary<Op> =>
  kind === "register"
    ? fc.oneof(fc.record({ f: fc.constant("read" as const), arg: fc.constant(null) }), fc.record({ f: fc.constant("write" as const), arg: fc.integer({ min: 0, max: 3 }) }))
    : fc.record({ f: fc.constantFrom("get" as const, "put" as const, "append" as const), key: fc.constantFrom("a", "b", "c"), arg: fc.constantFrom("x", "y") }).map((o) => (o.f === "get" ? { ...o, arg: null } : o));

/**
 * A linearizable history: per process, operations one after another with gaps; each takes
 * effect at a point inside its interval (the last one may be indeterminate: it returns never
 * and takes effect or not); results are those of running the effects in point order.
 */
function historyArb(kind: Kind): fc.Arbitrary<Operation<OpCall, unknown>[]> {
  const step = fc.record({ op: opArb(kind), gap: fc.integer({ min: 0, max: 6 }), length: fc.integer({ min: 2, max: 12 }), at: fc.double({ min: 0.01, max: 0.99, noNaN: true }), indeterminate: fc.boolean(), effect: fc.boolean() });
  return fc.array(fc.array(step, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }).map((procs) => {
    const drafts: { process: number; op: Op; call: number; ret: number; point: number | undefined }[] = [];
    procs.forEach((steps, process) => {
      let t = 0;
      steps.forEach((s, k) => {
        const call = t + s.gap;
        const indeterminate = k === steps.length - 1 && s.indeterminate;
        const ret = call + s.length;
        drafts.push({ process, op: s.op, call, ret: indeterminate ? Infinity : ret, point: indeterminate && !s.effect ? undefined : call + s.at * s.length });
        t = ret + 1;
      });
    });
    const results = new Map<number, unknown>();
    let state: State = kind === "register" ? 0 : {};
    const byPoint = drafts.map((d, i) => i).filter((i) => drafts[i].point !== undefined).sort((a, b) => drafts[a].point! - drafts[b].point! || a - b);
    for (const i of byPoint) {
      const { next, result } = apply(state, drafts[i].op);
      state = next;
      results.set(i, result);
    }
    return drafts.map((d, id) => ({
      id,
      process: d.process,
      input: (d.op.key !== undefined ? { f: d.op.f, value: d.op.arg, key: d.op.key } : { f: d.op.f, value: d.op.arg }) as OpCall,
      output: d.ret === Infinity ? undefined : results.get(id),
      call: d.call,
      ret: d.ret,
      completion: d.ret === Infinity ? "info" : "ok",
    }));
  });
}

/** Throws unless `order` is a linearization of `ops` (see the header). */
function assertLinearization(kind: Kind, model: Model<unknown, OpCall, unknown>, ops: readonly Operation<OpCall, unknown>[], order: readonly number[]): void {
  expect(new Set(order).size, "no operation twice").toBe(order.length);
  for (const op of ops) if (op.ret !== Infinity) expect(order, `determinate op ${op.id} placed`).toContain(op.id);
  let state: State = kind === "register" ? 0 : {};
  // A partitioned model's step is one key's: the whole history runs on the product of its keys.
  const whole = (model.partitioned ? productModel(model) : model) as Model<unknown, OpCall, unknown>;
  let modelState = whole.init();
  for (const id of order) {
    const op = ops[id];
    const raw = op.input as unknown as { f: Op["f"]; value: Op["arg"]; key?: string };
    const { next, result } = apply(state, { f: raw.f, arg: raw.value, key: raw.key });
    if (op.ret !== Infinity) expect(result, `op ${id} returns what it returned`).toEqual(op.output);
    state = next;
    const after = whole.step(modelState, op.input, op.output);
    expect(after, `op ${id} is legal under the model`).not.toBe(ILLEGAL);
    modelState = after;
  }
  // Real time: an operation that returned before another was called comes first.
  const position = new Map(order.map((id, i) => [id, i]));
  for (const a of ops) for (const b of ops) if (position.has(a.id) && position.has(b.id) && a.ret < b.call) expect(position.get(a.id)!, `${a.id} returned before ${b.id} was called`).toBeLessThan(position.get(b.id)!);
}

describe("linearizationOf on histories linearizable by construction", () => {
  for (const kind of ["register", "kv"] as const) {
    it(`${kind}${kind === "kv" ? " (partitioned by key: the keys' orders merged)" : ""}`, () => {
      const model = (kind === "register" ? builtinModel("cas-register", { init: 0, nilReadMatchesAny: false }) : builtinModel("kv"))! as Model<unknown, OpCall, unknown>;
      fc.assert(
        fc.property(historyArb(kind), (ops) => {
          const r = checkHistory(model, ops, { criterion: "linearizable", ladder: false });
          expect(r.status).toBe("ok");
          assertLinearization(kind, model, ops, linearizationOf(r)!);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("none for a violation, or for sequential consistency (not a linearization)", () => {
    const model = builtinModel("cas-register", { init: 0, nilReadMatchesAny: false })! as Model<unknown, OpCall, unknown>;
    const stale: Operation<OpCall, unknown>[] = [
      { id: 0, process: 0, input: { f: "write", value: 1 } as OpCall, output: null, call: 0, ret: 1, completion: "ok" },
      { id: 1, process: 1, input: { f: "read", value: null } as OpCall, output: 0, call: 2, ret: 3, completion: "ok" },
    ];
    expect(linearizationOf(checkHistory(model, stale, { criterion: "linearizable", ladder: false }))).toBeUndefined();
    const seq = checkHistory(model, stale, { criterion: "sequential", ladder: false });
    expect(seq.status).toBe("ok");
    expect(linearizationOf(seq)).toBeUndefined();
  });
});

describe("history check --json and the report of a linearizable history", () => {
  const file = "test/fixtures/reports/inputs/linearizable.edn";
  const ajv = new Ajv({ strict: false, allowUnionTypes: true });
  ajv.addKeyword("tsType");
  const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, "traces/schemas/history-check-report.schema.json"), "utf8")));

  it("carries the linearization and the timeline; the report draws the order as a finding that holds", () => {
    const dir = mkdtempSync(join(tmpdir(), "dscheck-lin-"));
    const html = join(dir, "r.html");
    const r = dscheck(["history", "check", file, "--model", "register", "--init", "0", "--json", "--html", html]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
    expect(j.status).toBe("ok");
    // The file: a write of 1, then a read of 1 that starts after the write returned.
    expect(j.linearization).toEqual([0, 1]);
    expect(j.timeline.operations).toHaveLength(2);
    const [report] = reportsFromResult(j);
    expect(report.verdict).toBe("ok");
    const f = report.findings.find((x) => x.name === "linearization")!;
    expect(f.verdict).toBe("ok");
    expect(f.history?.linearization).toEqual(["0", "1"]);
    expect(f.history?.partial).toBe(false);
    expect(renderMarkdown(report)).toContain("Linearization: 0 → 1");
    expect(readFileSync(html, "utf8")).toContain("numbers: the linearization found");
  }, 60_000);
});
