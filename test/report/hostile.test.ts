// Hostile report targets and hostile text, through the real CLI:
// - `--out`, `--md`, `--html` and `explore --event-log` naming a device (made with mknod in
//   a temporary folder, so a failure replaces nothing of the machine's): the device is
//   written through, never replaced by a regular file (as root, a rename over /dev/full or
//   /dev/null succeeds); a full device is exit 2 and one line;
// - Markdown: a message whose lines start with block syntax (`#`, `---`, `>`, `-`, `1.`, an
//   indent) or hold a lone carriage return stays text. Oracle: marked's GFM lexer (the
//   tokens it reads, not our own escaping);
// - text: control characters (an escape sequence, a newline) in a saved result are escaped,
//   so a result cannot forge a verdict line or drive the terminal.
import { spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marked, type Token } from "marked";
import { afterAll, describe, expect, it } from "vitest";
import { dscheck, repoRoot } from "../cli/run-cli.ts";
import { fixture } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-report-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A character device in `dir` (1,7 is full, 1,3 is null), or undefined where mknod is not allowed. */
function device(name: string, minor: 3 | 7): string | undefined {
  const path = join(dir, name);
  return spawnSync("mknod", ["-m", "666", path, "c", "1", String(minor)]).status === 0 ? path : undefined;
}
const canMknod = device("probe", 3) !== undefined;
const isDevice = (p: string) => statSync(p).isCharacterDevice();

