/**
 * Makes docs/report-screenshot.png, the README's picture of a real report: Raft with the
 * doubleVote bug, explored by the CLI, its JSON result adapted and rendered as HTML, opened
 * from disk in headless Chromium (/usr/bin/chromium), cut below the space-time diagram and
 * the first steps. Rerun it after changing the HTML renderer:
 *
 *   npx tsx test/report/html-screenshot.ts
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderHtml } from "../../report/render/html.ts";
import { launchChromium, noChromium, openHtml } from "../support/browser.ts";
import { rendererFixture } from "./html-fixtures.ts";

const out = join(dirname(fileURLToPath(import.meta.url)), "../../docs/report-screenshot.png");

if (noChromium) {
  console.error(noChromium);
  process.exit(2);
}
const { report } = rendererFixture("raft-double-vote");
const browser = await launchChromium();
try {
  const { page, errors } = await openHtml(browser, "report-screenshot", renderHtml(report), { width: 1240, height: 900 });
  if (errors.length) throw new Error(`the page logged errors: ${errors.join("; ")}`);
  const figure = await page.locator("#r0-f0-st").boundingBox();
  const step = await page.locator("#r0-f0 li.step[data-step='2']").boundingBox();
  if (!figure || !step) throw new Error("no space-time diagram or steps on the page");
  const height = Math.ceil(Math.max(figure.y + figure.height, step.y + step.height) + 2);
  await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1240, height }, fullPage: true });
  console.log(`wrote ${out} (1240 x ${height})`);
} finally {
  await browser.close();
}
