// `dscheck history isolation`: exit codes, --json, --html and input errors, on histories
// written here (no corpora needed).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-isolation-"));
const file = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return p;
};

const txn = (status: string, ops: [string, string, unknown][], process = 0) => ({ status, process, ops: ops.map(([f, key, value]) => ({ f, key, value })) });
// Write skew: snapshot isolation holds, serializability does not.
const writeSkew = file("write-skew.json", {
  format: "dscheck-txn-history/1",
  workload: "list-append",
  transactions: [txn("ok", [["r", "x", []], ["append", "y", 1]]), txn("ok", [["r", "y", []], ["append", "x", 2]], 1)],
});
const serial = file("serial.json", {
  format: "dscheck-txn-history/1",
  workload: "rw-register",
  transactions: [
    { ...txn("ok", [["w", "x", 1]]), invokeTime: 0, completeTime: 1 },
    { ...txn("ok", [["r", "x", 1]]), invokeTime: 2, completeTime: 3 },
  ],
});
const longFork = file(
  "long-fork.edn",
  `{:type :invoke, :f :txn, :process 0, :value [[:r 1 nil] [:r 2 nil] [:w 1 1]]}
{:type :ok, :f :txn, :process 0, :value [[:r 1 nil] [:r 2 nil] [:w 1 1]]}
{:type :invoke, :f :txn, :process 1, :value [[:r 1 nil] [:r 2 nil]]}
{:type :ok, :f :txn, :process 1, :value [[:r 1 1] [:r 2 nil]]}
{:type :invoke, :f :txn, :process 2, :value [[:r 1 nil] [:r 2 nil] [:w 2 1]]}
{:type :ok, :f :txn, :process 2, :value [[:r 1 nil] [:r 2 nil] [:w 2 1]]}
{:type :invoke, :f :txn, :process 3, :value [[:r 1 nil] [:r 2 nil]]}
{:type :ok, :f :txn, :process 3, :value [[:r 1 nil] [:r 2 1]]}
`,
);

// The CLI writes synchronously through cli/output.ts; capture what it writes there.
const sink = vi.hoisted(() => ({ out: "", err: "" }));
vi.mock("../../cli/output.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../cli/output.ts")>();
  return { ...actual, writeOut: (t: string) => void (sink.out += t), writeErr: (t: string) => void (sink.err += t) };
});
let out = "";
let err = "";
beforeEach(() => {
  out = err = sink.out = sink.err = "";
});
afterEach(() => vi.restoreAllMocks());

const run = async (...args: string[]) => {
  out = err = sink.out = sink.err = "";
  const code = await main(["history", "isolation", ...args]);
  out = sink.out;
  err = sink.err;
  return code;
};

