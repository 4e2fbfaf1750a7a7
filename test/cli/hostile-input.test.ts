// Untrusted history files never crash the tool: one line naming the file, exit 2.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import { readHistory } from "../../traces/porcupine/read-any.ts";
import { decodeUtf8 } from "../../traces/input.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import { checkHistory } from "../../checker/linearizability/check.ts";
import { txnsFromJepsen } from "../../checker/serializability/from-jepsen.ts";
import { checkIsolation } from "../../checker/serializability/check.ts";
import { HistoryError } from "../../checker/serializability/txn.ts";
import { dscheck } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-hostile-"));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe("hostile history files", () => {
  const cases: [string, string | Buffer][] = [
    ["empty.edn", ""],
    ["deep.edn", "[".repeat(200_000)],
    ["deep.json", "[".repeat(200_000)],
    ["binary.edn", Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))],
    ["not-ops.json", "[1, 2, 3]"],
  ];
  for (const [name, content] of cases) {
    it(`${name}: exit 2 with a one-line message naming the file`, () => {
      const p = file(name, content);
      for (const cmd of [["history", "check", "--model", "register"], ["history", "isolation"]]) {
        const r = dscheck([...cmd, p]);
        expect(r.code, `${cmd.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(name);
        expect(r.stdout).toBe("");
      }
    });
  }

  it("the readers throw nothing but InputError on random text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), fc.json()), (text) => {
        const readers: (() => unknown)[] = [() => readJepsenHistory(text, "h"), () => readHistory(text, "h")];
        for (const read of readers) {
          try {
            guardedRead("h", read);
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

// Issue 14: value classes that used to be rounded, conflated or crash the tool.
const scalar = fc.oneof(
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => String(n)), // huge integers, plain
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => `${n}N`), // and with N
  fc.constantFrom(":kw", '"kw"', "kw", ":1", '"1"', "1", "nil", '"nil"', ":nil", "\\k", '"\\u00e9"', "1.5M", "1/2", "##Inf", "#inst \"2020\""),
  fc.constantFrom(":__proto__", '"__proto__"', "__proto__", ":constructor", '"toString"'),
  fc.integer({ min: 0, max: 5 }),
);
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar.map(String),
    fc.array(tie("v"), { maxLength: 3 }).map((xs) => `[${xs.join(" ")}]`),
    fc.array(tie("v"), { maxLength: 3 }).map((xs) => `#{${[...new Set(xs)].join(" ")}}`),
    fc.array(fc.tuple(fc.constantFrom(":__proto__", ":a", '"a"', "1", ":constructor"), tie("v")), { maxLength: 2 }).map((kv) => `{${kv.map(([k, v]) => `${k} ${v}`).join(", ")}}`),
  ),
})).v;
const special = fc.oneof(
  fc.integer({ min: 900, max: 6000 }).map((d) => "[".repeat(d) + "]".repeat(d)), // deep nesting
  fc.integer({ min: 60_000, max: 70_000 }).map((n) => "a".repeat(n)), // long tokens
  fc.integer({ min: 60_000, max: 70_000 }).map((n) => ":" + "9".repeat(n)),
);
const record = fc.record({
  process: fc.constantFrom("0", "1", ":nemesis", "2N", '"0"'),
  type: fc.constantFrom(":invoke", ":ok", ":fail", ":info", '"ok"', "5N", ":__proto__"),
  f: fc.constantFrom(":read", ":write", ":cas", ":txn", '"read"'),
  value: fc.oneof(value, fc.array(fc.tuple(fc.constantFrom(":r", ":w", ":append", '"r"'), scalar, value), { maxLength: 3 }).map((ms) => `[${ms.map((m) => `[${m.join(" ")}]`).join(" ")}]`)),
}).map((r) => `{:process ${r.process}, :type ${r.type}, :f ${r.f}, :value ${r.value}}`);
// Well-formed invoke/ok pairs, so that the values reach the checkers, not only the readers.
const paired = fc.array(fc.tuple(fc.constantFrom(":read", ":write", ":write", ":txn"), value, value), { minLength: 1, maxLength: 5 }).map((ops) =>
  ops.flatMap(([f, a, b], p) => [`{:process ${p}, :type :invoke, :f ${f}, :value ${a}}`, `{:process ${p}, :type :ok, :f ${f}, :value ${f === ":txn" ? `[[:r ${p} ${b}] [:w ${p} ${a}]]` : b}}`]),
);
const history = fc.tuple(fc.oneof(fc.array(record, { minLength: 1, maxLength: 8 }), paired, paired), fc.option(special, { freq: 8 }), fc.integer({ min: 0, max: 5 }).map((x) => x === 0), fc.integer({ min: 0, max: 5 }).map((x) => x === 0)).map(([lines, sp, protoLine, badUtf8]) => {
  const all = [...lines];
  if (sp !== null) all.push(`{:process 0, :type :invoke, :f :write, :value ${sp}}`);
  if (protoLine) all.push(`{:__proto__ ${lines[0]}}`);
  const bytes = Buffer.from(all.join("\n") + "\n");
  return badUtf8 ? Buffer.concat([bytes, Buffer.from([0x22, 0xc3, 0x28, 0x22, 0x0a])]) : bytes;
});

describe("hostile values (issue 14): exact, never a crash", () => {
  it("readers and both checkers throw nothing but InputError / HistoryError", () => {
    let reached = 0;
    fc.assert(
      fc.property(history, (bytes) => {
        try {
          const text = decodeUtf8(bytes, "h");
          const h = guardedRead("h", () => readHistory(text, "h", "jepsen-edn"));
          const model = builtinModel("cas-register", { init: null })!;
          if (h.ops.every((op) => model.checkInput(op.input) === undefined)) {
            reached++;
            let t = 0;
            const r = checkHistory(model, h.ops, { now: () => t++, deadline: 500, ladder: true });
            expect(["ok", "violation", "unknown"]).toContain(r.status);
          }
          const txns = txnsFromJepsen(readJepsenHistory(text, "h"));
          for (const workload of ["list-append", "rw-register"] as const) {
            try {
              checkIsolation(txns, { workload, maxSearchSteps: 10_000 });
            } catch (e) {
              if (!(e instanceof HistoryError)) throw e;
            }
          }
        } catch (e) {
          if (!(e instanceof InputError) && !(e instanceof HistoryError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
    expect(reached, "histories that reached the linearizability checker").toBeGreaterThan(15);
    // Reading built no prototype from data.
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it("the CLI ends every such input with exit 0-3 and no stack trace", () => {
    const samples = fc.sample(history, { numRuns: 6, seed: 14 });
    samples.forEach((bytes, i) => {
      const p = file(`fuzz-${i}.edn`, bytes);
      for (const cmd of [["history", "check", "--model", "cas-register", "--time-limit", "2"], ["history", "isolation", "--time-limit", "2"]]) {
        const r = dscheck([...cmd, p]);
        expect(r.code, `${cmd.join(" ")} ${p}: ${r.stderr}`).toBeGreaterThanOrEqual(0);
        expect(r.code).toBeLessThanOrEqual(3);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        if (r.code === 2) expect(r.stderr.trim().split("\n")).toHaveLength(1);
      }
    });
  });
});
