/**
 * The HTML renderer's output as text, without a browser (these run where Chromium is
 * missing too): one self-contained file, a Content-Security-Policy that admits exactly its
 * one inline script, the data block parseable, and no user text left unescaped.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { reportOrSet, reportsFromResult } from "../../report/from-result.ts";
import type { Report } from "../../report/model.ts";
import { renderHtml } from "../../report/render/html.ts";
import { fixtures } from "./fixtures.ts";

const scripts = (html: string) => [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));

describe("renderHtml", () => {
  it.each(fixtures.map((f) => [f.name, f] as const))("%s: self-contained, the CSP admits its script, the data block lists each finding with steps", (_name, f) => {
    const reports = reportsFromResult(f.json);
    const html = renderHtml(reportOrSet(reports));
    expect(html.startsWith("<!doctype html>")).toBe(true);
    // Nothing to fetch: no src or href pointing anywhere but an anchor on the page.
    // (an assertion on a boolean: a failing match would print the whole page)
    expect(/\s(src|href)="(?!#)/.test(html)).toBe(false);
    expect(/@import|url\((?!#)/.test(html)).toBe(false);
    const [data, code] = scripts(html);
    expect(scripts(html)).toHaveLength(2);
    expect(data.attrs).toContain('type="application/json"');
    const csp = /Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
    expect(csp).toContain(`'sha256-${createHash("sha256").update(code.body).digest("base64")}'`);
    expect(csp).toMatch(/default-src 'none'/);
    const parsed = JSON.parse(data.body) as { findings: { id: string; steps: number; selected: number }[] };
    const withSteps = reports.flatMap((r, k) => r.findings.map((fi, i) => ({ id: `r${k}-f${i}`, steps: fi.steps?.length ?? 0 }))).filter((x) => x.steps > 0);
    expect(parsed.findings.map(({ id, steps }) => ({ id, steps }))).toEqual(withSteps);
    for (const d of parsed.findings) expect(d.selected).toBeLessThan(d.steps);
  });

  it("escapes every text it is given, in content and in attributes", () => {
    const evil = `<b id="x" onclick='y'>&amp;</script><!--`;
    const report: Report = {
      checker: "history check", subject: evil, verdict: "violation", headline: evil, facts: [{ label: evil, value: evil }], warnings: [evil],
      findings: [{
        name: evil, verdict: "violation", message: evil, blame: [{ name: evil, holds: false, reads: { [evil]: evil } }],
        steps: [{ action: evil, args: [evil], label: evil, changes: [{ path: evil, before: evil, after: evil }], state: evil, highlight: true, valence: evil, process: evil }],
        history: { processes: [evil], operations: [{ id: evil, process: evil, label: evil, callAt: 0, returnAt: 1, status: "ok", highlight: true }], linearization: [evil] },
        graph: { nodes: [{ id: evil, label: evil }], edges: [{ from: evil, to: evil, label: evil }] },
        spaceTime: { processes: [evil], events: [{ id: evil, process: evil, kind: "internal", label: evil, step: 0 }], messages: [] },
      }],
    };
    const html = renderHtml(report);
    expect(html).not.toContain("<b ");
    expect(html).not.toContain("onclick='");
    expect(html).not.toContain("<!--");
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain("&lt;b id=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/script&gt;&lt;!--");
  });
});
