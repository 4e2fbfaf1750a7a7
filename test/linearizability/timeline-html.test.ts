/**
 * The HTML timeline: structure asserted on the string, then (when Chromium is installed) the
 * page is loaded headless and the rendered DOM checked, proving it is a self-contained page
 * a browser draws.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHistory } from "../../checker/linearizability/check.ts";
import { builtinModel } from "../../checker/linearizability/models/registry.ts";
import { renderTimelineHtml } from "../../checker/linearizability/timeline-html.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";

const op = (id: number, process: number, f: string, value: unknown, output: unknown, call: number, ret: number): Operation<OpCall, unknown> => ({
  id, process, input: { f, value }, output, call, ret, completion: ret === Infinity ? "info" : "ok",
});

// p0 writes 1; p1 then reads 0 (stale) while p2's write of <2> is indeterminate.
const history = [
  op(0, 0, "write", 1, 1, 0, 2),
  op(1, 2, "write", 2, undefined, 1, Infinity),
  op(2, 1, "read", null, 0, 3, 4),
];
const model = builtinModel("register", { init: 0, nilReadMatchesAny: false })!;
const result = checkHistory(model, history);
const html = renderTimelineHtml(model, result, "stale <read>.edn");

function chromium(): string | undefined {
  for (const bin of ["chromium", "chromium-browser", "google-chrome"]) {
    if (spawnSync(bin, ["--version"], { encoding: "utf8" }).status === 0) return bin;
  }
  return undefined;
}

describe("HTML timeline", () => {
  it("is one self-contained document: no scripts, no external resources, title escaped", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href=/);
    expect(html).toContain("<title>stale &lt;read&gt;.edn - dscheck timeline</title>");
  });
  it("draws a lane per process and an interval per operation, the prefix numbered, the blocker red", () => {
    expect(result.status).toBe("violation");
    expect(html.match(/class="lane"/g)?.length).toBeGreaterThanOrEqual(3);
    const linearizable = html.slice(html.indexOf("<section"), html.indexOf("</section>"));
    expect(linearizable).toContain("<h2>linearizable");
    expect(linearizable.match(/<g class="op /g)).toHaveLength(3);
    expect(linearizable).toMatch(/<g class="op placed" data-op="0" data-order="1">/);
    expect(linearizable).toMatch(/<g class="op blocker" data-op="2">/);
    expect(linearizable).toMatch(/<g class="op indeterminate" data-op="1"[ >]/);
  });
  const browser = chromium();
  it.skipIf(!browser)(`renders in headless Chromium${browser ? "" : " (skipped: chromium not installed)"}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "dscheck-html-"));
    const page = join(dir, "timeline.html");
    writeFileSync(page, html);
    const r = spawnSync(browser!, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", `file://${page}`], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(0);
    // The DOM the browser built: SVG parsed into elements with their attributes.
    expect(r.stdout).toMatch(/<svg[^>]*width="\d+"/);
    expect(r.stdout.match(/<rect /g)?.length).toBeGreaterThanOrEqual(3);
    expect(r.stdout).toContain('data-order="1"');
  }, 40_000);
});
if (!chromium()) console.log("timeline-html: chromium not installed, browser rendering check skipped");
