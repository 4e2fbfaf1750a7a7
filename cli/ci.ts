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
 */
import { appendFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { InvalidArgumentError, Option } from "commander";
import { writeAtomically, WriteError } from "./write-atomically.ts";
import { writeErr } from "./output.ts";
import { junitXml, oneLine, type CaseStatus, type JunitCase } from "../report/render/junit.ts";
import { mdText } from "../report/render/markdown.ts";

export type { CaseStatus };
/** One test case (a file, a trace, a property): the JUnit case of report/render/junit.ts. */
export type CiCase = JunitCase;

export interface CiFlags {
  junit?: string;
  shard?: Shard;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `--junit <out.xml>`; `unit` names what one test case is. */
export function junitOption(unit: string): Option {
  return new Option("--junit <out.xml>", `also write a JUnit XML report, one test case per ${unit}`);
}

/** `--shard <i/N>`, for the commands that take many inputs. */
export function shardOption(): Option {
  return new Option("--shard <i/N>", "check only shard i of N (1 <= i <= N) of the inputs, split by path: the same split on every machine").argParser(parseShard);
}

/** A checker's verdict as a test case's status ("unknown": a history check out of budget). */
export function caseStatus(v: "ok" | "violation" | "incomplete" | "unknown" | "error"): CaseStatus {
  return v === "unknown" ? "incomplete" : v;
}

export function parseShard(v: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || count > 100_000 || index < 1 || index > count) {
    throw new InvalidArgumentError(`--shard expects i/N with 1 <= i <= N (e.g. 2/4), got "${v}"`);
  }
  return { index, count };
}

/** The key a file is sorted by: its path relative to the working directory, with `/`. */
export function shardKey(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, file));
  return (rel === "" ? "." : rel).split(sep).join("/");
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The inputs shard `shard` checks, in the order given; all of them without a shard. */
export function selectShard<T extends string>(files: readonly T[], shard: Shard | undefined, cwd = process.cwd()): T[] {
  if (!shard || shard.count === 1) return [...files];
  const keys = [...new Set(files.map((f) => shardKey(f, cwd)))].sort(byCodeUnit);
  const mine = new Set(keys.filter((_, i) => i % shard.count === shard.index - 1));
  return files.filter((f) => mine.has(shardKey(f, cwd)));
}

export { oneLine };

/** The line number in a message such as `file:line 3: ...` or `file:12:5: ...`. */
export function lineIn(message: string | undefined): number | undefined {
  const m = message ? (/:line (\d+)\b/.exec(message) ?? /:(\d+)(?::\d+)?: /.exec(message)) : null;
  return m ? Number(m[1]) : undefined;
}

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

/** Said on stderr when a shard has nothing to check (more shards than inputs). */
export function emptyShardNote(shard: Shard | undefined, total: number): string | undefined {
  return shard ? `dscheck: shard ${shard.index}/${shard.count} has no inputs (${total} in all): nothing to check\n` : undefined;
}
