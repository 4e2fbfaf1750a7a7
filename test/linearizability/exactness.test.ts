/**
 * Issue 14, end to end through the real CLI: values are compared exactly in every format
 * (integers beyond 2^53, keyword/string/symbol, set/vector, `__proto__` keys, invalid UTF-8),
 * nothing crashes (deep nesting, long tokens, bigints in error messages, unwritable --html,
 * a full stdout), and an empty client history is valid. Each case checks the exit code.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./corpus-helpers.ts";
import { writeAtomically, WriteError } from "../../cli/write-atomically.ts";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import { EdnAtom, EdnMap, EdnSet } from "../../checker/history/edn-value.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-exact-"));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

function cli(args: string[], stdout: "pipe" | number = "pipe") {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin/dscheck.cjs"), ...args], { encoding: "utf8", cwd: dir, stdio: ["ignore", stdout, "pipe"], timeout: 60_000 });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
const check = (...args: string[]) => cli(["history", "check", ...args]);
const isolation = (...args: string[]) => cli(["history", "isolation", ...args]);

/** A write of `w` by process 0, then a read returning `r` by process 1, as Jepsen EDN lines. */
const writeRead = (w: string, r: string) =>
  [
    `{:process 0, :type :invoke, :f :write, :value ${w}}`,
    `{:process 0, :type :ok, :f :write, :value ${w}}`,
    `{:process 1, :type :invoke, :f :read, :value nil}`,
    `{:process 1, :type :ok, :f :read, :value ${r}}`,
  ].join("\n") + "\n";

const noStack = (r: { stderr: string }) => {
  expect(r.stderr).not.toMatch(/internal error|    at /);
};

