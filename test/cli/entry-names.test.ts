/**
 * The CLI's entry under both names: bin/dscheck.cjs (package.json's bin) and bin/dscheck.mjs,
 * the name before, which npx caches of a checkout still link. Both give the same output and
 * exit codes, the history commands' included (they take the bundle's path).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./run-cli.ts";

function run(entry: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", entry), ...args], { encoding: "utf8", cwd: repoRoot, timeout: 120_000 });
  // Timings differ from run to run.
  const stdout = r.stdout.replace(/"elapsedMs": [0-9.]+/g, '"elapsedMs": 0').replace(/, [0-9.]+ ms\]/g, ", 0 ms]");
  return { code: r.status, stdout, stderr: r.stderr };
}

describe("the CLI's two entry names", () => {
  const dir = mkdtempSync(join(tmpdir(), "dscheck-entry-"));
  const stale = join(dir, "stale.edn");
  writeFileSync(stale, "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value 0}]\n");
  const cases: string[][] = [["--version"], ["history", "check", stale, "--model", "register", "--init", "0", "--json"], ["history", "check", stale, "--model", "nope"], ["no-such-command"]];
  for (const args of cases) {
    it(`dscheck ${args.join(" ")}`, () => {
      const a = run("dscheck.cjs", args);
      const b = run("dscheck.mjs", args);
      expect(b).toEqual(a);
      expect([0, 1, 2]).toContain(a.code);
    });
  }
  it("a violation is exit 1 and a usage error exit 2 through either name", () => {
    expect(run("dscheck.mjs", cases[1]).code).toBe(1);
    expect(run("dscheck.cjs", cases[2]).code).toBe(2);
  });
});
