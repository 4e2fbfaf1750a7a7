/**
 * Every rendering of a report by name, as `dscheck report --format` and the commands'
 * `--md` / `--html` ask for it. The HTML renderer is loaded only when asked for.
 */
import type { Report, ReportSet } from "../model.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderText } from "./text.ts";

export const REPORT_FORMATS = ["text", "md", "html", "junit", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report JSON: the model itself (traces/schemas/report.schema.json). */
export function renderJson(input: Report | ReportSet): string {
  return JSON.stringify(input, null, 2) + "\n";
}

export async function renderReport(input: Report | ReportSet, format: ReportFormat): Promise<string> {
  switch (format) {
    case "text":
      return renderText(input);
    case "md":
      return renderMarkdown(input);
    case "junit":
      return renderJunit(input);
    case "json":
      return renderJson(input);
    case "html":
      return (await import("./html.ts")).renderHtml(input);
  }
}