describe.skipIf(!canMknod)("report files written to a device: written through, never replaced", () => {
  const explore = fixture("explore-raft-doublevote");
  const cuts = "test/fixtures/cuts/seed-domino.ndjson";

  it.each([
    ["report --out", (t: string) => ["report", explore.file, "--out", t], 1],
    ["report --format html --out", (t: string) => ["report", explore.file, "--format", "html", "--out", t], 1],
    ["cuts --md", (t: string) => ["cuts", cuts, "--cut", "P2=end,P3=C31", "--md", t], 1],
    ["cuts --html", (t: string) => ["cuts", cuts, "--cut", "P2=end,P3=C31", "--html", t], 1],
  ] as const)("%s a full device: exit 2, one line; a null device: the verdict's exit", (_what, args, exit) => {
    const full = device(`full-${Math.random().toString(36).slice(2)}`, 7)!;
    const r = dscheck(args(full));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/cannot write .*full-.*ENOSPC/)]);
    expect(isDevice(full)).toBe(true);
    const nul = device(`null-${Math.random().toString(36).slice(2)}`, 3)!;
    expect(dscheck(args(nul)).code).toBe(exit);
    expect(isDevice(nul)).toBe(true);
  });

  it("a planted link to a device (outside /dev) is replaced, not followed; a FIFO is written through", () => {
    const full = device("full-behind-link", 7)!;
    const link = join(dir, "planted.md");
    symlinkSync(full, link);
    expect(dscheck(["report", explore.file, "--out", link]).code).toBe(1);
    expect(lstatSync(link).isFile()).toBe(true);
    expect(isDevice(full)).toBe(true);
    const fifo = join(dir, "fifo.md");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawnSync("sh", ["-c", `cat "${fifo}" > "${fifo}.out" & node "${join(repoRoot, "bin", "dscheck.cjs")}" report "${explore.file}" --out "${fifo}"; echo $?; wait`], { encoding: "utf8", cwd: repoRoot });
    expect(reader.stdout.trim()).toBe("1");
    expect(readFileSync(`${fifo}.out`, "utf8")).toMatch(/^dscheck explore .*: VIOLATION\n/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("explore --event-log to a device", () => {
    const full = device("full-event-log", 7)!;
    const r = dscheck(["explore", "specs/checkpointing.ts", "-i", "NoDomino", "--event-log", full]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(isDevice(full)).toBe(true);
  }, 60_000);
});

describe("hostile text in a saved result", () => {
  const base = fixture("explore-raft-doublevote").json as Record<string, unknown>;
  const violation = base.violation as Record<string, unknown>;
  const write = (name: string, value: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(value));
    return p;
  };

  it("Markdown: block syntax at the start of a message line, and a lone CR in a label, stay text", () => {
    const lines = ["# Approved", "---", "> quoted", "- listed", "1. numbered", "    indented code", "=====", "<!-- open", "```", "| a | b |"];
    const trace = (violation.trace as Record<string, unknown>[]).map((s, i) => (i === 1 ? { ...s, label: "Timeout\r| injected | row |" } : s));
    const file = write("md-blocks.json", { ...base, violation: { ...violation, explanation: `first\n${lines.join("\n")}`, trace }, trace });
    const r = dscheck(["report", file, "--format", "md"]);
    expect(r.code).toBe(1);
    const tokens = marked.lexer(r.stdout);
    const walk = (ts: Token[], out: Token[] = []): Token[] => {
      for (const t of ts) {
        out.push(t);
        if ("tokens" in t && Array.isArray(t.tokens)) walk(t.tokens as Token[], out);
      }
      return out;
    };
    const all = walk(tokens);
    // Our own headings are level 3 and 4; our tables have as many rows as steps.
    expect(all.filter((t) => t.type === "heading").map((t) => (t as { depth: number }).depth).every((d) => d >= 3)).toBe(true);
    // Our own block quotes are the warnings.
    expect(all.filter((t) => t.type === "hr" || (t.type === "blockquote" && !t.raw.startsWith("> warning: ")) || t.type === "list")).toEqual([]);
    const codes = all.filter((t) => t.type === "code").map((t) => (t as { lang?: string }).lang);
    expect(codes.every((l) => l === "mermaid" || l === "sh")).toBe(true);
    const stepTable = tokens.find((t) => t.type === "table" && (t as { header: { text: string }[] }).header[1]?.text === "step") as { rows: unknown[] } | undefined;
    expect(stepTable?.rows).toHaveLength((trace as unknown[]).length);
    for (const l of lines.filter((l) => l !== "```")) expect(r.stdout).not.toContain(`\n${l}`);
  });

  it("Markdown: an @mention in a message or a label notifies nobody (a word joiner after the @), outside code as inside", () => {
    const trace = (violation.trace as Record<string, unknown>[]).map((s, i) => (i === 1 ? { ...s, label: "ping @octocat and @my-org/team" } : s));
    const file = write("md-mentions.json", { ...base, violation: { ...violation, explanation: "cc @dscheck-maintainers, mail a@b.example", trace }, trace });
    const r = dscheck(["report", file, "--format", "md"]);
    expect(r.code).toBe(1);
    // Outside code spans and blocks (where GitHub never links a mention), no "@" is followed by a name.
    const prose = r.stdout.replace(/```[\s\S]*?```/g, "").replace(/(`+)[^`]*?\1/g, "");
    expect(prose).toContain("@\u2060octocat");
    expect(prose).toContain("@\u2060dscheck-maintainers");
    expect(prose.match(/@[\p{L}\p{N}_-]/gu)).toBeNull();
  });

  it("text: an escape sequence and a newline in the spec's name are escaped", () => {
    const file = write("text-controls.json", { ...base, spec: "evil\u001b[2J\ndscheck explore fine.ts: OK", specName: "x\u0007" });
    const r = dscheck(["report", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout.split("\n")[0]).toMatch(/: VIOLATION$/);
    expect(r.stdout).not.toMatch(/^dscheck explore fine\.ts: OK/m);
    expect(readFileSync(file, "utf8")).toContain("\\u001b");
  });

  it("HTML: script, comment and entity text stay text; the CSP also closes what default-src does not cover", () => {
    const evil = `</script><script>alert(1)</script><!-- --> &amp; <img src=x onerror=alert(2)> \u202e`;
    const trace = (violation.trace as Record<string, unknown>[]).map((s) => ({ ...s, label: evil, state: { ...(s.state as object), [evil]: evil } }));
    const file = write("html-evil.json", { ...base, spec: evil, violation: { ...violation, explanation: evil, trace }, trace, warnings: [evil] });
    const r = dscheck(["report", file, "--format", "html"]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/<script\b/g)).toHaveLength(2);
    expect(r.stdout).not.toMatch(/<img|<!-- -->|&amp;amp(?!;)/);
    const csp = /Content-Security-Policy" content="([^"]*)"/.exec(r.stdout)![1];
    // base-uri and form-action do not fall back to default-src.
    expect(csp).toMatch(/base-uri 'none'/);
    expect(csp).toMatch(/form-action 'none'/);
  });

  it.each([
    ["an integer past 2^53 written as a fraction", "1180591620717411303425.0"],
    ["an integer past 2^53 written with an exponent", "1180591620717411303425e0"],
    ["a number past the doubles (Infinity)", "1e400"],
    ["a negative one", "-1e400"],
  ])("%s: exit 2 naming the line, for report and merge alike", (_what, token) => {
    const text = JSON.stringify(fixture("history-check-stale").json).replace(/"operations":\s*\d+/, `"operations": ${token}`);
    expect(text).toContain(token);
    const file = join(dir, `number-${token.replace(/\W/g, "_")}.json`);
    writeFileSync(file, text);
    for (const command of ["report", "merge"]) {
      const r = dscheck([command, file]);
      expect(r.code, command).toBe(2);
      expect(r.stdout).toBe("");
      // The JSON reader refuses it before any schema check (traces/jepsen/json-syntax.ts).
      expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/:line \d+: the number .* (beyond 2\^53|too large for a double)/)]);
    }
  });

  it("--out '' is a usage error, not stdout", () => {
    const r = dscheck(["report", fixture("explore-2pc-ok").file, "--out", ""]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });
});
