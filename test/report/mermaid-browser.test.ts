/**
 * The Markdown renderer's Mermaid diagrams rendered by Mermaid itself (the npm package,
 * inlined into a test page in the same headless Chromium as the HTML tests), for every
 * renderer fixture (./html-fixtures.ts) and for a report full of hostile text: each block
 * parses and renders, with one participant per process and one message per message of the
 * finding's space-time (or one node and edge per graph node and edge).
 */
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportOrSet, reportsFromResult } from "../../report/from-result.ts";
import type { Finding, Report, ReportSet } from "../../report/model.ts";
import { renderMarkdown } from "../../report/render/markdown.ts";
import { MERMAID_LIMIT } from "../../report/render/mermaid.ts";
import { launchChromium, noChromium, openHtml } from "../support/browser.ts";
import { fixtures as savedFixtures } from "./fixtures.ts";
import { FIXTURE_NAMES, rendererFixture } from "./html-fixtures.ts";

if (noChromium) console.warn(`test/report/mermaid-browser.test.ts: ${noChromium}`);

/* eslint-disable @typescript-eslint/no-explicit-any -- code that runs in the page */
const MERMAID = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");

/** The ```mermaid blocks of a Markdown text, in order. */
function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
}

interface Rendered {
  readonly error?: string;
  readonly kind?: string;
  readonly actors: number;
  readonly messages: number;
  readonly nodes: number;
  readonly edges: number;
}

/** Renders one diagram in the page with Mermaid and counts what it drew. */
function render(page: Page, text: string, n: number): Promise<Rendered> {
  return page.evaluate(
    async ({ text, n }) => {
      // In the page: the DOM's types are not in this project's compilation.
      const g = globalThis as any;
      const mermaid = g.mermaid as { parse: (t: string) => Promise<unknown>; render: (id: string, t: string) => Promise<{ svg: string }> };
      const box = g.document.createElement("div");
      g.document.body.append(box);
      try {
        await mermaid.parse(text);
        const { svg } = await mermaid.render(`diagram${n}`, text);
        box.innerHTML = svg;
        const root = box.querySelector("svg");
        return {
          kind: root?.getAttribute("aria-roledescription") ?? undefined,
          // Sequence diagrams draw each participant twice (top and bottom).
          actors: box.querySelectorAll("rect.actor").length / 2,
          messages: box.querySelectorAll(".messageLine0, .messageLine1").length,
          nodes: box.querySelectorAll("g.node").length,
          edges: box.querySelectorAll(".edgePaths > path, path.flowchart-link").length,
          ...(svg.includes("Syntax error") ? { error: "Mermaid drew its syntax-error picture" } : {}),
        };
      } catch (e) {
        return { error: String((e as Error)?.message ?? e), actors: 0, messages: 0, nodes: 0, edges: 0 };
      }
    },
    { text, n },
  );
}

/** What the finding's diagram must show, from the model (when it is small enough to be drawn whole). */
function expectDrawn(f: Finding, r: Rendered) {
  if (f.spaceTime && f.spaceTime.events.length) {
    expect(r.kind).toBe("sequence");
    expect(r.actors).toBe(f.spaceTime.processes.length);
    if (f.spaceTime.events.length + f.spaceTime.messages.length <= MERMAID_LIMIT) expect(r.messages).toBe(f.spaceTime.messages.length);
  } else if (f.steps?.length) {
    expect(r.kind).toBe("sequence");
    if (f.steps.length <= MERMAID_LIMIT) expect(r.messages).toBe(f.steps.length);
  } else if (f.graph?.nodes.length) {
    expect(r.kind).toBe("flowchart-v2");
    expect(r.nodes).toBe(f.graph.nodes.length);
    expect(r.edges).toBe(f.graph.edges.length);
  }
}

describe.skipIf(noChromium !== undefined)("Mermaid diagrams of the Markdown report, rendered by Mermaid in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let n = 0;

  beforeAll(async () => {
    browser = await launchChromium();
    ({ page } = await openHtml(browser, "mermaid", `<!doctype html><html><head><meta charset="utf-8"><title>mermaid</title></head><body></body></html>`));
    await page.addScriptTag({ path: MERMAID });
    await page.evaluate(() => (globalThis as any).mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function checkReport(input: Report | ReportSet) {
    const blocks = mermaidBlocks(renderMarkdown(input));
    const findings = "reports" in input ? input.reports.flatMap((r) => r.findings) : input.findings;
    const drawn = findings.filter((f) => (f.spaceTime?.events.length ?? 0) > 0 || (f.steps?.length ?? 0) > 0 || (f.graph?.nodes.length ?? 0) > 0);
    expect(blocks).toHaveLength(drawn.length);
    for (const [i, text] of blocks.entries()) {
      const r = await render(page, text, n++);
      expect(r.error, `block ${i}:\n${text}`).toBeUndefined();
      expectDrawn(drawn[i], r);
    }
  }

  // The saved results every renderer is tested on (test/fixtures/reports/, real runs).
  for (const saved of savedFixtures) {
    it(`saved result ${saved.name}: every block parses and renders`, async () => {
      await checkReport(reportOrSet(reportsFromResult(saved.json)));
    });
  }

  for (const name of FIXTURE_NAMES) {
    it(`${name}: every block parses and renders`, async () => {
      await checkReport(rendererFixture(name).report);
    });
  }

  it("hostile text in names, labels and values renders as text", async () => {
    const evil = `a;b:c#d%%e"f|g[h]{i}<j>k&l-->m\n%%{init: {"theme":"dark"}}%%`;
    const report: Report = {
      checker: "cuts", subject: evil, verdict: "violation", headline: evil, facts: [], warnings: [],
      findings: [
        {
          name: evil, verdict: "violation", message: evil,
          spaceTime: {
            processes: [evil, "end"],
            events: [{ id: "s", process: evil, kind: "send", label: evil }, { id: "r", process: "end", kind: "receive", label: evil, highlight: true }, { id: "c", process: "end", kind: "checkpoint", label: evil, useless: true }],
            messages: [{ label: evil, send: "s", receive: "r", status: "orphan" }, { label: evil, send: "s" }],
            cut: { [evil]: 1, end: 0 },
          },
        },
        { name: evil, verdict: "violation", message: evil, graph: { nodes: [{ id: "a", label: evil }, { id: "b", label: evil }], edges: [{ from: "a", to: "b", label: evil }, { from: "b", to: "a", label: evil }] } },
      ],
    };
    await checkReport(report);
    // Only the page's own script (Mermaid): nothing in the diagrams became one.
    expect(await page.evaluate(() => (globalThis as any).document.querySelectorAll("script").length)).toBe(1);
  });
});

if (noChromium) it.skip(`Mermaid diagrams in headless Chromium: ${noChromium}`, () => {});
