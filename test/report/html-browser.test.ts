/**
 * The HTML report opened from disk in headless Chromium (the Debian package, driven by
 * playwright-core), for reports of real runs (./html-fixtures.ts): what the page draws is
 * checked against the command's own JSON (processes, messages, steps, operations, the
 * cycle), the page makes no request and logs no error, the keyboard moves the selection,
 * and a screenshot of every page is kept in test-artifacts/.
 */
import { statSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../report/model.ts";
import { renderHtml } from "../../report/render/html.ts";
import { launchChromium, noChromium, openHtml, screenshot } from "../support/browser.ts";
import { rendererFixture, type RendererFixture } from "./html-fixtures.ts";
import { fixtures as savedFixtures } from "./fixtures.ts";
import { reportOrSet, reportsFromResult } from "../../report/from-result.ts";

if (noChromium) console.warn(`test/report/html-browser.test.ts: ${noChromium}`);

/* eslint-disable @typescript-eslint/no-explicit-any -- raw command JSON, read field by field */
const count = (page: Page, selector: string) => page.locator(selector).count();
const setSize = (v: any) => (v && Array.isArray(v["#set"]) ? v["#set"].length : 0);

describe.skipIf(noChromium !== undefined)("the HTML report in headless Chromium", () => {
  let browser: Browser;
  const cache = new Map<string, RendererFixture>();
  const fixture = (name: string) => {
    if (!cache.has(name)) cache.set(name, rendererFixture(name));
    return cache.get(name)!;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the fixture's page, checks what every page must satisfy, and keeps a screenshot. */
  async function open(name: string, report: Report = fixture(name).report) {
    const opened = await openHtml(browser, `html-${name}`, renderHtml(report));
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    const png = await screenshot(opened.page, `html-${name}`);
    expect(statSync(png).size).toBeGreaterThan(10_000);
    await modelChecks(opened.page, report);
    return opened;
  }

  /** Everything the model holds is drawn: one element per process, event, message, step, operation, node, edge. */
  async function modelChecks(page: Page, report: Report, section = "r0") {
    for (const [i, f] of report.findings.entries()) {
      const id = `#${section}-f${i}`;
      if (f.spaceTime) {
        const st = f.spaceTime;
        expect(await count(page, `${id}-st line.lane`)).toBe(st.processes.length);
        expect(await count(page, `${id}-st g.ev`)).toBe(st.events.length);
        expect(await count(page, `${id}-st g.msg`)).toBe(st.messages.length);
        expect(await count(page, `${id}-st g.msg.in-flight`)).toBe(st.messages.filter((m) => m.receive === undefined && m.status !== "orphan").length);
        expect(await count(page, `${id}-st g.msg.orphan`)).toBe(st.messages.filter((m) => m.status === "orphan").length);
        expect(await count(page, `${id}-st g.ev.hl`)).toBe(st.events.filter((e) => e.highlight).length);
        expect(await count(page, `${id}-st g.cut`)).toBe(st.cut ? 1 : 0);
        expect(await count(page, `${id}-st g.recovery-line`)).toBe(st.recoveryLine ? 1 : 0);
      }
      const steps = f.steps ?? [];
      expect(await count(page, `${id} li.step`)).toBe(steps.length);
      const hl = steps.findIndex((s) => s.highlight);
      if (hl >= 0) expect(await page.locator(`${id} li.step.hl`).getAttribute("data-step")).toBe(String(hl));
      const props = steps.reduce((n, s) => n + Object.keys(s.properties ?? {}).length, 0);
      expect(await count(page, `${id} .props .chip`)).toBe(props);
      expect(await count(page, `${id} table.blame tbody tr`)).toBe(f.blame?.length ?? 0);
      if (f.history) {
        expect(await count(page, `${id}-hist g.op`)).toBe(f.history.operations.length);
        expect(await count(page, `${id}-hist .lane-name`)).toBe(new Set([...f.history.processes, ...f.history.operations.map((o) => o.process)]).size);
        expect(await count(page, `${id}-hist g.op.hl`)).toBe(f.history.operations.filter((o) => o.highlight).length);
        expect(await count(page, `${id}-hist g.rank`)).toBe(f.history.linearization?.length ?? 0);
      }
      if (f.graph) {
        expect(await count(page, `${id}-graph g.node`)).toBe(f.graph.nodes.length);
        expect(await count(page, `${id}-graph g.edge`)).toBe(f.graph.edges.length);
      }
      if (f.loopsTo !== undefined) {
        expect(await count(page, `${id}-lasso g.lasso-step`)).toBe(steps.length);
        expect(await count(page, `${id}-lasso g.loop`)).toBe(1);
      }
    }
  }

  // The saved results every renderer is tested on (test/fixtures/reports/, real runs).
  for (const saved of savedFixtures) {
    it(`saved result ${saved.name}: everything in its reports is drawn, no error, no request`, async () => {
      const reports = reportsFromResult(saved.json);
      const { page, errors, requests } = await openHtml(browser, `html-saved-${saved.name}`, renderHtml(reportOrSet(reports)));
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      for (const [k, report] of reports.entries()) await modelChecks(page, report, `r${k}`);
      await screenshot(page, `html-saved-${saved.name}`);
      await page.close();
    });
  }

  it("Raft doubleVote: 3 lanes, the 4 vote messages, 11 steps with the last highlighted; keyboard and clicks move the selection", async () => {
    const { json } = fixture("raft-double-vote");
    const v = json.violation as any;
    const { page } = await open("raft-double-vote");
    // Independent of the space-time code: lanes are the servers, arrows the messages the
    // trace adds to msgs (each RequestVote/RVResp is addressed to one server).
    const trace = v.trace as any[];
    const added = trace.slice(1).reduce((n, s, i) => n + setSize(s.state.msgs) - setSize(trace[i].state.msgs), 0);
    expect(await count(page, "#r0-f0-st line.lane")).toBe((json.params as any).servers);
    expect(await count(page, "#r0-f0-st g.msg")).toBe(added);
    expect(added).toBe(4);
    expect(await count(page, "#r0-f0 li.step")).toBe(trace.length);
    expect(trace.length).toBe(11);
    const current = () => page.locator("#r0-f0 li.step[aria-current]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-step"))));
    expect(await current()).toEqual([10]);
    expect(await page.locator("#r0-f0 li.step.hl").getAttribute("data-step")).toBe("10");
    await page.keyboard.press("k");
    expect(await current()).toEqual([9]);
    await page.keyboard.press("ArrowUp");
    expect(await current()).toEqual([8]);
    await page.keyboard.press("j");
    expect(await current()).toEqual([9]);
    // The diagram emphasises the selected step: its column and exactly its events.
    expect(await page.locator("#r0-f0-st rect.band.sel").getAttribute("data-steps")).toBe("9");
    const eventsOf9 = (v.spaceTime.events as any[]).filter((e) => e.step === 9).length;
    expect(await count(page, "#r0-f0-st g.ev.sel")).toBe(eventsOf9);
    expect(await page.locator("#r0-f0-st .st-caption").textContent()).toContain("step 9:");
    // Home goes to the first step and scrolls it into view.
    await page.keyboard.press("Home");
    expect(await current()).toEqual([0]);
    const box = await page.locator("#r0-f0 li.step[data-step='0']").boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + Math.min(box!.height, 40)).toBeLessThanOrEqual(viewport.height);
    // A click on an event selects its step.
    const e5 = (v.spaceTime.events as any[]).find((e) => e.step === 5).id;
    await page.locator(`#r0-f0-st g.ev[data-event="${e5}"]`).click();
    expect(await current()).toEqual([5]);
    await page.close();
  });

  it("TwoPhase commitWithoutVotes: the TM and every RM a lane; Commit goes to every RM, one delivered and the rest in flight", async () => {
    const { json, report } = fixture("two-phase-commit-without-votes");
    const { page } = await open("two-phase-commit-without-votes");
    const rms = (json.params as any).rms as number;
    const trace = (json.violation as any).trace as any[];
    expect(await count(page, "#r0-f0-st line.lane")).toBe(rms + 1);
    // Oracle from the trace: a Commit reaches each RM once; the RMRcvCommitMsg steps delivered some.
    const delivered = trace.filter((s) => s.action === "RMRcvCommitMsg").length;
    expect(await count(page, "#r0-f0-st g.msg")).toBe(rms);
    expect(await count(page, "#r0-f0-st g.msg:not(.in-flight)")).toBe(delivered);
    expect(await count(page, "#r0-f0 li.step")).toBe(trace.length);
    expect(report.findings[0].steps!.at(-1)!.highlight).toBe(true);
    await page.close();
  });

  it("a stale read: one lane per process and the nemesis, every operation a bar, the blocker marked, the never-returned write open-ended", async () => {
    const { json } = fixture("stale-read");
    const { page } = await open("stale-read");
    const ops = (json.timeline as any).operations as any[];
    expect(await count(page, "#r0-f0-hist g.op")).toBe(ops.length + 2);
    expect(await count(page, "#r0-f0-hist g.op.nemesis")).toBe(2);
    expect(await count(page, "#r0-f0-hist g.op.info.open")).toBe(1);
    expect(await page.locator("#r0-f0-hist g.op.hl").textContent()).toContain((json.explanations as any)[0].blocker.text);
    expect(await count(page, "#r0-f0-hist g.rank")).toBe((json.explanations as any)[0].prefix.length);
    await page.close();
  });

  it("write skew: the G2-item cycle as a graph with its rw edges", async () => {
    const { json } = fixture("write-skew");
    const { page } = await open("write-skew");
    const anomaly = (json.anomalies as any[])[0];
    expect(await count(page, "#r0-f0-graph g.node")).toBe(anomaly.txns.length);
    expect(await page.locator("#r0-f0-graph g.edge text").allTextContents()).toEqual(anomaly.cycle.map((e: any) => e.kind));
    await page.close();
  });

  it("an inconsistent cut: every process a lane, every message an arrow, the orphan in the warning colour, the cut drawn", async () => {
    const { json } = fixture("cut-with-orphan");
    const { page } = await open("cut-with-orphan");
    expect(await count(page, "#r0-f0-st line.lane")).toBe((json.processes as any[]).length);
    expect(await count(page, "#r0-f0-st g.ev")).toBe(json.events);
    expect(await count(page, "#r0-f0-st g.msg")).toBe(json.messages);
    expect(await count(page, "#r0-f0-st g.msg.orphan")).toBe((json.orphans as any[]).length);
    expect(await page.locator("#r0-f0-st text.msg-label.orphan").textContent()).toBe((json.orphans as any[])[0].msg);
    expect(await count(page, "#r0-f0-st g.cut")).toBe(1);
    const stroke = await page.locator("#r0-f0-st g.msg.orphan line").evaluate((el) => (globalThis as any).getComputedStyle(el).stroke);
    expect(stroke).toBe("rgb(188, 76, 0)");
    await page.close();
  });

  it("--cut with --recover: the cut and the recovery line, each where the command's JSON puts it on every lane, in its own style, both in the legend", async () => {
    const { json } = fixture("cut-and-recovery");
    const { page } = await open("cut-and-recovery");
    expect(await count(page, "#r0-f0-st g.cut")).toBe(1);
    expect(await count(page, "#r0-f0-st g.recovery-line")).toBe(1);
    const style = (sel: string) => page.locator(sel).evaluate((el) => { const c = (globalThis as any).getComputedStyle(el); return `${c.stroke} ${c.strokeDasharray}`; });
    expect(await style("#r0-f0-st g.recovery-line path")).not.toBe(await style("#r0-f0-st g.cut path"));
    expect(await page.locator("#r0-f0-st .legend").textContent()).toMatch(/cut.*recovery line/);
    // On each lane a line crosses between the process's k-th and (k+1)-th event, k from the JSON
    // (the events' dots are read from the page; the lines' path points are M/L pairs per lane).
    const names = (json.processes as any[]).map((p) => p.name as string);
    const cut = Object.fromEntries(Object.entries((json.cut as any).positions).map(([p, x]) => [p, (x as any).events as number]));
    const recovery = (json.recovery as any).positions as Record<string, number>;
    expect(recovery).not.toEqual(cut);
    const dots = await page.locator("#r0-f0-st g.ev").evaluateAll((els) => els.map((e) => { const b = (e.querySelector("circle, rect, path") as any).getBBox(); return { id: e.getAttribute("data-event")!, x: b.x + b.width / 2 }; }));
    const lineXs = async (sel: string) => (await page.locator(sel).getAttribute("d"))!.split(/[ML]/).filter(Boolean).map((pt) => Number(pt.trim().split(" ")[0]));
    for (const [sel, line] of [["#r0-f0-st g.cut path", cut], ["#r0-f0-st g.recovery-line path", recovery]] as const) {
      const xs = await lineXs(sel);
      names.forEach((p, lane) => {
        const x = xs[2 * lane];
        // Event ids are process:index (1-based): the k-th event of p is inside the line, the (k+1)-th outside.
        const own = dots.filter((d) => d.id.startsWith(`${p}:`)).sort((a, b) => a.x - b.x);
        const k = line[p];
        if (k > 0) expect(x, `${sel} on ${p} after event ${k}`).toBeGreaterThan(own[k - 1].x);
        if (k < own.length) expect(x, `${sel} on ${p} before event ${k + 1}`).toBeLessThan(own[k].x);
      });
    }
    await page.close();
  });

  it("the dueling-Paxos lasso: every step coloured by valence, the arc back to where the loop starts", async () => {
    const { json, report } = fixture("bivalence-lasso");
    const lasso = json.lasso as any;
    const i = report.findings.findIndex((f) => f.loopsTo !== undefined);
    expect(i).toBeGreaterThanOrEqual(0);
    const { page } = await open("bivalence-lasso");
    expect(await count(page, `#r0-f${i}-lasso g.lasso-step`)).toBe(1 + lasso.prefix.steps.length + lasso.loopSteps.length);
    expect(await count(page, `#r0-f${i}-lasso g.lasso-step.val-bi`)).toBe(lasso.valences.filter((x: any) => x.kind === "bivalent").length);
    expect(await count(page, `#r0-f${i}-lasso g.loop`)).toBe(1);
    expect(await page.locator(`#r0-f${i} li.step[data-step="${report.findings[i].loopsTo}"] .loop-flag`).count()).toBe(1);
    await page.close();
  });

  it("several reports on one page: a summary row each, and the keyboard follows the finding last clicked", async () => {
    const a = fixture("raft-double-vote").report, b = fixture("two-phase-commit-without-votes").report;
    const { page, errors, requests } = await openHtml(browser, "html-report-set", renderHtml({ reports: [a, b], verdict: "violation" }));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await count(page, "table.summary tbody tr")).toBe(2);
    expect(await count(page, "section.report")).toBe(2);
    await page.locator("#r1-f0 li.step[data-step='1']").click();
    await page.keyboard.press("j");
    expect(await page.locator("#r1-f0 li.step[aria-current]").getAttribute("data-step")).toBe("2");
    expect(await page.locator("#r0-f0 li.step[aria-current]").getAttribute("data-step")).toBe("10");
    await screenshot(page, "html-report-set");
    await page.close();
  });

  it("text from users, specs and logs stays text: no markup, no script, no request", async () => {
    const evil = `<img src=x onerror="window.__pwned=1">"'&</script><script>window.__pwned=2</script>`;
    const report: Report = {
      checker: "explore", subject: evil, verdict: "violation", headline: evil, facts: [{ label: evil, value: evil }], warnings: [evil],
      findings: [{
        name: evil, verdict: "violation", message: evil, location: { file: evil, line: 3, pointer: evil },
        blame: [{ name: evil, holds: false, reads: { [evil]: evil } }],
        replay: { command: evil, path: [0, 1] },
        steps: [
          { action: "init", args: [], label: evil, changes: [{ path: evil, before: undefined, after: evil }], state: { [evil]: evil }, properties: { [evil]: true } },
          { action: evil, args: [evil], label: evil, changes: [{ path: evil, before: evil, after: { "#set": [evil] } }], state: { x: evil }, highlight: true, valence: evil, traceLine: 7 },
        ],
        spaceTime: {
          processes: [evil, "b"],
          events: [{ id: evil, process: evil, kind: "send", label: evil, step: 1 }, { id: "r", process: "b", kind: "receive", label: evil, step: 1, highlight: true }],
          messages: [{ label: evil, send: evil, receive: "r", status: "delivered" }],
          cut: { [evil]: 1, b: 0 },
        },
        history: { processes: [evil], operations: [{ id: evil, process: evil, label: evil, callAt: 0, status: "info" }], linearization: [evil] },
        graph: { nodes: [{ id: evil, label: evil }, { id: "t", label: "t" }], edges: [{ from: evil, to: "t", label: evil }, { from: "t", to: evil, label: evil }] },
        loopsTo: 0,
      }],
    };
    const { page, errors, requests } = await openHtml(browser, "html-hostile", renderHtml(report));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await count(page, "img")).toBe(0);
    expect(await count(page, "script")).toBe(2);
    expect(await page.locator("h1 > span:not(.badge)").textContent()).toBe(evil);
    expect(await page.locator("#r0-f0 li.step[data-step='1']").getAttribute("data-label")).toBe(evil);
    expect(await page.locator("#r0-f0-st .lane-name title").first().textContent()).toBe(evil);
    expect(await page.locator("#r0-f0 .changes .after").last().textContent()).toBe(`{${JSON.stringify(evil)}}`);
    await page.keyboard.press("k");
    expect(await page.locator("#r0-f0 li.step[aria-current]").getAttribute("data-step")).toBe("0");
    await page.close();
  });
});

if (noChromium) it.skip(`the HTML report in headless Chromium: ${noChromium}`, () => {});
