/**
 * `history check --json` on several files renders each file's report as soon as it is checked
 * (cli/history-reports.ts renderedElement) instead of stringifying the whole array at the end: the
 * printed text must be byte for byte what the oracle below prints, for reports of every kind
 * (a violation with its explanation and timeline, a linearizable history with its
 * linearization, nothing to check, bad input). The oracle: JSON.stringify(value, null, 2)
 * with each report's linearization and timeline on one line (put in by placeholder, a way
 * of its own), so the printed JSON is the same value, members in the same order.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dscheck } from "../cli/run-cli.ts";

const work = mkdtempSync(join(tmpdir(), "dscheck-stream-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** What --json prints for `value` (a report, or an array of them), made independently of history-check.ts. */
function expectedText(value: unknown): string {
  const oneLine: string[] = [];
  const hole = (v: unknown) => `@@${oneLine.push(JSON.stringify(v)) - 1}@@`;
  const holed = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === "linearization" || k === "timeline" ? hole(v) : v]));
  const pretty = JSON.stringify(Array.isArray(value) ? value.map(holed) : holed(value as Record<string, unknown>), null, 2);
  return pretty.replace(/"@@(\d+)@@"/g, (_, i) => oneLine[Number(i)]) + "\n";
}

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

  it("prints exactly the oracle's text for the whole array", () => {
    const r = dscheck(["history", "check", "--model", "cas-register", "--init", "0", "--json", bad, good, nemesis, broken]);
    expect(r.code).toBe(2);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.map((x: { status: string }) => x.status)).toEqual(["violation", "ok", "ok", "error"]);
    expect(parsed[0].timeline.operations.length).toBe(2);
    expect(parsed[0].explanations.length).toBe(1);
    expect(parsed[1].linearization).toEqual([0, 1]);
    expect(parsed[1].timeline.nemesis[0].label).toBe('info kill {:node "n1"}');
    expect(r.stdout).toBe(expectedText(parsed));
    // Each linearization and timeline on one line: four reports of a few lines each, not one value a line.
    expect(r.stdout.split("\n").filter((l) => /^ {4}"(linearization|timeline)": [[{].*[\]}],?$/.test(l)).length).toBe(3);
  });

  it("one file: one object, as before", () => {
    const r = dscheck(["history", "check", "--model", "cas-register", "--init", "0", "--json", good]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(Array.isArray(parsed)).toBe(false);
    expect(parsed.linearization).toEqual([0, 1]);
    expect(r.stdout).toBe(expectedText(parsed));
  });

  it("the text report says the same verdicts", () => {
    const r = dscheck(["history", "check", "--model", "cas-register", "--init", "0", bad, good]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad\.edn: VIOLATION/);
    expect(r.stdout).toMatch(/good\.edn: linearizable/);
  });
});
