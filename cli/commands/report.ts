/**
 * `dscheck report <result.json...> --format text|md|html|junit|json [--out FILE]`: renders
 * saved JSON results (what any command prints with --json; one object, an array, or several
 * files, rendered together as a set) through the one report model (report/).
 *
 * The input is untrusted: a file that cannot be read, is not JSON, is not a dscheck result or
 * does not have its command's shape is one line naming the file and the line or JSON
 * pointer, exit 2, and nothing is written.
 *
 * Exit code: that of the verdict rendered (the worst over all results): 0 it held, 1 a
 * violation, 2 an error (the result reports one, or the input is bad), 3 incomplete. So a CI
 * job can keep the JSON of a check as an artifact, render it for people, and still fail on it.
 */
import { Command, Option } from "commander";
import { EXIT } from "../exit-codes.ts";
import { writeErr, writeOut } from "../output.ts";
import { writeAtomically, WriteError } from "../write-atomically.ts";
import { InputError } from "../../checker/history/input-error.ts";
import { readTextFile } from "../../traces/input.ts";
import { parseJsonExact } from "../../traces/jepsen/read.ts";
import type { Report, ReportSet, ReportVerdict } from "../../report/model.ts";
import { reportOrSet, reportsFromResult, ResultError } from "../../report/from-result.ts";
import { renderReport, REPORT_FORMATS, type ReportFormat } from "../../report/render/index.ts";

interface Options {
  format: ReportFormat;
  out?: string;
}

const EXIT_OF: Record<ReportVerdict, number> = { ok: EXIT.ok, violation: EXIT.violation, error: EXIT.error, incomplete: EXIT.incomplete };

/** The exit code of a rendered verdict. */
export function reportExitCode(input: Report | ReportSet): number {
  return EXIT_OF[input.verdict];
}

/** Reads and adapts one file; throws InputError naming the file and the line or pointer. */
export function readResultFile(file: string): Report[] {
  const value = parseJsonExact(readTextFile(file), file, 0, { numbers: "doubles" });
  try {
    return reportsFromResult(value);
  } catch (e) {
    if (e instanceof ResultError) throw new InputError(file, `#${e.pointer}`, e.detail);
    throw e;
  }
}

export function registerReport(program: Command, setExit: (code: number) => void): void {
  program
    .command("report")
    .description("render saved JSON results (any command's --json) as text, Markdown with Mermaid, HTML, JUnit XML or the report JSON")
    .argument("<result.json...>", "JSON results of explore, trace validate, history check, history isolation, bivalence or cuts")
    .addOption(new Option("--format <format>", "output format").choices([...REPORT_FORMATS]).default("text"))
    .option("--out <file>", "write the rendering to this file (atomically) instead of stdout")
    .action(async (files: string[], opts: Options) => {
      let reports: Report[];
      try {
        reports = files.flatMap(readResultFile);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        writeErr(`error: ${e.message}\n`);
        return setExit(EXIT.error);
      }
      const input = reportOrSet(reports);
      const text = await renderReport(input, opts.format);
      if (opts.out !== undefined) {
        try {
          writeAtomically(opts.out, text);
        } catch (e) {
          if (!(e instanceof WriteError)) throw e;
          writeErr(`error: ${e.message}\n`);
          return setExit(EXIT.error);
        }
      } else writeOut(text);
      setExit(reportExitCode(input));
    });
}
