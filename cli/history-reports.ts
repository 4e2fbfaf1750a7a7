/**
 * How `history check` and `history isolation` print their reports: the text report, or with
 * --json one object for one file and an array for several, each naming the tool and the
 * command. A large history's linearization and timeline are printed on one line each; the
 * rest as JSON.stringify(report, null, 2) lays it out.
 */
import { combineExitCodes, exitCodeFor, type Verdict } from "./exit-codes.ts";
import { writeErr, writeOut } from "./output.ts";

/** The reports --json prints, as objects (the report files are made from them): each naming the tool and the command; one object for one file. */
export function taggedReports<R extends object>(command: "history check" | "history isolation", reports: readonly R[]): unknown {
  const tagged = reports.map((r) => ({ tool: "dscheck", command, ...r }));
  return tagged.length === 1 ? tagged[0] : tagged;
}

/**
 * Report members that --json prints on one line: the bulk of a large history's report, read
 * by programs (a linearization of thousands of ids, a timeline of up to 2,000 operations).
 * One value a line, they made the report of the Knossos corpus 3.3 MB, and most of its
 * printing time.
 */
const ONE_LINE_MEMBERS = new Set(["linearization", "timeline"]);

/**
 * `report` as --json prints it, each line after the first at `indent`: what
 * JSON.stringify(report, null, 2) prints (the same members in the same order: the same JSON),
 * except the ONE_LINE_MEMBERS, each on one line.
 */
export function reportJson(report: object, indent = ""): string {
  const inner = indent + "  ";
  const members: string[] = [];
  for (const [key, value] of Object.entries(report)) {
    // undefined for a member JSON.stringify drops (undefined, a function); no raw newline in its output but the ones it puts between lines.
    const text: string | undefined = ONE_LINE_MEMBERS.has(key) ? JSON.stringify(value) : JSON.stringify(value, null, 2)?.replaceAll("\n", `\n${inner}`);
    if (text !== undefined) members.push(`${inner}${JSON.stringify(key)}: ${text}`);
  }
  return members.length === 0 ? "{}" : `{\n${members.join(",\n")}\n${indent}}`;
}

/**
 * A report as it appears in the --json array of several (indented as an element): rendered
 * as soon as its file is checked, so that a long run does not keep every file's timeline as
 * objects until the end.
 */
export function renderedElement(command: "history check" | "history isolation", report: object): string {
  return "  " + reportJson({ tool: "dscheck", command, ...report }, "  ");
}

/** What --json prints for `reports`: one object for one, else an array (of `rendered`, several reports' elements rendered already). */
function reportsJson(command: "history check" | "history isolation", reports: readonly object[], rendered?: readonly string[]): string {
  if (reports.length === 1) return reportJson({ tool: "dscheck", command, ...reports[0] }) + "\n";
  if (reports.length === 0) return "[]\n";
  return `[\n${(rendered ?? reports.map((r) => renderedElement(command, r))).join(",\n")}\n]\n`;
}

/**
 * Prints one report per file (`--json`: one object, or an array for several, each naming the
 * tool and the command) through writeOut, after `setExit` got the worst verdict's code (so a reader that goes away
 * early, EPIPE, still sees the verdict's code). A failed write throws OutputError (exit 2).
 */
export function emitReports<R extends { file: string; status: Verdict; error?: string }>(command: "history check" | "history isolation", reports: readonly R[], json: boolean, printHuman: (r: R) => string, setExit: (code: number) => void, rendered?: readonly string[]): void {
  setExit(combineExitCodes(reports.map((r) => exitCodeFor(r.status))));
  if (json) {
    writeOut(reportsJson(command, reports, rendered));
    for (const r of reports) if (r.status === "error") writeErr(`error: ${r.error}\n`);
  } else {
    for (const r of reports) {
      if (r.status === "error") writeErr(`error: ${r.error}\n`);
      else writeOut(printHuman(r));
    }
  }
}
