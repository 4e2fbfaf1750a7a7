// CLI transcripts kept as golden files, exit codes included (timings masked).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";

// The CLI writes synchronously through cli/output.ts; the transcript collects it there.
const sink = vi.hoisted(() => ({ text: "" }));
vi.mock("../../cli/output.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../cli/output.ts")>();
  return { ...actual, writeOut: (t: string) => void (sink.text += t), writeErr: (t: string) => void (sink.text += t) };
});

const golden = join(import.meta.dirname, "golden");
afterEach(() => vi.restoreAllMocks());

async function transcript(commands: string[][]): Promise<string> {
  sink.text = "";
  for (const args of commands) {
    sink.text += `$ dscheck history isolation ${args.join(" ")}\n`;
    const code = await main(["history", "isolation", ...args.map((a) => (a.endsWith(".json") ? join(golden, a) : a))]);
    sink.text += `exit ${code}\n`;
  }
  return sink.text.replaceAll(`${golden}/`, "").replace(/, [\d.]+ ms\]/g, ", <ms> ms]");
}

it("write skew: the human report and exit codes", async () => {
  const text = await transcript([["write-skew.json"], ["--level", "snapshot-isolation", "write-skew.json"]]);
  expect(text).toBe(readFileSync(join(golden, "write-skew.txt"), "utf8"));
});
