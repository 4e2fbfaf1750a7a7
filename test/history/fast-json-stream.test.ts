/**
 * `history check --json` on several files renders each file's report as soon as it is checked
 * (history-check.ts renderedElement) instead of stringifying the whole array at the end: the
 * printed text must be byte for byte what JSON.stringify(array, null, 2) prints, for reports
 * of every kind (a violation with its explanation and timeline, a linearizable history with
 * its linearization, nothing to check, bad input).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dscheck } from "../cli/run-cli.ts";

const work = mkdtempSync(join(tmpdir(), "dscheck-stream-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
};

describe("history check --json, file by file", () => {
  const bad = write("bad.edn", '[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :ok, :f :read, :value "x\\ny"}]\n');
  const good = write("good.edn", "[{:process 0, :type :invoke, :f :cas, :value [0 1]}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :cas, :value [0 1]}\n {:process :nemesis, :type :info, :f :kill, :value {:node \"n1\"}}\n {:process 1, :type :ok, :f :read, :value 1}]\n");
  const nemesis = write("nemesis.edn", "[{:process :nemesis, :type :info, :f :start, :value nil}]\n");
  const broken = write("broken.edn", "[{:process 0 :type}]\n");

  it("prints exactly what stringifying the whole array prints", () => {
    const r = dscheck(["history", "check", "--model", "cas-register", "--init", "0", "--json", bad, good, nemesis, broken]);
    expect(r.code).toBe(2);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.map((x: { status: string }) => x.status)).toEqual(["violation", "ok", "ok", "error"]);
    expect(parsed[0].timeline.operations.length).toBe(2);
    expect(parsed[0].explanations.length).toBe(1);
    expect(parsed[1].linearization).toEqual([0, 1]);
    expect(parsed[1].timeline.nemesis[0].label).toBe('info kill {:node "n1"}');
    expect(r.stdout).toBe(JSON.stringify(parsed, null, 2) + "\n");
  });

  it("one file: one object, as before", () => {
    const r = dscheck(["history", "check", "--model", "cas-register", "--init", "0", "--json", good]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(Array.isArray(parsed)).toBe(false);
    expect(r.stdout).toBe(JSON.stringify(parsed, null, 2) + "\n");
  });

  it("the text report says the same verdicts", () => {
    const r = dscheck(["history", "check", "--model", "cas-register", "--init", "0", bad, good]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad\.edn: VIOLATION/);
    expect(r.stdout).toMatch(/good\.edn: linearizable/);
  });
});
