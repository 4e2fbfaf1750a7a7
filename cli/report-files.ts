/**
 * `--md <out.md>` and `--html <out.html>` on every command that can fail: the report built
 * from the very JSON object the command prints with --json (report/from-result.ts, which
 * also checks it against the command's schema), rendered (report/render/) and written
 * atomically, before the verdict is printed: a file that cannot be written is one line and
 * exit 2, never a verdict followed by a crash.
 */
import { Option } from "commander";

export interface ReportFileFlags {
  md?: string;
  html?: string;
}

export function mdOption(): Option {
  return new Option("--md <out.md>", "also write the report as GitHub Markdown with a Mermaid diagram (a PR comment, a job summary)");
}

export function htmlOption(): Option {
  return new Option("--html <out.html>", "also write the report as one self-contained HTML page (opens from disk, no network)");
}

/** True when --md or --html asks for a report file. */
export const wantsReportFiles = (flags: ReportFileFlags) => flags.md !== undefined || flags.html !== undefined;

/**
 * Renders `result` (a command's --json object, or an array of them) into the files asked
 * for. Returns the one-line reason when a file cannot be written, else undefined.
 */
export async function writeReportFiles(result: unknown, flags: ReportFileFlags): Promise<string | undefined> {
  if (!wantsReportFiles(flags)) return undefined;
  // Loaded only when a report file is asked for: the adapters load ajv and every schema,
  // which a plain `history check` should not pay for at start-up (about 70 ms, bench/startup.ts);
  // the atomic writer loads node:crypto (a few ms).
  const [{ reportOrSet, reportsFromResult, ResultError }, { renderReport }, { writeAtomically, WriteError }] = await Promise.all([import("../report/from-result.ts"), import("../report/render/index.ts"), import("./write-atomically.ts")]);
  let input;
  try {
    // Exactly what --json prints (undefined fields dropped, as the printed JSON drops them).
    input = reportOrSet(reportsFromResult(JSON.parse(JSON.stringify(result))));
  } catch (e) {
    // Our own JSON result not fitting its schema is a bug of ours, said as such (exit 2).
    if (e instanceof ResultError) return `internal error: the JSON result does not fit its schema (${e.message}); no report written`;
    throw e;
  }
  for (const [file, format] of [[flags.md, "md"], [flags.html, "html"]] as const) {
    if (file === undefined) continue;
    try {
      writeAtomically(file, await renderReport(input, format));
    } catch (e) {
      if (e instanceof WriteError) return e.message;
      throw e;
    }
  }
  return undefined;
}
