// CLI transcripts kept as golden files, exit codes included (timings masked).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";

const golden = join(import.meta.dirname, "golden");
afterEach(() => vi.restoreAllMocks());

async function transcript(commands: string[][]): Promise<string> {
  let text = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((text += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((text += String(s)), true));
  for (const args of commands) {
    text += `$ dscheck history isolation ${args.join(" ")}\n`;
    const code = await main(["history", "isolation", ...args.map((a) => (a.endsWith(".json") ? join(golden, a) : a))]);
    text += `exit ${code}\n`;
  }
  return text.replaceAll(`${golden}/`, "").replace(/, [\d.]+ ms\]/g, ", <ms> ms]");
}

it("write skew: the human report and exit codes", async () => {
  const text = await transcript([["write-skew.json"], ["--level", "snapshot-isolation", "write-skew.json"]]);
  expect(text).toBe(readFileSync(join(golden, "write-skew.txt"), "utf8"));
});
