/**
 * Output shared by the commands that check one report per input file: `--json` prints one
 * object for one file and an array for several (errors also go to stderr as one line each);
 * otherwise each report is printed for a person. The exit code is the worst verdict.
 */
import { combineExitCodes, exitCodeFor, type Verdict } from "./exit-codes.ts";

export interface FileReportBase {
  readonly file: string;
  readonly status: Verdict;
  readonly error?: string;
}

export function emitFileReports<R extends FileReportBase>(reports: readonly R[], json: boolean, printHuman: (r: R) => void): number {
  if (json) {
    process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + "\n");
    for (const r of reports) if (r.status === "error") process.stderr.write(`error: ${r.error}\n`);
  } else {
    for (const r of reports) {
      if (r.status === "error") process.stderr.write(`error: ${r.error}\n`);
      else printHuman(r);
    }
  }
  return combineExitCodes(reports.map((r) => exitCodeFor(r.status)));
}
