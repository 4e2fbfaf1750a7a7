/**
 * Headless Chromium for the report tests: the Debian package's browser (/usr/bin/chromium,
 * installed by .ci/run), driven by playwright-core. Never a downloaded browser. Pages are
 * written to test-artifacts/ and opened from disk (file://), as a user would open a report.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. */
export const noChromium: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (install the Debian package: apt-get install -y chromium); the browser tests are skipped`;

export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-artifacts");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export interface OpenedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions, as they happen. */
  readonly errors: string[];
  /** Every request other than the page file itself (a self-contained page makes none). */
  readonly requests: string[];
  readonly file: string;
}

/** Writes `html` to test-artifacts/<name>.html and opens it from disk. */
export async function openHtml(browser: Browser, name: string, html: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, requests, file };
}

/** Saves a screenshot of the page as test-artifacts/<name>.png (or at `path`) and returns its path. */
export async function screenshot(page: Page, name: string, path?: string): Promise<string> {
  const out = path ?? join(ARTIFACTS, `${name}.png`);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  return out;
}
