// Reading a trace on a thread of its own (traces/trace-log/read-thread.ts) gives exactly the
// lines and the error of reading it on the validating thread: same decoded lines, same line
// numbers, same message, on random files with stamped, repeated, bad and blank lines, CRLF,
// a BOM and invalid UTF-8, with and without declared fields; a caller that stops early
// stops the thread.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TraceLine } from "../../checker/index.ts";
import { canonicalCode } from "../../checker/values/value.ts";
import { traceLines } from "../../traces/trace-log/read.ts";
import { LINE_POOL, STAMPED_LINES, traceFileBytes } from "./line-pool.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-read-thread-"));
let serial = 0;
const VARS = new Set(["rmState", "tmState", "tmPrepared", "msgs"]);

const code = (v: unknown) => Array.from(canonicalCode(v)).join(",");
const lineText = (l: TraceLine) => JSON.stringify([l.event, code(l.eventArgs), [...l.vars].map(([k, x]) => [k, x.kind === "ops" ? x.ops.map((o) => [o.op, code(o.path), code(o.args)]) : code(x.value)]), code({ ...l.raw }), l.where]);

async function read(file: string, thread: boolean, fields: ReadonlySet<string> | undefined): Promise<{ lines: string[]; error?: string }> {
  const lines: string[] = [];
  try {
    for await (const l of traceLines(file, "ndjson", VARS, fields, { thread })) lines.push(lineText(l));
  } catch (e) {
    return { lines, error: (e as Error).message };
  }
  return { lines };
}

// The well-formed lines first (drawn most often), then stamped and bad ones.
const POOL = [...LINE_POOL.slice(0, 4), ...STAMPED_LINES, ...LINE_POOL.slice(4)];

describe("reading on a thread reads as reading in place", () => {
  it("same lines, numbers and errors on random files", async () => {
    let threaded = 0;
    await fc.assert(
      fc.asyncProperty(traceFileBytes(POOL, 40), fc.boolean(), async (bytes, declared) => {
        const file = join(dir, `r${serial++}.ndjson`);
        writeFileSync(file, bytes);
        const fields = declared ? new Set<string>() : undefined;
        const [onThread, inPlace] = [await read(file, true, fields), await read(file, false, fields)];
        expect(onThread).toEqual(inPlace);
        threaded++;
      }),
      { numRuns: 40, seed: 7 },
    );
    expect(threaded).toBe(40);
  }, 120_000);

  it("a file past one chunk, lines repeated with stamps, a bad line far in; a missing file", async () => {
    const lines: string[] = [];
    for (let i = 0, size = 0; size < 2.5 * 2 ** 20; i++) {
      lines.push(JSON.stringify({ event: "RMPrepare", event_args: [`rm-${i % 3}`], seq: i }));
      size += lines[i].length + 1;
    }
    lines[20_000] = '{"event": "RMPrepare", "seq": 1, "seq": 2}';
    const file = join(dir, `big${serial++}.ndjson`);
    writeFileSync(file, lines.join("\n") + "\n");
    for (const fields of [new Set<string>(), undefined]) {
      const [onThread, inPlace] = [await read(file, true, fields), await read(file, false, fields)];
      expect(onThread.error).toMatch(/:line 20001: /);
      expect(onThread).toEqual(inPlace);
    }
    const missing = join(dir, "missing.ndjson");
    expect(await read(missing, true, undefined)).toEqual(await read(missing, false, undefined));
  }, 60_000);

  it("a caller that stops after the first line stops the thread (the read ends, the next one works)", async () => {
    const file = join(dir, `stop${serial++}.ndjson`);
    writeFileSync(file, Array.from({ length: 200_000 }, (_, i) => `{"event":"TMAbort","seq":${i}}`).join("\n"));
    for (let round = 0; round < 3; round++) {
      let n = 0;
      for await (const _ of traceLines(file, "ndjson", VARS, new Set(), { thread: true })) if (++n === 1) break;
      expect(n).toBe(1);
    }
    expect((await read(file, true, new Set())).lines.length).toBe(200_000);
  }, 60_000);
});
