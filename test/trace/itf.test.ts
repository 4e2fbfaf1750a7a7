// ITF (Apalache/Quint's Informal Trace Format): the real files of itf-rs and modelator parse,
// every value round-trips exactly (big integers, tuples, sets, maps, variants), conversion to
// state values refuses what states cannot hold, and explore --itf writes a trace that
// trace validate --format itf reads back as valid.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { itfToState, readItf, stateToItf, ValueMap, ValueSet, writeItf } from "../../checker/index.ts";
import { dscheck } from "../cli/run-cli.ts";
import { corporaDir } from "../support/corpora.ts";

const dir = corporaDir();

function itfFiles(root: string): string[] {
  return readdirSync(root).flatMap((f) => {
    const p = join(root, f);
    return statSync(p).isDirectory() ? itfFiles(p) : f.endsWith(".itf.json") ? [p] : [];
  });
}

describe.skipIf(!dir)("ITF corpora (itf-rs, modelator)", () => {
  const files = dir ? [...itfFiles(join(dir, "itf-rs")), ...itfFiles(join(dir, "modelator"))] : [];
  it("has files to read", () => expect(files.length).toBeGreaterThanOrEqual(10));
  it.each(files.map((f) => [f.slice(dir!.length + 1), f]))("%s: every state's values round-trip exactly", (_name, file) => {
    const doc = JSON.parse(readFileSync(file, "utf8"));
    expect(Array.isArray(doc.states)).toBe(true);
    for (const [i, state] of doc.states.entries()) {
      const v = readItf(state, `/states/${i}`);
      expect(writeItf(v)).toEqual(state);
    }
  });
});

describe("ITF values", () => {
  it("keeps integers beyond 2^53 exact at the ITF level, and refuses to round them into states", () => {
    const big = { "#bigint": "1180591620717411303424" }; // 2^70
    expect(writeItf(readItf(big))).toEqual(big);
    expect(() => itfToState(readItf(big))).toThrow(/beyond 2\^53/);
    expect(() => readItf(2 ** 60)).toThrow(/beyond 2\^53/);
    expect(itfToState(readItf({ "#bigint": "-42" }))).toBe(-42);
  });

  it("tells sets, tuples, lists and maps apart, and records keep a __proto__ key as data", () => {
    const s = itfToState(readItf({ "#set": [1, 2] }));
    expect(s).toBeInstanceOf(ValueSet);
    expect(itfToState(readItf({ "#tup": [1, 2] }))).toEqual([1, 2]);
    expect(itfToState(readItf({ "#map": [[1, "a"]] }))).toBeInstanceOf(ValueMap);
    const rec = itfToState(readItf(JSON.parse('{"__proto__": {"x": 1}}'))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(rec)).toBe(Object.prototype);
    expect(Object.hasOwn(rec, "__proto__")).toBe(true);
    expect(writeItf(stateToItf(ValueSet.of(3, 1)))).toEqual({ "#set": [1, 3] });
  });
});

describe("explore --itf, then trace validate --format itf", () => {
  it("a counterexample written as ITF validates as a behaviour of the spec, with the same replay path", () => {
    const out = join(mkdtempSync(join(tmpdir(), "dscheck-itf-")), "cex.itf.json");
    const e = dscheck(["explore", "specs/two-phase-commit.ts", "--param", "bug=commitWithoutVotes", "--param", "rms=4", "--itf", out, "--json", "--no-typecheck"]);
    expect(e.code).toBe(1);
    const path = JSON.parse(e.stdout).replayPath as string;
    const v = dscheck(["trace", "validate", "specs/two-phase-commit.ts", out, "--param", "bug=commitWithoutVotes", "--param", "rms=4", "--json", "--no-typecheck"]);
    expect(v.code).toBe(0);
    const report = JSON.parse(v.stdout);
    expect(report.traces[0].status).toBe("valid");
    expect(report.traces[0].replayPath).toBe(path);
    // Without the bug the same trace is not a behaviour of the spec: TMCommit needs every vote.
    const strict = dscheck(["trace", "validate", "specs/two-phase-commit.ts", out, "--param", "rms=4", "--no-typecheck"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/guard allPrepared false/);
    // A state changed by hand: rejected at that state.
    const doc = JSON.parse(readFileSync(out, "utf8"));
    doc.states[2].tmState = "bogus";
    writeFileSync(out, JSON.stringify(doc));
    const bad = dscheck(["trace", "validate", "specs/two-phase-commit.ts", out, "--param", "bug=commitWithoutVotes", "--param", "rms=4", "--json", "--no-typecheck"]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).traces[0].rejection.line).toBe(3);
  });
});
