/**
 * What every checking command tells a CI system, besides its report and exit code:
 *
 * - `--junit out.xml`: JUnit XML, one <testcase> per file / trace / property; a failing one
 *   has <failure> (a violation) or <error> (bad input, a spec error, or a budget that ran
 *   out: an incomplete check is never a pass) whose `message` is the one-line diagnosis and
 *   whose body is the full text report. Built with fast-xml-parser's XMLBuilder (which
 *   escapes), written through writeAtomically.
 * - GitHub Actions (GITHUB_ACTIONS=true): one `::error file=...,line=...::` workflow command
 *   per failing case, on stderr (the runner reads both streams; stdout stays the report, or
 *   the one JSON object of --json), and a Markdown summary appended to $GITHUB_STEP_SUMMARY.
 * - `--shard i/N` (1 <= i <= N): the inputs are sorted by their path relative to the working
 *   directory (with `/` separators, compared by code unit: the same on every machine and
 *   locale) and dealt round-robin; shard i checks the ones at positions i-1, i-1+N, ...
 *   The shards are disjoint, their union is the list, and their sizes differ by at most one.
 *
 * The flags and the shard split live in ci-flags.ts (re-exported here), so that a command can
 * take them without loading this module until CI output is asked for.
 */
import { appendFileSync } from "node:fs";
import { writeAtomically, WriteError } from "./write-atomically.ts";
import { writeErr } from "./output.ts";
import { junitXml, oneLine, type CaseStatus, type JunitCase } from "../report/render/junit.ts";
import { mdText } from "../report/render/markdown.ts";
import { shardKey, type CiFlags, type Shard } from "./ci-flags.ts";

export { caseStatus, emptyShardNote, junitOption, lineIn, parseShard, selectShard, shardKey, shardOption, type CiFlags, type Shard } from "./ci-flags.ts";
export type { CaseStatus };
/** One test case (a file, a trace, a property): the JUnit case of report/render/junit.ts. */
export type CiCase = JunitCase;

export { oneLine };

/** The JUnit XML document (moved to report/render/junit.ts, shared with `dscheck report --format junit`). */
export { junitXml };

/** GitHub's escaping of a workflow command's message and of its properties. */
const ghData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const ghProperty = (s: string) => ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

const STATUS_TITLE: Record<CaseStatus, string> = { ok: "holds", violation: "violation", incomplete: "incomplete (a budget ran out)", error: "error" };

/** The `::error` lines for the failing cases. */
export function githubAnnotations(command: string, cases: readonly CiCase[]): string {
  return cases
    .filter((c) => c.status !== "ok")
    .map((c) => {
      const props = [c.file !== undefined ? `file=${ghProperty(shardKey(c.file))}` : "", c.line !== undefined ? `line=${c.line}` : "", `title=${ghProperty(`dscheck ${command}: ${c.name}: ${STATUS_TITLE[c.status]}`)}`].filter((p) => p);
      return `::error ${props.join(",")}::${ghData(oneLine(c.message ?? c.report))}\n`;
    })
    .join("");
}

const html = (s: string) => s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
/** One line of text in an HTML element of the summary (a <summary>: no Markdown is read there). */
const htmlLine = (s: string) => html(s).replace(/\r\n?|\n/g, " ");
const SUMMARY_BODY_LIMIT = 200_000;

/** The Markdown appended to $GITHUB_STEP_SUMMARY. */
export function stepSummary(command: string, cases: readonly CiCase[], shard: Shard | undefined): string {
  const count = (s: CaseStatus) => cases.filter((c) => c.status === s).length;
  const icon: Record<CaseStatus, string> = { ok: "✅", violation: "❌", incomplete: "⏳", error: "⚠️" };
  const out = [
    `### dscheck ${command}${shard ? ` (shard ${shard.index}/${shard.count})` : ""}`,
    "",
    `${cases.length} checked: ${count("ok")} hold, ${count("violation")} violated, ${count("incomplete")} incomplete, ${count("error")} in error`,
    "",
  ];
  if (cases.length) {
    out.push("| | case | result |", "|---|---|---|");
    for (const c of cases) out.push(`| ${icon[c.status]} | ${mdText(c.name)} | ${mdText(c.status === "ok" ? STATUS_TITLE.ok : oneLine(c.message ?? c.report))} |`);
    out.push("");
  }
  let budget = SUMMARY_BODY_LIMIT;
  for (const c of cases.filter((x) => x.status !== "ok")) {
    const body = c.report.length > budget ? c.report.slice(0, Math.max(0, budget)) + "\n... (cut: see the JUnit file or the job log)" : c.report;
    budget -= body.length;
    out.push(`<details><summary>${htmlLine(c.name)}: ${htmlLine(STATUS_TITLE[c.status])}</summary>`, "", "<pre>", html(body).trimEnd(), "</pre>", "</details>", "");
    if (budget <= 0) break;
  }
  return out.join("\n") + "\n";
}

/**
 * Writes the JUnit file (when asked) and, under GitHub Actions, the annotations and the step
 * summary. Returns the message of a JUnit file that could not be written (the command then
 * says it and exits 2), else undefined. Call it before printing the verdict.
 */
export function emitCi(command: string, cases: readonly CiCase[], flags: CiFlags): string | undefined {
  if (flags.junit) {
    try {
      writeAtomically(flags.junit, junitXml(command, cases));
    } catch (e) {
      if (e instanceof WriteError) return `--junit: ${e.message}`;
      throw e;
    }
  }
  if (process.env.GITHUB_ACTIONS === "true") {
    const annotations = githubAnnotations(command, cases);
    if (annotations) {
      writeErr(annotations);
    }
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary) {
      try {
        appendFileSync(summary, stepSummary(command, cases, flags.shard));
      } catch (e) {
        return `cannot append to $GITHUB_STEP_SUMMARY (${summary}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      }
    }
  }
  return undefined;
}