describe("dscheck history isolation", () => {
  it("exit 1 when serializability fails, 0 for the level that holds", async () => {
    expect(await run(writeSkew)).toBe(1);
    expect(out).toMatch(/serializable VIOLATED; strongest level satisfied: snapshot-isolation/);
    expect(out).toMatch(/G2-item: T0 read x = \[\] without 2, which T1 appended, so T0 precedes T1 \(rw\)/);
    expect(await run("--level", "snapshot-isolation", writeSkew)).toBe(0);
  });

  it("--json reports file, status, elapsedMs, strongest level and anomalies", async () => {
    expect(await run("--json", writeSkew)).toBe(1);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ file: writeSkew, status: "violation", level: "serializable", strongest: ["snapshot-isolation"], anomalyTypes: ["G2-item"] });
    expect(typeof r.elapsedMs).toBe("number");
    expect(r.anomalies[0].cycle).toHaveLength(2);
    expect(r.mermaid).toMatch(/^flowchart LR\n  subgraph c0\["G2-item"\]\n    c0_0\["T0"\] -->\|rw\| c0_1\["T1"\]/);
  });

  it("several files: a JSON array, and the worst exit code wins", async () => {
    expect(await run("--json", serial, writeSkew)).toBe(1);
    expect(JSON.parse(out).map((r: { status: string }) => r.status)).toEqual(["ok", "violation"]);
  });

  it("strict serializability uses the recorded times", async () => {
    expect(await run("--level", "strict-serializable", serial)).toBe(0);
  });

  it("EDN histories with rw-register are recognised; G-nonadjacent breaks SI", async () => {
    expect(await run("--json", "--level", "snapshot-isolation", longFork)).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ workload: "rw-register", anomalyTypes: ["G-nonadjacent"] });
  });

  it("exit 3 when the search budget runs out before SI is decided", async () => {
    expect(await run("--level", "snapshot-isolation", "--max-steps", "1", longFork)).toBe(3);
    expect(out).toMatch(/UNKNOWN \(step budget \(--max-steps\) reached\)/);
    expect(await run("--json", "--level", "snapshot-isolation", "--max-steps", "1", longFork)).toBe(3);
    expect(JSON.parse(out)).toMatchObject({ status: "unknown", reason: "steps", searchExhausted: true });
  });

  it("exit 3 with the partial result when the memory budget runs out first", async () => {
    // 1 MB: less than any Node process uses, so the first look at memory ends the search.
    expect(await run("--json", "--level", "snapshot-isolation", "--max-memory", "1", longFork)).toBe(3);
    expect(JSON.parse(out)).toMatchObject({ status: "unknown", reason: "memory", levels: { "read-committed": "holds" } });
  });

  it("budget options are validated: one line, exit 2", async () => {
    for (const [opt, v] of [["--max-memory", "0"], ["--max-steps", "1.5"], ["--time-limit", "-1"]]) {
      expect(await run(opt, v, longFork)).toBe(2);
    }
  });

  it("a write log fixes the version order", async () => {
    const h = file("wl.edn", `{:type :ok, :f :txn, :process 0, :value [[:w 1 1] [:w 2 1]]}\n{:type :ok, :f :txn, :process 1, :value [[:w 1 2] [:w 2 2]]}\n`);
    const log = file("order.log", `{"data":{"_key":"1","rwAttr":1}}\n{"data":{"_key":"1","rwAttr":2}}\n{"data":{"_key":"2","rwAttr":2}}\n{"data":{"_key":"2","rwAttr":1}}\n`);
    expect(await run(h)).toBe(0);
    expect(await run("--json", "--level", "read-uncommitted", "--write-log", log, h)).toBe(1);
    expect(JSON.parse(out).anomalyTypes).toEqual(["G0"]);
  });

  it("bad input: exit 2 with one line naming the file and JSON pointer", async () => {
    const bad = file("bad.json", { format: "dscheck-txn-history/1", workload: "list-append", transactions: [{ status: "done", ops: [] }] });
    expect(await run(bad)).toBe(2);
    expect(err).toBe(`error: ${bad}#/transactions/0/status: must be equal to one of the allowed values\n`);
  });

  it("bad input: a duplicate write names the offending transaction", async () => {
    const dup = file("dup.json", { format: "dscheck-txn-history/1", workload: "rw-register", transactions: [txn("ok", [["w", "x", 1]]), txn("ok", [["w", "x", 1]])] });
    expect(await run(dup)).toBe(2);
    expect(err).toMatch(new RegExp(`^error: ${dup}#/transactions/1: 1 is written to x twice`));
    expect(err.trim().split("\n")).toHaveLength(1);
  });

  it("bad input: syntax errors give a line, --workload must match the file", async () => {
    const broken = file("broken.json", '{"format": "dscheck-txn-history/1",\n  "workload": }');
    expect(await run(broken)).toBe(2);
    expect(err).toMatch(new RegExp(`^error: ${broken}:line \\d+: not valid JSON`));
    expect(await run("--workload", "rw-register", writeSkew)).toBe(2);
    expect(err).toMatch(/#\/workload: file says list-append/);
  });

  it("--html writes a self-contained report, and nothing for bad input", async () => {
    const html = join(dir, "report.html");
    expect(await run("--html", html, writeSkew)).toBe(1);
    const page = readFileSync(html, "utf8");
    // The report renderer (report/render/html.ts): the G2-item anomaly with its cycle as a graph.
    expect(page).toContain("G2-item");
    expect(page).toMatch(/<svg class="graph"[^>]*aria-label="graph: 2 nodes, 2 edges"/);
    expect(page).not.toMatch(/<script[^>]+src=|<link|https?:\/\/(?!www\.w3\.org)/);
    // The Markdown report has the cycle as a Mermaid flowchart.
    const md = join(dir, "report.md");
    expect(await run("--md", md, writeSkew)).toBe(1);
    expect(readFileSync(md, "utf8")).toMatch(/```mermaid\nflowchart LR\n/);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
    const none = join(dir, "none.html");
    expect(await run("--html", none, join(dir, "missing.json"))).toBe(2);
    expect(existsSync(none)).toBe(false);
  });
});

describe("bin/dscheck.cjs", () => {
  it("exits with the verdict's code", () => {
    const bin = resolve(import.meta.dirname, "../../bin/dscheck.cjs");
    const status = (args: string[]) => {
      try {
        execFileSync("node", [bin, "history", "isolation", ...args], { stdio: "pipe" });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(status([writeSkew])).toBe(1);
    expect(status(["--level", "snapshot-isolation", writeSkew])).toBe(0);
  });
});
