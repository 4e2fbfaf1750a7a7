/**
 * `dscheck history check` end to end: spawns bin/dscheck.cjs on small histories written for
 * the test and checks exit codes 0/1/2/3, --json shape, one-line error messages and that
 * --html never leaves a half-written file.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./corpus-helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-history-cli-"));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin/dscheck.cjs"), "history", "check", ...args], { encoding: "utf8", cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const ops = (lines: string[]) => `[${lines.join("\n ")}]\n`;
const good = file("good.edn", ops([
  "{:process 0, :type :invoke, :f :write, :value 1}",
  "{:process 1, :type :invoke, :f :read, :value nil}",
  "{:process 0, :type :ok, :f :write, :value 1}",
  "{:process 1, :type :ok, :f :read, :value 1}",
]));
// The read of 0 begins after a write of 1 finished: a stale read (sequentially consistent only).
const stale = file("stale.edn", ops([
  "{:process 0, :type :invoke, :f :write, :value 1}",
  "{:process 0, :type :ok, :f :write, :value 1}",
  "{:process 1, :type :invoke, :f :read, :value nil}",
  "{:process 1, :type :ok, :f :read, :value 0}",
]));

/** 14 concurrent writes and reads, then a read of a value never written: every order is tried. */
function hard(): string {
  const n = 14;
  const lines: string[] = [];
  for (let p = 0; p < n; p++) lines.push(`{"process": ${p}, "f": "write", "input": ${p}, "invoke": 0, "complete": 100, "status": "ok"}`);
  for (let p = 0; p < n; p++) lines.push(`{"process": ${n + 1 + p}, "f": "read", "output": ${(p + 1) % n}, "invoke": 0, "complete": 100, "status": "ok"}`);
  lines.push(`{"process": ${n}, "f": "read", "output": -1, "invoke": 300, "complete": 301, "status": "ok"}`);
  return file("hard.json", `{"model": "register", "init": 0, "ops": [\n${lines.join(",\n")}\n]}\n`);
}

describe("dscheck history check", () => {
  it("exit 0 when linearizable, with the verdict on stdout", () => {
    const r = run(good, "--model", "cas-register", "--init", "0");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/good\.edn: linearizable \[2 ops/);
  });
  it("exit 1 on a violation, with the explanation", () => {
    const r = run(stale, "--model", "register", "--init", "0");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("VIOLATION");
    expect(r.stdout).toContain("cannot place #1 p1 read -> 0 (line 3)");
    expect(r.stdout).toContain("state after the prefix: 1");
  });
  it("--json: one object for one file, an array for several", () => {
    const one = JSON.parse(run(stale, "--model", "register", "--init", "0", "--json", "--ladder").stdout);
    expect(one).toMatchObject({ file: stale, status: "violation", level: "sequential", operations: 2 });
    // Without --ladder sequential consistency is not searched at all.
    expect(JSON.parse(run(stale, "--model", "register", "--init", "0", "--json").stdout)).toMatchObject({ status: "violation", level: "unknown" });
    expect(typeof one.elapsedMs).toBe("number");
    const many = run(good, stale, "--model", "register", "--init", "0", "--json");
    expect(many.code).toBe(1);
    expect(JSON.parse(many.stdout).map((r: { status: string }) => r.status)).toEqual(["ok", "violation"]);
  });
  it("exit 2 with one line naming file and line for malformed input", () => {
    const bad = file("bad.edn", "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write\n");
    const r = run(bad, "--model", "register");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${bad}:line 2: '{' is never closed\n`);
    expect(r.stdout).toBe("");
  });
  it("exit 2 with a JSON pointer for a dscheck history that breaks the schema", () => {
    const bad = file("bad.json", `{"ops": [{"process": 0, "f": "read", "invoke": 1, "status": "maybe"}]}`);
    const r = run(bad, "--model", "register", "--json");
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "error", error: expect.stringContaining("#/ops/0/status") });
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
  it("exit 2 for an unknown model, bad --init and an operation the model does not know", () => {
    expect(run(good, "--model", "bogus").stderr).toMatch(/unknown model "bogus"/);
    expect(run(good, "--model", "register", "--init", "{x").code).toBe(2);
    const r = run(good, "--model", "mutex");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${good}:line 1: mutex has no function "write" (known: acquire, release)\n`);
  });
  it("the worst verdict decides the exit code across files (error > violation)", () => {
    expect(run(good, stale, join(dir, "missing.edn"), "--model", "register", "--init", "0").code).toBe(2);
  });
  it("exit 3 when the time limit passes first, never 0", () => {
    const r = run(hard(), "--time-limit", "0.05", "--json");
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "unknown", reason: "time" });
  });
  it("exit 3 with the reason when the memory or cache-size budget runs out first", () => {
    const cache = run(hard(), "--max-configurations", "500", "--json");
    expect(cache.code).toBe(3);
    expect(JSON.parse(cache.stdout)).toMatchObject({ status: "unknown", reason: "cache", explanations: [expect.objectContaining({ prefix: expect.any(Array) })] });
    expect(run(hard(), "--max-configurations", "500").stdout).toContain("UNKNOWN (cache-size budget (--max-configurations) reached)");
    // 1 MB is less than any Node process uses: the first look at memory stops the search.
    const memory = run(hard(), "--max-memory", "1", "--json");
    expect(memory.code).toBe(3);
    expect(JSON.parse(memory.stdout)).toMatchObject({ status: "unknown", reason: "memory" });
  });
  it("budget options are validated: one line, exit 2", () => {
    for (const [opt, v] of [["--max-memory", "0"], ["--max-configurations", "x"], ["--time-limit", "-3"], ["--time-limit", "abc"]]) {
      const r = run(good, "--model", "register", opt, v);
      expect(r.code, `${opt} ${v}`).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
  it("--consistency sequential accepts the stale read, not a read of a value never written", () => {
    expect(run(stale, "--model", "register", "--init", "0", "--consistency", "sequential").code).toBe(0);
    expect(run(stale, "--model", "register", "--init", "0", "--ladder").stdout).toContain("not linearizable, but sequentially consistent");
    expect(run(stale, "--model", "register", "--init", "0").stdout).toContain("not linearizable (sequential consistency not checked: --ladder)");
    const phantom = file("phantom.json", JSON.stringify({ ops: [
      { process: 0, f: "write", input: 1, invoke: 0, complete: 1, status: "ok" },
      { process: 1, f: "read", output: 2, invoke: 2, complete: 3, status: "ok" },
    ] }));
    const r = run(phantom, "--model", "register", "--init", "0", "--json", "--ladder");
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "violation", level: "neither" });
    expect(run(phantom, "--model", "register", "--init", "0", "--consistency", "sequential").code).toBe(1);
  });
  it("--html writes a complete page, and nothing at all on bad input", () => {
    const out = join(dir, "t.html");
    expect(run(stale, "--model", "register", "--init", "0", "--html", out).code).toBe(1);
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    const never = join(dir, "never.html");
    expect(run(join(dir, "bad.edn"), "--model", "register", "--html", never).code).toBe(2);
    expect(existsSync(never)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
