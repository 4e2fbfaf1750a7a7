/**
 * `dscheck merge`. The oracle is one unsharded run: for random file lists and N, running
 * `--shard i/N` for every i and merging the JSON results gives the same results (timings
 * aside), the same per-file verdicts and the same exit code. Most runs are in-process
 * (cli/main.ts with its output captured: the same code as the bin, no start-up cost); a few
 * real CLI spawns check the same through bin/dscheck.cjs, --junit and the text report.
 * Hostile merge inputs exit 2 with one line naming the file and the JSON pointer.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { shardKey } from "../../cli/ci.ts";
import { combineExitCodes, exitCodeFor, type Verdict } from "../../cli/exit-codes.ts";
import { dscheck, repoRoot } from "./run-cli.ts";

const captured = vi.hoisted(() => ({ stdout: "", stderr: "" }));
vi.mock("../../cli/output.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../cli/output.ts")>();
  return { ...original, writeOut: (t: string) => void (captured.stdout += t), writeErr: (t: string) => void (captured.stderr += t) };
});
const { main } = await import("../../cli/main.ts");

/** The CLI in this process, with cwd = the fixture folder. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  captured.stdout = captured.stderr = "";
  const code = await main(args);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

const KNOSSOS = "/work/shared/corpora/knossos/data/cas-register";
const LBINRIA = "/work/shared/corpora/lbinria-TwoPhase/BenchMarks";
const SPEC = join(repoRoot, "specs", "two-phase-commit.ts");
let dir: string;
let home: string;
const saved = { GITHUB_ACTIONS: process.env.GITHUB_ACTIONS };

/** History files (cas-register, init 0): two hold, two do not, two are malformed. */
const HISTORIES = ["ok/bug.edn", "ok/rollback-9.edn", "ok/rollback-10.edn", "bad/analysis.edn", "bad/immediate.edn", "broken.edn", "empty.edn"];
/** lbinria TwoPhase traces (4 RMs): valid ones, the rejected BUG trace, a malformed one. */
const TRACES = ["t/vea.ndjson", "t/e.ndjson", "t/v.ndjson", "t/bug.ndjson", "t/ea.ndjson", "t/junk.ndjson"];

beforeAll(() => {
  delete process.env.GITHUB_ACTIONS; // the commands would annotate and write a step summary
  home = process.cwd();
  dir = mkdtempSync(join(tmpdir(), "dscheck-merge-"));
  for (const d of ["ok", "bad", "t"]) mkdirSync(join(dir, d));
  const copies: [string, string][] = [
    [`${KNOSSOS}/good/cas-register-bug.edn`, "ok/bug.edn"], [`${KNOSSOS}/good/mongodb-v0-ack-rollback-9.edn`, "ok/rollback-9.edn"],
    [`${KNOSSOS}/good/mongodb-v0-ack-rollback-10.edn`, "ok/rollback-10.edn"], [`${KNOSSOS}/bad/bad-analysis.edn`, "bad/analysis.edn"],
    [`${KNOSSOS}/bad/immediate-failure.edn`, "bad/immediate.edn"], [`${LBINRIA}/trace.ndjson.4RM.VEA`, "t/vea.ndjson"],
    [`${LBINRIA}/trace.ndjson.4RM.E`, "t/e.ndjson"], [`${LBINRIA}/trace.ndjson.4RM.V`, "t/v.ndjson"], [`${LBINRIA}/trace.ndjson.BUG-4RM.VEA`, "t/bug.ndjson"],
    [`${LBINRIA}/trace.ndjson.4RM.EA`, "t/ea.ndjson"], [`${LBINRIA}/conf.4RM.ndjson`, "conf.ndjson"],
  ];
  for (const [from, to] of copies) copyFileSync(from, join(dir, to));
  writeFileSync(join(dir, "broken.edn"), "[{:process 0, :type :invoke\n");
  writeFileSync(join(dir, "empty.edn"), "");
  writeFileSync(join(dir, "t/junk.ndjson"), '{"event": "RMPrepare", "event_args": ["rm-0"]}\n{oops\n');
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(home);
  if (saved.GITHUB_ACTIONS !== undefined) process.env.GITHUB_ACTIONS = saved.GITHUB_ACTIONS;
  rmSync(dir, { recursive: true, force: true });
});

