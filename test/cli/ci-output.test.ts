/**
 * What the commands tell CI: --junit (parsed back with fast-xml-parser and checked for
 * well-formedness), GitHub annotations and the step summary with GITHUB_ACTIONS set, and
 * --shard (disjoint shards whose union is the input, whatever the list and N; sharded runs
 * give the same verdicts and worst exit code as one run).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { combineExitCodes } from "../../cli/exit-codes.ts";
import { junitXml, parseShard, selectShard, shardKey, type CiCase } from "../../cli/ci.ts";
import { repoRoot } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-ci-"));
const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), name);

function run(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0" };
  delete base.GITHUB_ACTIONS;
  delete base.GITHUB_STEP_SUMMARY;
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dscheck.cjs"), ...args], { cwd: dir, encoding: "utf8", env: { ...base, ...env }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => name === "testcase" });
function junit(file: string) {
  const xml = readFileSync(join(dir, file), "utf8");
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml);
  return { suite: doc.testsuites.testsuite, cases: doc.testsuites.testsuite.testcase as Record<string, any>[] };
}

const edn = (lines: string[]) => `[${lines.join("\n ")}]\n`;
const good = write("good.edn", edn(["{:process 0, :type :invoke, :f :write, :value 1}", "{:process 1, :type :invoke, :f :read, :value nil}", "{:process 0, :type :ok, :f :write, :value 1}", "{:process 1, :type :ok, :f :read, :value 1}"]));
const stale = write("stale.edn", edn(["{:process 0, :type :invoke, :f :write, :value 1}", "{:process 0, :type :ok, :f :write, :value 1}", "{:process 1, :type :invoke, :f :read, :value nil}", "{:process 1, :type :ok, :f :read, :value 0}"]));
const broken = write("broken.edn", "[{:process 0, :type :invoke\n");

describe("--junit", () => {
  it("history check: one test case per file; failure = the one-line diagnosis, body = the full report", () => {
    const r = run(["history", "check", good, stale, broken, "--model", "register", "--init", "0", "--junit", "h.xml"]);
    expect(r.code).toBe(2);
    const { suite, cases } = junit("h.xml");
    expect(suite["@tests"]).toBe("3");
    expect(suite["@failures"]).toBe("1");
    expect(suite["@errors"]).toBe("1");
    expect(cases.map((c) => c["@name"])).toEqual([good, stale, broken]);
    expect(cases[0].failure).toBeUndefined();
    expect(cases[1].failure["@type"]).toBe("violation");
    expect(cases[1].failure["@message"]).toMatch(/^stale\.edn: VIOLATION - not linearizable/);
    expect(cases[1].failure["@message"]).not.toContain("\n");
    expect(cases[1].failure["#text"]).toContain("longest linearizable prefix");
    expect(cases[1].failure["#text"]).toContain("read -> 0"); // escaped in the file, parsed back
    expect(cases[2].error["@message"]).toMatch(/broken\.edn/);
  });

  it("explore: one test case per property, the violated one a failure at the line that defines it", () => {
    const spec = join(repoRoot, "specs", "raft-election.ts");
    const r = run(["explore", spec, "--param", "bug=doubleVote", "--no-typecheck", "--junit", "e.xml"]);
    expect(r.code).toBe(1);
    const { cases } = junit("e.xml");
    const safety = cases.find((c) => c["@name"] === "ElectionSafety")!;
    expect(safety.failure["@message"]).toMatch(/^VIOLATION of ElectionSafety \(always\): servers \d and \d are both leader/);
    expect(safety.failure["#text"]).toContain("replay path");
    const line = Number(safety["@line"]);
    expect(readFileSync(spec, "utf8").split("\n")[line - 1]).toContain("ElectionSafety");
    const ok = run(["explore", spec, "--no-typecheck", "--junit", "ok.xml"]);
    expect(ok.code).toBe(0);
    expect(junit("ok.xml").cases.every((c) => c.failure === undefined && c.error === undefined)).toBe(true);
  });

  it("trace validate: one test case per trace, the rejected line in the case", () => {
    const ok = write("ok.ndjson", '{"event": "RMPrepare", "event_args": ["rm-0"]}\n');
    const bad = write("bad.ndjson", '{"event": "RMPrepare", "event_args": ["rm-0"]}\n{"event": "RMRcvCommitMsg", "event_args": ["rm-0"]}\n');
    const r = run(["trace", "validate", join(repoRoot, "specs", "two-phase-commit.ts"), ok, bad, "--no-typecheck", "--junit", "t.xml"]);
    expect(r.code).toBe(1);
    const { cases } = junit("t.xml");
    expect(cases.map((c) => c["@name"])).toEqual([ok, bad]);
    expect(cases[1]["@line"]).toBe("2");
    expect(cases[1].failure["@message"]).toMatch(/bad\.ndjson: REJECTED at line 2/);
  });

  it("cuts: the log is one test case", () => {
    const r = run(["cuts", join(repoRoot, "test", "fixtures", "cuts", "clocks-bad.ndjson"), "--junit", "c.xml"]);
    expect([1, 2]).toContain(r.code);
    const { cases } = junit("c.xml");
    expect(cases).toHaveLength(1);
    expect(cases[0].failure ?? cases[0].error).toBeDefined();
  });

  it("a JUnit file that cannot be written is exit 2 and one line, never a verdict", () => {
    const r = run(["history", "check", good, "--model", "register", "--init", "0", "--junit", "no/such/dir/h.xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--junit: cannot write no\/such\/dir\/h\.xml/);
    expect(r.stdout).toBe("");
  });

  it("control characters and markup in names are escaped or replaced, never break the XML", () => {
    const cases: CiCase[] = [{ name: 'a<b>&"c"\u0007', classname: "x", status: "violation", message: "m <\u001b[31m>", report: "r ]]> & \u0000 \ud800" }];
    const xml = junitXml("test", cases);
    expect(XMLValidator.validate(xml)).toBe(true);
    const tc = parser.parse(xml).testsuites.testsuite.testcase[0];
    expect(tc["@name"]).toBe('a<b>&"c"\\x07');
    expect(tc.failure["#text"]).toContain("]]> &");
  });
});

describe("GitHub Actions", () => {
  it("annotations per failure on stderr (stdout stays the report) and a Markdown step summary", () => {
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "before\n");
    const r = run(["history", "check", good, stale, broken, "--model", "register", "--init", "0", "--json"], { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(2);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    const annotations = r.stderr.split("\n").filter((l) => l.startsWith("::"));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(/^::error file=stale\.edn,title=dscheck history check%3A stale\.edn%3A violation::stale\.edn: VIOLATION/);
    expect(annotations[1]).toMatch(/^::error file=broken\.edn,line=\d+,title=[^:]+::/);
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("before\n### dscheck history check\n")).toBe(true);
    expect(md).toContain("3 checked: 1 hold, 1 violated, 0 incomplete, 1 in error");
    expect(md).toMatch(/\| ❌ \| stale\.edn \| stale\.edn: VIOLATION/);
    expect(md).toContain("<details><summary>stale.edn: violation</summary>");
  });

  it("nothing of it without GITHUB_ACTIONS", () => {
    const r = run(["history", "check", stale, "--model", "register", "--init", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("::error");
  });
});

describe("--shard i/N", () => {
  const path = fc.stringMatching(/^[a-z0-9_.-]{1,8}(\/[a-z0-9_.-]{1,8}){0,2}$/).filter((p) => !p.split("/").some((s) => s === "." || s === ".."));

  it("shards are disjoint, their union is the list, sizes differ by at most one (by distinct path)", () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (files, n) => {
        const shards = Array.from({ length: n }, (_, i) => selectShard(files, { index: i + 1, count: n }, "/work"));
        const seen = shards.flat();
        expect([...seen].sort()).toEqual([...files].sort());
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(shards[i].filter((f) => shards[j].includes(f))).toEqual([]);
        const sizes = shards.map((s) => new Set(s).size);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("the split depends on the paths only: not on their order, not on ./ or absolute spelling of the same file", () => {
    fc.assert(
      fc.property(fc.uniqueArray(path, { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), (files, n, seed) => {
        const shuffled = [...files].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        for (let i = 1; i <= n; i++) {
          const a = selectShard(files, { index: i, count: n }, "/work").sort();
          const b = selectShard(shuffled.map((f, k) => (k % 2 ? `./${f}` : `/work/${f}`)), { index: i, count: n }, "/work").map((f) => shardKey(f, "/work")).sort();
          expect(b).toEqual(a);
        }
      }),
    );
  });

  it("parses i/N and rejects the rest", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "a/b", "1", "-1/2", "1/2/3"]) expect(() => parseShard(bad)).toThrow(/--shard expects i\/N/);
    const r = run(["history", "check", good, "--model", "register", "--shard", "3/2"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard expects i\/N/);
  });

  it("sharded runs give the same verdicts and worst exit code as one unsharded run", () => {
    const files = [good, stale, broken, write("good2.edn", readFileSync(join(dir, good), "utf8")), write("stale2.edn", readFileSync(join(dir, stale), "utf8"))];
    const args = ["history", "check", ...files, "--model", "register", "--init", "0", "--json"];
    const whole = run(args);
    const verdicts = (stdout: string) => {
      const j = JSON.parse(stdout);
      return (Array.isArray(j) ? j : [j]).map((r: { file: string; status: string }) => [r.file, r.status]);
    };
    const shards = [1, 2, 3].map((i) => run([...args, "--shard", `${i}/3`]));
    expect(shards.flatMap((s) => verdicts(s.stdout)).sort()).toEqual(verdicts(whole.stdout).sort());
    expect(combineExitCodes(shards.map((s) => s.code))).toBe(whole.code);
    // More shards than files: an empty shard says so and passes.
    const empty = run([...args.filter((a) => a !== "--json"), "--shard", "6/6"]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toMatch(/shard 6\/6 has no inputs \(5 in all\)/);
    expect(existsSync(join(dir, "h.xml"))).toBe(true);
  });
});
