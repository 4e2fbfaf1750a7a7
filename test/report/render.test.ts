// The text, Markdown (with Mermaid) and JUnit renderers on every fixture's Report, and the
// escaping of hostile text. JUnit is parsed back with fast-xml-parser; Mermaid source is
// checked statement by statement (the HTML helper's browser test renders it with mermaid).
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { reportOrSet, reportsFromResult } from "../../report/from-result.ts";
import type { Finding, Report, ReportSet } from "../../report/model.ts";
import { renderJson } from "../../report/render/index.ts";
import { renderJunit } from "../../report/render/junit.ts";
import { mdText, renderMarkdown } from "../../report/render/markdown.ts";
import { MERMAID_LIMIT, mermaidOf, mermaidText } from "../../report/render/mermaid.ts";
import { renderText } from "../../report/render/text.ts";
import { assertReportSchema, fixtures } from "./fixtures.ts";

const all = fixtures.map((f) => ({ name: f.name, reports: reportsFromResult(f.json) }));

/** The ```mermaid blocks of a Markdown text. */
const mermaidBlocks = (md: string) => [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);

/**
 * The Mermaid statements a sequenceDiagram may hold here; any text a user wrote must sit
 * after the first `: ` (messages, notes) or ` as ` (aliases), with no raw `;`, `#` outside an
 * entity, `%` or newline.
 */
function checkSequence(src: string): void {
  const lines = src.split("\n");
  expect(lines[0]).toBe("sequenceDiagram");
  for (const line of lines.slice(1)) {
    const m = /^ {2}(?:participant (p\d+) as (.+)|(p\d+)(->>|-x|--\))(p\d+): (.+)|Note over (p\d+)(?:,(p\d+))?: (.+))$/.exec(line);
    expect(m, line).not.toBeNull();
    const text = m![2] ?? m![6] ?? m![9];
    expect(text.replace(/#\d+;/g, "").replace(/<br\/>/g, ""), line).not.toMatch(/[;#%:"<>]/);
  }
}

describe("text", () => {
  it.each(all.map((x) => [x.name, x.reports]))("%s: the headline, every fact and finding, and each step's label", (_n, reports) => {
    const text = renderText(reportOrSet(reports));
    for (const r of reports) {
      expect(text).toContain(r.headline.split("\n")[0]);
      for (const fact of r.facts) expect(text).toContain(String(fact.value));
      for (const f of r.findings) {
        expect(text).toContain(f.name);
        for (const s of f.steps ?? []) expect(text).toContain(s.label);
        if (f.replay?.command) expect(text).toContain(f.replay.command);
      }
    }
  });
});

describe("markdown", () => {
  it.each(all.map((x) => [x.name, x.reports]))("%s: headline, a facts table row per fact, a step row per step, one Mermaid diagram per finding that has something to draw", (_n, reports) => {
    const md = renderMarkdown(reportOrSet(reports));
    for (const r of reports) {
      expect(md).toContain(mdText(r.headline));
      for (const fact of r.facts) expect(md).toContain(`| ${mdText(fact.label)} | ${mdText(String(fact.value))} |`);
    }
    const findings = reports.flatMap((r) => r.findings);
    const drawn = findings.map(mermaidOf).filter((d): d is string => d !== undefined);
    const blocks = mermaidBlocks(md);
    expect(blocks).toEqual(drawn);
    for (const b of blocks) if (b.startsWith("sequenceDiagram")) checkSequence(b);
    for (const f of findings) {
      const rows = (f.steps ?? []).length;
      if (rows) expect(md.split("\n").filter((l) => /^\| (\*\*)?\d+(\*\*)? \| /.test(l)).length).toBeGreaterThanOrEqual(rows);
    }
  });

  it("a SpaceTime diagram: one participant per process, an arrow per delivered message, in-flight and orphan messages marked", () => {
    for (const { reports } of all) {
      for (const f of reports.flatMap((r) => r.findings)) {
        if (!f.spaceTime || f.spaceTime.events.length > MERMAID_LIMIT / 2) continue;
        const src = mermaidOf(f)!;
        const st = f.spaceTime;
        expect(src.split("\n").filter((l) => l.startsWith("  participant "))).toHaveLength(st.processes.length);
        const count = (re: RegExp) => src.split("\n").filter((l) => re.test(l)).length;
        expect(count(/^ {2}p\d+->>p\d+: /)).toBe(st.messages.filter((m) => m.receive && m.status !== "orphan").length);
        expect(count(/^ {2}p\d+-xp\d+: .*\(orphan\)$/)).toBe(st.messages.filter((m) => m.status === "orphan").length);
        expect(count(/^ {2}p\d+--\)p\d+: .*\(in flight\)$/)).toBe(st.messages.filter((m) => !m.receive).length);
        if (st.events.some((e) => e.highlight)) expect(src).toMatch(/Note over p\d+: ⚠/);
      }
    }
  });

  it("hostile labels: `:`, `;`, `#`, `%%`, quotes, brackets, newlines and unicode stay inside their statement", () => {
    const nasty = 'a: b; c #35; d %% e "f" \'g\' [h] {i} <j> |k| -->> ->> end\nNote over p0: injected\r\n😀 ünï';
    const finding: Finding = {
      name: nasty, verdict: "violation", message: nasty,
      steps: [
        { action: "init", args: [], label: nasty, changes: [{ path: nasty, before: nasty, after: nasty }], state: { x: nasty } },
        { action: nasty, args: [nasty], label: nasty, changes: [], state: null, highlight: true, process: nasty },
      ],
      spaceTime: {
        processes: [nasty, "q"],
        events: [
          { id: "a", process: nasty, kind: "send", label: nasty },
          { id: "b", process: "q", kind: "receive", label: nasty, highlight: true },
          { id: "c", process: "q", kind: "checkpoint", label: nasty, useless: true },
        ],
        messages: [{ label: nasty, send: "a", receive: "b", status: "delivered" }, { label: nasty, send: "a", status: "in-flight", to: "q" }],
        cut: { [nasty]: 1, q: 0 },
      },
    };
    const st = mermaidOf(finding)!;
    checkSequence(st);
    expect(st).toContain("😀 ünï");
    checkSequence(mermaidOf({ ...finding, spaceTime: undefined })!);
    const md = renderMarkdown({ checker: "explore", subject: nasty, verdict: "violation", headline: nasty, facts: [{ label: nasty, value: nasty }], findings: [finding], warnings: [nasty] });
    // No HTML, no table cell break, no code fence from the label.
    const outsideFences = md.replace(/^```[\s\S]*?^```$/gm, "");
    expect(outsideFences).not.toMatch(/<(?!br>)[a-z]/i);
    for (const line of outsideFences.split("\n").filter((l) => l.startsWith("|"))) expect(line.replace(/\\\|/g, "").split("|").length).toBeLessThanOrEqual(8);
    expect(mermaidText("")).toBe("#160;");
    expect(mermaidText("x".repeat(500))).toHaveLength(80);
  });
});