const HISTORY_ARGS = ["--model", "cas-register", "--init", "0"];
const TRACE_ARGS = ["--config", "conf.ndjson", "--no-typecheck"];
type Json = Record<string, any>;

/** A command's --json output as a list of per-input results (trace validate: one per trace, as merge gives them). */
function perInput(stdout: string): Json[] {
  const data = JSON.parse(stdout);
  const items: Json[] = Array.isArray(data) ? data : [data];
  return items.flatMap((r) => (r.command === "trace validate" && Array.isArray(r.traces) ? r.traces.map((t: Json) => ({ ...r, status: t.status === "malformed" ? "error" : t.status, traces: [t] })) : [r]));
}
const fileOf = (r: Json): string => (r.traces ? r.traces[0].file : r.file);
/** Results without their timings (the only thing that differs between two runs), by input. */
const byInput = (results: Json[]) =>
  new Map(results.map((r) => [shardKey(fileOf(r)), JSON.parse(JSON.stringify(r, (k, v) => (k === "elapsedMs" || k === "seconds" ? undefined : v)))]));
const VERDICT: Record<string, Verdict> = { valid: "ok", rejected: "violation", ok: "ok", violation: "violation", unknown: "unknown", incomplete: "incomplete", error: "error" };

/** Shards 1..N of `command` over `files`, each written to shard-i.json; returns the files written. */
async function runShards(command: string[], files: string[], n: number, tag: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    const r = await cli([...command, ...files, "--shard", `${i}/${n}`, "--json"]);
    const results = perInput(r.stdout);
    // Each shard's own exit code is the worst verdict of what it checked.
    expect(r.code).toBe(combineExitCodes(results.map((x) => exitCodeFor(VERDICT[x.status]))));
    const name = `shard-${tag}-${i}.json`;
    writeFileSync(name, r.stdout);
    out.push(name);
  }
  return out;
}

