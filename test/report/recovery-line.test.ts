// `dscheck cuts --cut ... --recover ...`: the report carries both lines, the cut and the
// recovery line, each as the command's JSON gives it (its event counts per process), and every
// renderer shows the second line (the browser test draws and measures it: html-browser.test.ts).
import { describe, expect, it } from "vitest";
import { reportsFromResult } from "../../report/from-result.ts";
import { renderHtml } from "../../report/render/html.ts";
import { renderMarkdown } from "../../report/render/markdown.ts";
import { renderText } from "../../report/render/text.ts";
import { dscheck } from "../cli/run-cli.ts";
import { assertReportSchema } from "./fixtures.ts";

const run = (extra: string[]) => {
  const r = dscheck(["cuts", "test/fixtures/cuts/domino.ndjson", ...extra, "--json"]);
  expect(r.code).toBe(1);
  const json = JSON.parse(r.stdout);
  const [report] = reportsFromResult(json);
  return { json, report, st: report.findings.find((f) => f.spaceTime)!.spaceTime! };
};

describe("cuts with --cut and --recover", () => {
  it("the space-time diagram has the cut and the recovery line, as the command computed them", () => {
    const { json, report, st } = run(["--recover", "P3", "--cut", "P1=C11,P2=C22"]);
    assertReportSchema(report);
    expect(st.cut).toEqual(Object.fromEntries(Object.entries(json.cut.positions).map(([p, x]) => [p, (x as { events: number }).events])));
    expect(st.recoveryLine).toEqual(json.recovery.positions);
    expect(st.recoveryLine).not.toEqual(st.cut);
    const html = renderHtml(report);
    expect(html.match(/<g class="cut">/g)).toHaveLength(1);
    expect(html.match(/<g class="recovery-line">/g)).toHaveLength(1);
    expect(html).toContain("with the cut and the recovery line");
    expect(renderMarkdown(report)).toMatch(/Note over p0,p2: recovery line#58; P1#61;0 P2#61;0 P3#61;1/);
    expect(renderText(report)).toContain("recovery line: P1=0 P2=0 P3=1");
  }, 60_000);

  it("with --recover alone the recovery line is the one line drawn, as before", () => {
    const { json, st } = run(["--recover", "P3"]);
    expect(st.cut).toEqual(json.recovery.positions);
    expect(st.recoveryLine).toBeUndefined();
  }, 60_000);
});
