// `dscheck report`: every fixture in every format (in process, through cli/main.ts, with
// --out), the exit code equal to the one the command gave when it printed the JSON, several
// files as a set, and hostile inputs (exit 2, one line naming the file and the line or JSON
// pointer, nothing written).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { renderMarkdown } from "../../report/render/markdown.ts";
import { renderText } from "../../report/render/text.ts";
import { reportOrSet, reportsFromResult } from "../../report/from-result.ts";
import { dscheck } from "../cli/run-cli.ts";
import { assertReportSchema, fixture, fixtures } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-report-"));
let serial = 0;
const out = (ext: string) => join(dir, `out${serial++}.${ext}`);

describe("dscheck report, every fixture and format", () => {
  const formats = ["text", "md", "json", "junit", "html"] as const;
  it.each(fixtures.flatMap((f) => formats.map((fmt) => [f.name, fmt, f] as const)))("%s --format %s: exit as the command's, the rendering written", async (_n, fmt, f) => {
    const file = out(fmt);
    expect(await main(["report", f.file, "--format", fmt, "--out", file])).toBe(f.exit);
    const text = readFileSync(file, "utf8");
    const input = reportOrSet(reportsFromResult(f.json));
    if (fmt === "text") expect(text).toBe(renderText(input));
    if (fmt === "md") expect(text).toBe(renderMarkdown(input));
    if (fmt === "json") {
      assertReportSchema(JSON.parse(text));
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(input)));
    }
    if (fmt === "junit") expect(new XMLParser({ ignoreAttributes: false }).parse(text).testsuites).toBeDefined();
    if (fmt === "html") expect(text).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/i);
  });

  it("several files: one set, the worst exit code (2 over 1 over 3 over 0)", async () => {
    const ok = fixture("explore-2pc-ok"), bad = fixture("explore-raft-doublevote"), stopped = fixture("explore-incomplete"), broken = fixture("trace-validate");
    const file = out("json");
    expect(await main(["report", ok.file, stopped.file, "--format", "json", "--out", file])).toBe(3);
    expect(await main(["report", ok.file, stopped.file, bad.file, "--format", "json", "--out", file])).toBe(1);
    const set = JSON.parse(readFileSync(file, "utf8"));
    assertReportSchema(set);
    expect(set.verdict).toBe("violation");
    expect(set.reports.map((r: { subject: string }) => r.subject)).toEqual([ok, stopped, bad].map((f) => (f.json as { spec: string }).spec));
    expect(await main(["report", ok.file, bad.file, broken.file, "--out", out("txt")])).toBe(2);
  });

  it("prints to stdout without --out (the real CLI)", () => {
    const f = fixture("history-check-stale");
    const r = dscheck(["report", f.file, "--format", "md"]);
    expect(r.code).toBe(f.exit);
    expect(r.stdout).toBe(renderMarkdown(reportOrSet(reportsFromResult(f.json))));
    expect(r.stderr).toBe("");
  });
});

describe("dscheck report, hostile input", () => {
  const write = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const explore = fixture("explore-raft-doublevote").json as Record<string, unknown>;
  const cases: [string, string, RegExp][] = [
    ["not JSON", "{ tool: dscheck", /line 1.*not valid JSON/],
    ["not JSON on line 3", '{\n"tool": "dscheck",\n"command": explore\n}', /line 3/],
    ["a number", "42", /#: expected a dscheck JSON result/],
    ["null", "null", /#: expected a dscheck JSON result/],
    ["an empty array", "[]", /#: an empty array/],
    ["not from dscheck", JSON.stringify({ tool: "tlc", states: 3 }), /#\/tool: not a dscheck result/],
    ["an unknown command", JSON.stringify({ tool: "dscheck", command: "format-disk" }), /#\/command: not a command/],
    ["no command, unknown shape", JSON.stringify({ tool: "dscheck", status: "ok" }), /#: no `command` field/],
    ["a wrong type deep inside", JSON.stringify({ ...explore, trace: [{ ...(explore.trace as object[])[0], label: 7 }] }), /#\/trace\/0\/label: not a valid explore result/],
    ["a wrong verdict", JSON.stringify({ ...explore, status: "fine" }), /#\/status: not a valid explore result: must be equal to one of the allowed values/],
    ["an unknown field", JSON.stringify({ ...explore, extra: 1 }), /#: not a valid explore result: .*\(extra\)/],
    ["the second element of an array", JSON.stringify([fixture("history-check-stale").json, { tool: "dscheck", command: "history check", file: "x" }]), /#\/1: not a valid history-check result/],
    ["an integer past 2^53", `{"tool": "dscheck", "command": "cuts", "n": 123456789012345678901234567890}`, /line 1/],
    ["nesting 100000 deep", "[".repeat(100_000) + "]".repeat(100_000), /line 1/],
    ["invalid UTF-8", "\u00ff", /./],
  ];
  it.each(cases)("%s: exit 2, one line naming the file, nothing written", (_what, content, message) => {
    const file = content === "\u00ff" ? (writeFileSync(join(dir, "bad-utf8.json"), Buffer.from([0x7b, 0xff, 0x7d])), join(dir, "bad-utf8.json")) : write(`hostile${serial++}.json`, content);
    const target = out("md");
    const r = dscheck(["report", file, "--format", "md", "--out", target]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(message);
    expect(existsSync(target)).toBe(false);
  });

  it("a missing file, a directory, and an --out that cannot be written: exit 2, one line", () => {
    for (const args of [["report", join(dir, "nope.json")], ["report", dir], ["report", fixture("explore-2pc-ok").file, "--out", join(dir, "no-such-dir", "x.md")]]) {
      const r = dscheck(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("a bad --format is a usage error (exit 2)", () => {
    expect(dscheck(["report", fixture("explore-2pc-ok").file, "--format", "pdf"]).code).toBe(2);
  });
});
