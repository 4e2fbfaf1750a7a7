/**
 * JUnit XML (the common schema: testsuites > testsuite > testcase), built with
 * fast-xml-parser's XMLBuilder, which escapes. Every command's `--junit` (cli/ci.ts) and
 * `dscheck report --format junit` write it through `junitXml`: a failing case has <failure>
 * (a violation) or <error> (bad input, a spec error, or a budget that ran out: an incomplete
 * check is never a pass) whose `message` is the one-line diagnosis and whose body is the
 * full text report.
 */
import { createRequire } from "node:module";
import type { Report, ReportSet } from "../model.ts";
import { renderText } from "./text.ts";

export type CaseStatus = "ok" | "violation" | "incomplete" | "error";

export interface JunitCase {
  /** The test case's name: a file, a trace, or a property. */
  readonly name: string;
  /** JUnit classname: the command and, for properties, the spec. */
  readonly classname: string;
  readonly status: CaseStatus;
  /** The one-line diagnosis of a failing case. */
  readonly message?: string;
  /** The full text report. */
  readonly report: string;
  /** Where an annotation points: the file, and the line when known. */
  readonly file?: string;
  readonly line?: number;
  readonly seconds?: number;
}

/** One line: the first non-blank line, whitespace collapsed, at most 500 characters. */
export function oneLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  const s = line.replace(/\s+/g, " ").trim();
  return s.length > 500 ? s.slice(0, 497) + "..." : s;
}

// XML 1.0 cannot hold most control characters even escaped (terminal colours, NUL in a
// hostile file name): they are shown as \xNN. Lone surrogates become U+FFFD.
const xmlText = (s: string) =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

/** The JUnit XML document of `cases`, as a suite named `dscheck <command>`. */
export function junitXml(command: string, cases: readonly JunitCase[]): string {
  const require = createRequire(import.meta.url);
  // Loaded only when a JUnit file is asked for: no start-up cost otherwise.
  const { XMLBuilder } = require("fast-xml-parser") as typeof import("fast-xml-parser");
  const failures = cases.filter((c) => c.status === "violation").length;
  const errors = cases.filter((c) => c.status === "error" || c.status === "incomplete").length;
  const time = (c: JunitCase) => (c.seconds ?? 0).toFixed(3);
  const total = cases.reduce((t, c) => t + (c.seconds ?? 0), 0).toFixed(3);
  const testcase = cases.map((c) => {
    const tc: Record<string, unknown> = { "@name": xmlText(c.name), "@classname": xmlText(c.classname), "@time": time(c) };
    if (c.file) tc["@file"] = xmlText(c.file);
    if (c.line !== undefined) tc["@line"] = String(c.line);
    if (c.status !== "ok") {
      const tag = c.status === "violation" ? "failure" : "error";
      tc[tag] = { "@message": xmlText(oneLine(c.message ?? c.report)), "@type": c.status, "#text": xmlText(c.report) };
    } else tc["system-out"] = { "#text": xmlText(c.report) };
    return tc;
  });
  const suite = {
    "@name": `dscheck ${command}`, "@tests": String(cases.length), "@failures": String(failures), "@errors": String(errors),
    "@skipped": "0", "@time": total, "@timestamp": new Date().toISOString().replace(/\.\d+Z$/, ""), testcase,
  };
  const doc = {
    "?xml": { "@version": "1.0", "@encoding": "UTF-8" },
    testsuites: { "@name": "dscheck", "@tests": String(cases.length), "@failures": String(failures), "@errors": String(errors), "@time": total, testsuite: suite },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", format: true, suppressEmptyNode: true, processEntities: true });
  return builder.build(doc) as string;
}

/** A Report as a test case: named by its subject, failing as its verdict says. */
export function reportCase(r: Report): JunitCase {
  const file = r.location?.file ?? r.subject;
  return {
    name: r.subject,
    classname: `dscheck.${r.checker.replace(/ /g, ".")}`,
    status: r.verdict,
    message: r.headline,
    report: renderText(r),
    file,
    ...(r.location?.line !== undefined ? { line: r.location.line } : {}),
  };
}

/** The JUnit XML of a report or a set: one test case per report. */
export function renderJunit(input: Report | ReportSet): string {
  const reports = "reports" in input ? input.reports : [input];
  const checkers = [...new Set(reports.map((r) => r.checker))];
  return junitXml(checkers.length === 1 ? `report (${checkers[0]})` : "report", reports.map(reportCase));
}
