// `--md` and `--html` on every command that can fail: in one run with --json, the files are
// exactly the renderings of the JSON object the command printed (the same run, so the same
// figures); a file that cannot be written is exit 2 and one line; bad input writes none.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reportOrSet, reportsFromResult } from "../../report/from-result.ts";
import { renderHtml } from "../../report/render/html.ts";
import { renderMarkdown } from "../../report/render/markdown.ts";
import { dscheck } from "../cli/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-report-files-"));
const inputs = "test/fixtures/reports/inputs";
let serial = 0;

const commands: [string, string[]][] = [
  ["explore", ["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--no-typecheck"]],
  ["explore --replay", ["explore", "specs/two-phase-commit.ts", "--param", "bug=commitWithoutVotes", "--replay", "0/0/5/9", "--no-typecheck"]],
  ["trace validate", ["trace", "validate", "specs/two-phase-commit.ts", `${inputs}/2pc-ok.ndjson`, `${inputs}/2pc-commit-too-early.ndjson`, "--no-typecheck"]],
  ["history check", ["history", "check", `${inputs}/stale-read.edn`, `${inputs}/linearizable.edn`, "--model", "register", "--init", "0"]],
  ["history isolation", ["history", "isolation", `${inputs}/write-skew.json`]],
  ["bivalence", ["bivalence", "specs/flp-naive-consensus.ts", "--no-typecheck"]],
  ["cuts", ["cuts", "test/fixtures/cuts/seed-domino.ndjson", "--cut", "P2=end,P3=C31"]],
];

describe("--md and --html", () => {
  it.each(commands)("%s: the files render the very JSON the run printed", (_name, args) => {
    const md = join(dir, `r${serial}.md`), html = join(dir, `r${serial++}.html`);
    const r = dscheck([...args, "--json", "--md", md, "--html", html]);
    expect([0, 1, 3]).toContain(r.code);
    const input = reportOrSet(reportsFromResult(JSON.parse(r.stdout)));
    expect(readFileSync(md, "utf8")).toBe(renderMarkdown(input));
    expect(readFileSync(html, "utf8")).toBe(renderHtml(input));
    // The exit code is the verdict's, with the files or without them.
    expect(r.code).toBe(dscheck([...args, "--json"]).code);
  }, 60_000);

  it.each(commands.filter(([n]) => n !== "bivalence"))("%s: an --md that cannot be written is exit 2, one line, no verdict printed", (_name, args) => {
    const r = dscheck([...args, "--md", join(dir, "no-such-dir", "r.md")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/no-such-dir.*its directory does not exist/);
  }, 60_000);

  it("bad input writes no report file", () => {
    for (const args of [
      ["history", "check", `${inputs}/2pc-malformed.ndjson`, "--model", "register"],
      ["history", "isolation", `${inputs}/2pc-malformed.ndjson`],
      ["cuts", `${inputs}/2pc-malformed.ndjson`],
      ["trace", "validate", "specs/two-phase-commit.ts", `${inputs}/2pc-ok.ndjson`, `${inputs}/2pc-malformed.ndjson`, "--no-typecheck"],
    ]) {
      const md = join(dir, `bad${serial++}.md`);
      expect(dscheck([...args, "--md", md]).code, args.join(" ")).toBe(2);
      expect(existsSync(md), args.join(" ")).toBe(false);
    }
  });
});