describe("integers beyond 2^53 are exact or rejected, never rounded", () => {
  const a = "1180591620717411303424"; // 2^70
  const b = "1180591620717411303425";
  it("EDN, with and without N: a read of 2^70+1 after a write of 2^70 is a violation (exit 1)", () => {
    expect(check("--model", "register", file("big.edn", writeRead(a, b))).code).toBe(1);
    expect(check("--model", "register", file("bigN.edn", writeRead(`${a}N`, `${b}N`))).code).toBe(1);
    expect(check("--model", "register", file("big-same.edn", writeRead(a, `${a}N`))).code).toBe(0);
  });
  it("Porcupine etcd log: exact (exit 1), and equal values pass (exit 0)", () => {
    const log = (w: string, r: string) => `INFO  jepsen.util - 0\t:invoke\t:write\t${w}\nINFO  jepsen.util - 0\t:ok\t:write\t${w}\nINFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\t${r}\n`;
    expect(check("--model", "register", file("big.log", log(a, b))).code).toBe(1);
    expect(check("--model", "register", file("big-same.log", log(a, a))).code).toBe(0);
  });
  it("elle JSON and dscheck JSON cannot carry them: exit 2 naming the line", () => {
    const elle = file("big.json", `[{"process":0,"type":"invoke","f":"write","value":${a}},\n{"process":0,"type":"ok","f":"write","value":${a}}]`);
    const r = check("--model", "register", elle);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${elle}:line 1: the integer ${a} is beyond 2^53 and JSON numbers would round it; write it as a string, or use EDN (${a}N)\n`);
    const ds = file("big-ds.json", JSON.stringify({ ops: [{ process: 0, f: "write", input: 1, invoke: 0, complete: 1, status: "ok" }] }).replace('"input":1', `"input":${a}`));
    expect(check("--model", "register", ds).code).toBe(2);
    expect(check("--model", "register", "--init", a, file("small.edn", writeRead("1", "1"))).code).toBe(2);
  });
  it("--init accepts an exact EDN integer", () => {
    const h = file("read-init.edn", `{:process 1, :type :invoke, :f :read, :value nil}\n{:process 1, :type :ok, :f :read, :value ${a}N}\n`);
    expect(check("--model", "register", "--init", `${a}N`, h).code).toBe(0);
    expect(check("--model", "register", "--init", `${b}N`, h).code).toBe(1);
  });
  it("isolation: 2^53 and 2^53+1 are different values in EDN (exit 1), rejected in JSON (exit 2)", () => {
    const edn = file("big53.edn", `{:type :ok, :value [[:w 1 9007199254740992]]}\n{:type :ok, :value [[:r 1 9007199254740993]]}\n`);
    const r = isolation(edn);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("9007199254740993N, which no transaction wrote");
    expect(isolation(file("big53-same.edn", `{:type :ok, :value [[:w 1 9007199254740992]]}\n{:type :ok, :value [[:r 1 9007199254740992]]}\n`)).code).toBe(0);
    const json = file("big53.json", `{"format": "dscheck-txn-history/1", "workload": "rw-register", "transactions": [{"status": "ok", "ops": [{"f": "w", "key": 1, "value": 9007199254740993}]}]}`);
    expect(isolation(json).code).toBe(2);
  });
});

describe("values keep their EDN type", () => {
  it("keyword :kw is not the string \"kw\", nor the symbol kw (exit 1); equal ones pass (exit 0)", () => {
    expect(check("--model", "register", file("kw-str.edn", writeRead(":kw", '"kw"'))).code).toBe(1);
    expect(check("--model", "register", file("kw-sym.edn", writeRead(":kw", "kw"))).code).toBe(1);
    expect(check("--model", "register", file("kw-kw.edn", writeRead(":kw", ":kw"))).code).toBe(0);
  });
  it("the set #{1 2} is not the vector [1 2] (exit 1); sets compare unordered (exit 0)", () => {
    expect(check("--model", "register", file("set-vec.edn", writeRead("#{1 2}", "[1 2]"))).code).toBe(1);
    expect(check("--model", "register", file("set-set.edn", writeRead("#{1 2}", "#{2 1}"))).code).toBe(0);
    // Lists and vectors are equal, as in Clojure.
    expect(check("--model", "register", file("list-vec.edn", writeRead("(1 2)", "[1 2]"))).code).toBe(0);
  });
  it("isolation: the integer key 1 and the string key \"1\" are different keys (no false G1b, exit 0)", () => {
    const h = file(
      "keys.json",
      JSON.stringify({
        format: "dscheck-txn-history/1",
        workload: "rw-register",
        transactions: [
          { status: "ok", process: 0, ops: [{ f: "w", key: 1, value: 1 }, { f: "w", key: 1, value: 2 }] },
          { status: "ok", process: 1, ops: [{ f: "w", key: "1", value: 1 }] },
          { status: "ok", process: 2, ops: [{ f: "r", key: "1", value: 1 }] },
        ],
      }),
    );
    expect(isolation(h).code).toBe(0);
    expect(isolation(file("kw-key.edn", `{:type :ok, :value [[:w :x 1]]}\n{:type :ok, :value [[:r "x" 1]]}\n`)).code).toBe(1);
  });
});

describe("__proto__ keys are data", () => {
  it("maps with a :__proto__ key compare by their contents (exit 1 when they differ, 0 when equal)", () => {
    expect(check("--model", "register", file("proto.edn", writeRead("{:__proto__ {:polluted true}}", "{:__proto__ {:polluted false}}"))).code).toBe(1);
    expect(check("--model", "register", file("proto-same.edn", writeRead("{:__proto__ {:polluted true}}", "{:__proto__ {:polluted true}}"))).code).toBe(0);
    const json = (v: string) => `[{"process":0,"type":"invoke","f":"write","value":${v}},{"process":0,"type":"ok","f":"write","value":${v}},{"process":1,"type":"invoke","f":"read","value":null},{"process":1,"type":"ok","f":"read","value":{"__proto__":{"polluted":false}}}]`;
    expect(check("--model", "register", file("proto.json", json(`{"__proto__":{"polluted":true}}`))).code).toBe(1);
    expect(check("--model", "register", file("proto-same.json", json(`{"__proto__":{"polluted":false}}`))).code).toBe(0);
  });
  it("a record {:__proto__ {...op...}} is not an operation (exit 2)", () => {
    const r = check("--model", "register", file("proto-line.edn", `{:__proto__ {:process 0, :type :invoke, :f :write, :value 1}}\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 1 \(:type\): type must be one of/);
  });
  it("the reader builds no prototype from data", () => {
    const [op] = readJepsenHistory(`{:process 0, :type :invoke, :f :write, :value {:__proto__ {:polluted true}}}`, "h.edn");
    expect(op.value).toBeInstanceOf(EdnMap);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((op.value as EdnMap).get(EdnAtom.keyword("__proto__"))).toBeInstanceOf(EdnMap);
    const [set] = readJepsenHistory(`{:process 0, :type :ok, :f :read, :value #{:a "a" a}}`, "h.edn");
    expect((set.value as EdnSet).items).toHaveLength(3);
  });
});

