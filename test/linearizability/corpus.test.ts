/**
 * Every linearizability history of the external corpora, checked against the verdict that
 * VERDICT_INDEX.csv gives (Porcupine's, Knossos' and elle-cli's own tests). Model and initial
 * value per corpus come from the CSV's model_or_spec column and the upstream tests it cites.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { corporaDir, expectedLinearizable, verdictIndex } from "./corpus-helpers.ts";
import { readHistory } from "../../traces/porcupine/read-any.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import { checkHistory } from "../../checker/linearizability/check.ts";

const dir = corporaDir();

interface Setup {
  readonly model: string;
  readonly init: unknown;
}

/** Model and initial state for a row, as the upstream test that asserts the verdict uses them. */
function setupFor(row: Record<string, string>): Setup {
  const path = row.path;
  const spec = row.model_or_spec;
  if (path.startsWith("porcupine/test_data/jepsen/")) return { model: "cas-register", init: null };
  if (path.startsWith("porcupine/test_data/kv/")) return { model: "kv", init: "" };
  if (spec.includes("multi-register")) return { model: "multi-register", init: { x: 0, y: 0 } };
  if (spec.includes("mutex")) return { model: "mutex", init: false };
  // elle-cli's --model cas-register is (knossos.model/cas-register): initial value nil.
  if (row.corpus === "elle-cli") return { model: "cas-register", init: null };
  // Knossos' tests: (cas-register 0), except the rethink files checked with (cas-register nil).
  return { model: "cas-register", init: path.includes("/rethink-") ? null : 0 };
}

if (!dir) {
  describe.skip("linearizability corpus (corpora folder absent: set DSCHECK_CORPORA)", () => {
    it("skipped", () => {});
  });
} else {
  const rows = verdictIndex(dir).filter((r) => r.kind === "linearizability");
  describe("linearizability corpus vs VERDICT_INDEX.csv", () => {
    it("has the histories the index promises", () => {
      expect(rows.filter((r) => r.corpus === "porcupine").length).toBe(73);
      expect(rows.filter((r) => r.corpus === "knossos").length).toBe(93);
      expect(rows.filter((r) => r.corpus === "elle-cli").length).toBe(10);
    });
    it("rethink histories also fail with (cas-register 0), as core_test.clj checks every bad file", () => {
      for (const row of rows.filter((r) => r.corpus === "knossos" && r.path.includes("/bad/rethink-"))) {
        const file = join(dir, row.path);
        const history = readHistory(readFileSync(file, "utf8"), file);
        const result = checkHistory(builtinModel("cas-register", { init: 0 })!, history.ops, { ladder: false });
        expect(result.status, row.path).toBe("violation");
      }
    });
    // Investigated, not tuned: Porcupine's etcd test reads nil as "absent" and a `:fail :cas` as
    // a definite failed compare, while Knossos reads nil as "value not recorded" and drops
    // :fail ops. On this corpus both choices give the same 69 verdicts, so the agreement above
    // does not hinge on them (the model tests pin where they do differ).
    it("Porcupine etcd verdicts do not depend on the nil-read or fail-cas reading", () => {
      for (const row of rows.filter((r) => r.path.startsWith("porcupine/test_data/jepsen/"))) {
        const file = join(dir, row.path);
        const ops = readHistory(readFileSync(file, "utf8"), file).ops;
        const knossosStyle = ops.map((o) => (o.input.f === "cas" && o.output === false ? { ...o, completion: "fail" as const } : o));
        const strict = checkHistory(builtinModel("cas-register", { init: null, nilReadMatchesAny: false })!, ops, { ladder: false });
        const lenient = checkHistory(builtinModel("cas-register", { init: null, nilReadMatchesAny: true })!, knossosStyle, { ladder: false });
        expect(lenient.status, row.path).toBe(strict.status);
      }
    });
    for (const row of rows) {
      const want = expectedLinearizable(row.expected) ? "ok" : "violation";
      it(`${row.path} is ${want}`, () => {
        const file = join(dir, row.path);
        const history = readHistory(readFileSync(file, "utf8"), file);
        const setup = setupFor(row);
        const model = builtinModel(setup.model, { init: setup.init, nilReadMatchesAny: history.format !== "porcupine-etcd" })!;
        const now = () => performance.now();
        const result = checkHistory(model, history.ops, { now, deadline: now() + 20_000, ladder: false });
        expect(result.status).toBe(want);
      });
    }
  });
}