describe("junit", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => name === "testcase" });
  it.each(all.map((x) => [x.name, x.reports]))("%s: one test case per report, failing as its verdict, the headline as the message", (_n, reports) => {
    const xml = parser.parse(renderJunit(reportOrSet(reports)));
    const suite = xml.testsuites.testsuite;
    const cases = suite.testcase as Record<string, any>[];
    expect(cases).toHaveLength(reports.length);
    expect(Number(suite["@failures"])).toBe(reports.filter((r) => r.verdict === "violation").length);
    expect(Number(suite["@errors"])).toBe(reports.filter((r) => r.verdict === "error" || r.verdict === "incomplete").length);
    reports.forEach((r, i) => {
      const c = cases[i];
      expect(c["@name"]).toBe(r.subject);
      expect(c["@classname"]).toBe(`dscheck.${r.checker.replace(/ /g, ".")}`);
      const tag = r.verdict === "ok" ? undefined : r.verdict === "violation" ? "failure" : "error";
      if (!tag) return expect(c.failure ?? c.error).toBeUndefined();
      expect(c[tag]["@message"]).toBe(r.headline.replace(/\s+/g, " ").trim().slice(0, 500));
      expect(c[tag]["@type"]).toBe(r.verdict);
      if (r.location?.line !== undefined) expect(Number(c["@line"])).toBe(r.location.line);
    });
  });
});

describe("json", () => {
  it.each(all.map((x) => [x.name, x.reports]))("%s: the report itself, and it fits report.schema.json", (_n, reports) => {
    const input: Report | ReportSet = reportOrSet(reports);
    const back = JSON.parse(renderJson(input));
    assertReportSchema(back);
    expect(back).toEqual(JSON.parse(JSON.stringify(input)));
  });
});