describe("invalid UTF-8 is rejected with the line (exit 2)", () => {
  it("history check and isolation", () => {
    const bytes = Buffer.concat([Buffer.from(`{:process 0, :type :invoke, :f :write, :value "a"}\n{:process 0, :type :ok, :f :write, :value "`), Buffer.from([0xff, 0xfe]), Buffer.from(`"}\n`)]);
    const p = file("bad-utf8.edn", bytes);
    const r = check("--model", "register", p);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${p}:line 2: not valid UTF-8 (byte 0xff at offset 94)\n`);
    const t = file("bad-utf8-txn.edn", Buffer.concat([Buffer.from(`{:type :ok, :value [[:w 1 "`), Buffer.from([0xc3, 0x28]), Buffer.from(`"]]}\n`)]));
    expect(isolation(t).stderr).toMatch(/line 1: not valid UTF-8/);
  });
});

describe("an empty client history is valid, and the report says there was nothing to check", () => {
  const nemesis = `{:process :nemesis, :type :info, :f :start, :value nil}\n{:process :nemesis, :type :info, :f :stop, :value nil}\n`;
  it("history check: exit 0 with a note", () => {
    const r = check("--model", "cas-register", file("nemesis.edn", nemesis));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no client operations (2 non-client record(s)): nothing to check");
    expect(JSON.parse(check("--model", "cas-register", "--json", file("nemesis.edn", nemesis)).stdout)).toMatchObject({ status: "ok", operations: 0, note: expect.stringContaining("nothing to check") });
  });
  it("history isolation: exit 0 with a note; an empty file is still exit 2", () => {
    const r = isolation(file("nemesis-txn.edn", nemesis));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("nothing to check");
    expect(isolation(file("empty.edn", "")).code).toBe(2);
  });
});

describe("no crash: one line and exit 2", () => {
  it("--html to a missing directory (check and isolation)", () => {
    const h = file("ok.edn", writeRead("1", "1"));
    const out = join(dir, "no-such-dir", "t.html");
    const r = check("--model", "register", h, "--html", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: cannot write ${out}: its directory does not exist\n`);
    expect(r.stdout).toBe("");
    const t = file("t.edn", `{:type :ok, :value [[:append 1 1]]}\n`);
    const ri = isolation(t, "--html", out);
    expect(ri.code).toBe(2);
    expect(ri.stderr.trim().split("\n")).toHaveLength(1);
  });
  it("--html to a path that cannot be written (a directory)", () => {
    const target = join(dir, "is-a-dir.html");
    mkdirSync(target, { recursive: true });
    const r = check("--model", "register", file("ok2.edn", writeRead("1", "1")), "--html", target);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    noStack(r);
  });
  it("the temporary file is exclusive and unpredictable: a planted symlink at the old name is not followed", () => {
    const sub = mkdtempSync(join(dir, "atomic-"));
    const victim = join(sub, "victim.txt");
    writeFileSync(victim, "precious");
    const target = join(sub, "report.html");
    symlinkSync(victim, `${target}.tmp-${process.pid}`);
    writeAtomically(target, "<html></html>");
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(readFileSync(target, "utf8")).toBe("<html></html>");
    expect(readdirSync(sub).sort()).toEqual(["report.html", `report.html.tmp-${process.pid}`, "victim.txt"].sort());
    expect(() => writeAtomically(join(sub, "missing", "x.html"), "x")).toThrow(WriteError);
  });
  it("--json > /dev/full (check and isolation)", () => {
    if (!existsSync("/dev/full")) return;
    const fd = openSync("/dev/full", "w");
    try {
      const r = cli(["history", "check", "--model", "register", "--json", file("ok3.edn", writeRead("1", "1"))], fd);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("dscheck: cannot write to stdout: ENOSPC\n");
      const ri = cli(["history", "isolation", "--json", file("t2.edn", `{:type :ok, :value [[:append 1 1]]}\n`)], fd);
      expect(ri.code).toBe(2);
      noStack(ri);
    } finally {
      closeSync(fd);
    }
  });
  it("a value nested 5,000 levels in a history, in --init, or in a dscheck history's init", () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const r = check("--model", "register", file("deep-value.edn", writeRead(deep, deep)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 1: not valid EDN: nested deeper than 1000 levels/);
    const ri = check("--model", "register", "--init", deep, file("ok4.edn", writeRead("1", "1")));
    expect(ri.code).toBe(2);
    expect(ri.stderr).toMatch(/^error: --init:line 1: a value is nested deeper than 1000 levels\n$/);
    const ds = file("deep-init.json", `{"model": "register", "init": ${deep}, "ops": [{"process": 0, "f": "read", "output": 1, "invoke": 0, "complete": 1, "status": "ok"}]}`);
    expect(check(ds).code).toBe(2);
    const json = file("deep-value.json", `[{"process":0,"type":"invoke","f":"write","value":${deep}}]`);
    expect(check("--model", "register", json).code).toBe(2);
    for (const x of [r, ri]) noStack(x);
  });
  it("{:type 5N ...} in a Porcupine kv line", () => {
    const p = file("kv5n.txt", `{:process 0, :type 5N, :f :get, :key "1", :value nil}\n`);
    const r = check("--model", "kv", p);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${p}:line 1: bad :type 5\n`);
    const q = file("kv-big.txt", `{:process 0, :type :invoke, :f :get, :key 123456789012345678901234567890N, :value nil}\n`);
    expect(check("--model", "kv", "--format", "porcupine-kv", q).stderr).toBe(`error: ${q}:line 1: :key must be a string\n`);
  });
  it("long symbol, keyword and number tokens are read in linear time, and bounded", () => {
    for (const [name, token] of [["sym", "a".repeat(100_000)], ["kw", ":" + "k".repeat(100_000)], ["num", "1".repeat(100_000)]]) {
      const start = performance.now();
      const r = check("--model", "register", file(`long-${name}.edn`, writeRead(token, token)));
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(/a token of \d+ characters \(at most 65536\)/);
      expect(performance.now() - start).toBeLessThan(15_000);
    }
    // Just under the bound: a 60,000-character symbol and a 4,000-digit integer are data.
    expect(check("--model", "register", file("long-ok.edn", writeRead("a".repeat(60_000), "a".repeat(60_000)))).code).toBe(0);
    expect(check("--model", "register", file("long-int.edn", writeRead("7".repeat(4000), "7".repeat(3999) + "8"))).code).toBe(1);
  });
  it("txn-history JSON syntax errors name the right line, on one line", () => {
    const p = file("syntax.json", `{"format": "dscheck-txn-history/1",\n "workload": "rw-register",\n "transactions": [\n  {"status": "ok" "ops": []}]}\n`);
    const r = isolation(p);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`error: ${p}:line 4: not valid JSON`)).toBe(true);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
