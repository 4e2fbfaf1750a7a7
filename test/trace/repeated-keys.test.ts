// A trace line (or ITF document) that repeats a key says two things: JSON.parse keeps the
// last, another reader the first. It is malformed input naming the line, never a verdict.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../checker/history/input-error.ts";
import { traceLines, type TraceFormat } from "../../traces/trace-log/read.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-repeated-keys-"));
const variables = new Set(["rmState", "tmState", "tmPrepared", "msgs"]);

async function firstError(text: string, format: TraceFormat, name: string): Promise<unknown> {
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    for await (const _ of traceLines(path, format, variables));
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("repeated keys in traces", () => {
  it("ndjson: the line with the repeated key, wherever it repeats (top level or nested)", async () => {
    const good = '{"tmPrepared": [{"op": "AddElement", "path": [], "args": ["rm-0"]}], "event": "TMRcvPrepared"}';
    expect(await firstError(`${good}\n${good}\n`, "ndjson", "ok.ndjson")).toBeUndefined();
    const top = await firstError(`${good}\n{"event": "TMRcvPrepared", "event": "RMPrepare"}\n`, "ndjson", "top.ndjson");
    expect(top).toBeInstanceOf(InputError);
    expect((top as Error).message).toMatch(/top\.ndjson.*line 2.*"event" appears twice/);
    const nested = await firstError(`{"tmPrepared": [{"op": "AddElement", "op": "Update", "path": [], "args": ["rm-0"]}]}\n`, "ndjson", "nested.ndjson");
    expect((nested as Error).message).toMatch(/line 1.*"op" appears twice/);
  });

  it("states and ITF alike", async () => {
    const states = await firstError('{"tmState": "init", "tm\\u0053tate": "done"}\n', "states", "s.ndjson");
    expect((states as Error).message).toMatch(/line 1.*"tmState" appears twice/);
    const itf = await firstError('{"vars": ["x"],\n "states": [{"x": 1,\n "x": 2}]}', "itf", "t.itf.json");
    expect((itf as Error).message).toMatch(/t\.itf\.json#\/states\/0: \/states\/0\/x: the key "x" appears twice/);
  });
});