/** The property: merged shards = one unsharded run, for a command over a pool of inputs. */
async function shardsMergeLikeOneRun(command: string[], pool: string[], runs: number, tag: string) {
  await fc.assert(
    fc.asyncProperty(
      fc.shuffledSubarray(pool, { minLength: 1 }),
      fc.array(fc.boolean(), { minLength: pool.length, maxLength: pool.length }),
      fc.integer({ min: 1, max: pool.length + 1 }),
      async (picked, dotted, n) => {
        // Paths written as "./x" in some runs: the shard split and the merge go by the path, not its spelling.
        const files = picked.map((f, i) => (dotted[i] ? `./${f}` : f));
        const one = await cli([...command, ...files, "--json"]);
        const shards = await runShards(command, files, n, tag);
        const merged = await cli(["merge", ...shards, "--json"]);
        expect(merged.stderr).toBe("");
        expect(merged.code).toBe(one.code);
        // merged.stdout is taken as it is (not through perInput, which would redo merge's split).
        const a = byInput(perInput(one.stdout)), b = byInput(JSON.parse(merged.stdout));
        expect(JSON.parse(merged.stdout)).toHaveLength(a.size);
        expect([...b.keys()]).toEqual([...a.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
        for (const [key, r] of a) expect(b.get(key), key).toEqual(r);
        for (const s of shards) rmSync(s);
      },
    ),
    { numRuns: runs, seed: 20261201 },
  );
}

describe("merging shards gives what one run gives (in-process)", () => {
  it("history check: random file lists and N", async () => {
    await shardsMergeLikeOneRun(["history", "check", ...HISTORY_ARGS], HISTORIES, 30, "h");
  }, 120_000);

  it("trace validate: random trace lists and N (a report per shard, merged per trace)", async () => {
    await shardsMergeLikeOneRun(["trace", "validate", SPEC, ...TRACE_ARGS], TRACES, 12, "t");
  }, 180_000);

  it("merging a merge changes nothing; empty shards are fine; the verdicts cover ok, violation and error", async () => {
    const shards = await runShards(["history", "check", ...HISTORY_ARGS], HISTORIES, HISTORIES.length + 2, "e");
    const merged = await cli(["merge", ...shards, "--json"]);
    expect(merged.code).toBe(2);
    expect(new Set((JSON.parse(merged.stdout) as Json[]).map((r) => r.status))).toEqual(new Set(["ok", "violation", "error"]));
    writeFileSync("merged.json", merged.stdout);
    const again = await cli(["merge", "merged.json", "--json"]);
    expect(again.stdout).toBe(merged.stdout);
    expect(again.code).toBe(2);
    // Only the valid traces: exit 0.
    const valid = await runShards(["trace", "validate", SPEC, ...TRACE_ARGS], ["t/vea.ndjson", "t/e.ndjson"], 2, "v");
    expect((await cli(["merge", ...valid])).code).toBe(0);
  }, 120_000);
});

describe("every command's results merge", () => {
  it("history isolation shards, cuts logs one per job, explore runs: the results as they were, the worst exit code", async () => {
    copyFileSync("/work/shared/corpora/elle/histories/paper-example.edn", "paper.edn");
    copyFileSync("/work/shared/corpora/elle/histories/si-without-g-single.edn", "si.edn");
    copyFileSync(join(repoRoot, "test/serializability/golden/write-skew.json"), "skew.json");
    const isolation = ["history", "isolation", "--level", "serializable"];
    const inputs = ["paper.edn", "si.edn", "skew.json", "broken.edn"];
    const one = await cli([...isolation, ...inputs, "--json"]);
    const merged = await cli(["merge", ...(await runShards(isolation, inputs, 2, "i")), "--json"]);
    expect(merged.code).toBe(one.code);
    expect(byInput(JSON.parse(merged.stdout))).toEqual(byInput(perInput(one.stdout)));

    const logs = ["clocks-ok.ndjson", "clocks-bad.ndjson", "domino.ndjson", "rounds.ndjson"].map((f) => join(repoRoot, "test/fixtures/cuts", f));
    const runs: Awaited<ReturnType<typeof cli>>[] = [];
    for (const [i, log] of logs.entries()) {
      runs.push(await cli(["cuts", log, "--json"]));
      writeFileSync(`cuts-${i}.json`, runs[i].stdout);
    }
    expect(new Set(runs.map((r) => r.code))).toEqual(new Set([0, 1]));
    const cuts = await cli(["merge", ...logs.map((_, i) => `cuts-${i}.json`), "--json"]);
    expect(cuts.code).toBe(combineExitCodes(runs.map((r) => r.code)));
    expect(byInput(JSON.parse(cuts.stdout))).toEqual(byInput(runs.flatMap((r) => perInput(r.stdout))));

    // explore: one run per job (a matrix over parameters), a replay, a bad parameter.
    const jobs = [["--param", "rms=2"], ["--param", "bug=commitWithoutVotes"], ["--replay", "0/1"], ["--param", "nope=1"]];
    const explores: Awaited<ReturnType<typeof cli>>[] = [];
    for (const [i, job] of jobs.entries()) {
      explores.push(await cli(["explore", SPEC, ...job, "--no-typecheck", "--json"]));
      writeFileSync(`explore-${i}.json`, explores[i].stdout);
    }
    expect(explores.map((r) => r.code)).toEqual([0, 1, 0, 2]);
    const explored = await cli(["merge", ...jobs.map((_, i) => `explore-${i}.json`)]);
    expect(explored.code).toBe(2);
    expect(explored.stdout).toContain("explore-3.json#: explore " + SPEC + ': error: unknown param "nope"');
    expect(explored.stdout).toContain("(explore rms=3 bug=commitWithoutVotes): VIOLATION of TCConsistent");
    expect(explored.stdout).toContain("(explore --replay 0/1 rms=3 bug=none): OK");
    expect(explored.stdout).toMatch(/4 result\(s\) of explore from 4 file\(s\): 2 hold, 1 violated, 0 incomplete, 1 in error\n$/);

    // bivalence (its schema): the verdicts' worst.
    writeFileSync("biv.json", JSON.stringify([{ tool: "dscheck", command: "bivalence", spec: "a.ts", status: "ok" }, { tool: "dscheck", command: "bivalence", spec: "b.ts", status: "incomplete" }]));
    expect(await cli(["merge", "biv.json"])).toMatchObject({ code: 3, stderr: "" });
  }, 120_000);
});

describe("the merged report (text, --junit, through the real CLI)", () => {
  it("two shards of trace validate spawned, merged by the bin: one line per trace, a total, the worst exit code, JUnit", () => {
    const files = ["t/vea.ndjson", "t/bug.ndjson", "t/e.ndjson", "t/junk.ndjson"];
    const args = ["trace", "validate", SPEC, ...files, ...TRACE_ARGS];
    const whole = dscheck([...args, "--json"], { cwd: dir });
    expect(whole.code).toBe(2);
    for (const i of [1, 2]) {
      const r = dscheck([...args, "--shard", `${i}/2`, "--json"], { cwd: dir });
      writeFileSync(join(dir, `spawned-${i}.json`), r.stdout);
    }
    const text = dscheck(["merge", "spawned-1.json", "spawned-2.json", "--junit", "merged.xml"], { cwd: dir });
    expect(text.code).toBe(whole.code);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines.slice(0, 4).map((l) => l.split(":")[0])).toEqual(["t/bug.ndjson", "t/e.ndjson", "t/junk.ndjson", "t/vea.ndjson"]);
    expect(lines[0]).toMatch(/^t\/bug\.ndjson: REJECTED at line 8 \(event TMCommit\)$/);
    expect(lines[2]).toMatch(/^t\/junk\.ndjson: MALFORMED: t\/junk\.ndjson:line 2/);
    expect(lines[4]).toBe("4 result(s) of trace validate from 2 file(s): 2 hold, 1 violated, 0 incomplete, 1 in error");
    const xml = readFileSync(join(dir, "merged.xml"), "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => n === "testcase" }).parse(xml).testsuites.testsuite;
    expect([suite["@tests"], suite["@failures"], suite["@errors"]]).toEqual(["4", "1", "1"]);
    const bug = suite.testcase.find((c: Json) => c["@name"] === "t/bug.ndjson");
    expect(bug["@line"]).toBe("8");
    expect(bug.failure["@message"]).toBe(lines[0]);
    // The per-trace verdicts and exit code of the bin's merge equal the unsharded run's.
    const merged = dscheck(["merge", "spawned-2.json", "spawned-1.json", "--json"], { cwd: dir });
    expect(merged.code).toBe(whole.code);
    const a = byInput(perInput(whole.stdout)), b = byInput(JSON.parse(merged.stdout));
    expect(new Map([...b].map(([k, r]) => [k, r.status]))).toEqual(new Map([...a].map(([k, r]) => [k, r.status])));
  }, 120_000);
});

describe("hostile merge inputs: exit 2, one line naming the file and the JSON pointer, nothing merged", () => {
  const result = (file: string, status = "ok") => ({ tool: "dscheck", command: "history check", file, status, elapsedMs: 1 });
  const cases: [string, string | Buffer, RegExp][] = [
    ["not JSON", "{nope", /^error: in\.json:line 1: not valid JSON/],
    ["an empty file", "", /^error: in\.json:line 1: not valid JSON/],
    ["invalid UTF-8", Buffer.from([0x5b, 0xff, 0x5d]), /^error: in\.json:line 1: not valid UTF-8/],
    ["an integer beyond 2^53", '{"tool": "dscheck", "command": "history check", "file": "a", "status": "ok", "elapsedMs": 9007199254740993}', /^error: in\.json:line 1: .*2\^53/],
    ["deep nesting", "[".repeat(5000) + "]".repeat(5000), /^error: in\.json:line 1: /],
    ["not an object", "[1]", /^error: in\.json#\/0: not a dscheck result \(number/],
    ["null", "null", /^error: in\.json#: not a dscheck result \(null/],
    ["another tool", '{"tool": "other"}', /^error: in\.json#\/tool: not a dscheck result/],
    ["no command", '{"tool": "dscheck", "status": "ok"}', /^error: in\.json#\/command: a dscheck result without "command"/],
    ["a command merge does not take", '[{"tool": "dscheck", "command": "merge", "status": "error", "error": {"kind": "input", "message": "x"}}]', /^error: in\.json#\/0\/command: "merge" results are not merged/],
    ["a command that is not a string", '{"tool": "dscheck", "command": {"__proto__": 1}}', /^error: in\.json#\/command: a command that is not a string/],
    ["a bad status", JSON.stringify([result("a"), result("b", "maybe")]), /^error: in\.json#\/1\/status: not a history check result/],
    ["a missing file", JSON.stringify({ ...result("a"), file: 3 }), /^error: in\.json#\/file: not a history check result/],
    ["a trace report against its schema", JSON.stringify({ tool: "dscheck", command: "trace validate", spec: "s.ts", specName: "S", status: "valid", traces: [{ file: "t", format: "ndjson", status: "bogus" }] }), /^error: in\.json#\/traces\/0: not a trace validate result/],
    ["a cuts report with an unknown field", JSON.stringify({ tool: "dscheck", command: "cuts", file: "x", status: "error", error: "x", extra: 1 }), /^error: in\.json#: not a cuts result: must NOT have additional properties \(extra\)/],
    ["the same input twice in one file", JSON.stringify([result("a"), result("./a")]), /^error: in\.json#\/1\/file: "\.\/a" is also in in\.json#\/0/],
    ["a file name with a newline and an escape", JSON.stringify([result("a\n\u001b[31m"), result("a\n\u001b[31m")]), /^error: in\.json#\/1\/file: "a\\n\\u001b\[31m" is also in/],
  ];
  for (const [what, content, message] of cases) {
    it(what, async () => {
      writeFileSync("in.json", content);
      for (const json of [false, true]) {
        const r = await cli(["merge", "in.json", ...(json ? ["--json"] : [])]);
        expect(r.code).toBe(2);
        expect(r.stderr.split("\n").filter((l) => l)).toHaveLength(1);
        expect(r.stderr).toMatch(message);
        if (json) expect(JSON.parse(r.stdout)).toMatchObject({ tool: "dscheck", command: "merge", status: "error", error: { kind: "input", message: r.stderr.slice("error: ".length).trimEnd() } });
        else expect(r.stdout).toBe("");
      }
    });
  }

  it("a result of another command mixed in, the same input in two shards, the same file given twice, a missing file", async () => {
    writeFileSync("h1.json", JSON.stringify([result("a"), result("b")]));
    writeFileSync("h2.json", JSON.stringify(result("c", "violation")));
    writeFileSync("h3.json", JSON.stringify(result("b", "violation")));
    writeFileSync("c.json", JSON.stringify({ tool: "dscheck", command: "cuts", file: "x", status: "error", error: "x:line 1: bad" }));
    expect(await cli(["merge", "h1.json", "h2.json"])).toMatchObject({ code: 1, stderr: "" });
    const expectations: [string[], RegExp][] = [
      [["h1.json", "c.json"], /^error: c\.json#\/command: a "cuts" result among "history check" results \(h1\.json#\/0\)/],
      [["h1.json", "h2.json", "h3.json"], /^error: h3\.json#\/file: "b" is also in h1\.json#\/1: each input belongs to one shard/],
      [["h2.json", "./h2.json"], /^error: \.\/h2\.json: given twice/],
      [["h1.json", "gone.json"], /^error: gone\.json: cannot read: ENOENT/],
    ];
    for (const [files, message] of expectations) {
      const r = await cli(["merge", ...files, "--junit", "bad.xml"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n").filter((l) => l)).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      // The JUnit file says why (one error case), as for a spec that does not load.
      expect(readFileSync("bad.xml", "utf8")).toContain('tests="1" failures="0" errors="1"');
    }
    // A bad option or no file at all is a usage error: exit 2.
    expect((await cli(["merge"])).code).toBe(2);
    const usage = await cli(["merge", "h1.json", "--bogus", "--json"]);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ tool: "dscheck", command: "merge", status: "error", error: { kind: "usage" } });
  });
});
