// EWD998ChanTrace.ndjson through the product's trace validator (checker/trace/validate.ts),
// with the trace mapping of specs/ewd998-chan.ts. tlaplus/Examples' manifest runs
// EWD998ChanTrace.cfg on this very file with the expected result "success": the trace is
// valid. test/specs/ewd998-chan.test.ts checks the same with two reference checkers of its
// own; this file needs the validator to read the mapping's causalOrder, eventOf and `where`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateTrace } from "../../checker/index.ts";
import spec from "../../specs/ewd998-chan.ts";
import { readNdjsonTrace } from "../../traces/trace-log/read.ts";
import { corporaDir } from "../support/corpora.ts";

const corpora = corporaDir();
const file = corpora && join(corpora, "tlaplus-examples/specifications/ewd998/EWD998ChanTrace.ndjson");

describe.skipIf(!file)("EWD998ChanTrace.ndjson, validated", () => {
  it("is valid (654 steps after the {\"N\": 5} header)", async () => {
    const verdict = validateTrace(spec, await readNdjsonTrace(file!, spec), {});
    expect(verdict.status).toBe("valid");
    expect(verdict.params).toMatchObject({ N: 5, traceInit: true, constraint: false });
    expect(verdict.lines).toBe(654);
    expect(verdict.matched).toBe(654);
    // The witness: an initial state (one of TraceInit's 5) and one spec step per line but
    // for the 208 token receipts and 10 "trm" lines, which are stuttering steps (no silent
    // steps).
    expect(verdict.path).toHaveLength(1 + 654 - 208 - 10);
    // The trace leaves only the order within an inbox open (see ewd998-chan.test.ts).
    expect(verdict.peakCandidates).toBeLessThanOrEqual(5);
  });

  it("rejects it at the line whose token does not match the spec's", async () => {
    const text = readFileSync(file!, "utf8").trim().split("\n");
    // A token receipt late enough that the token has been around the ring.
    const i = text.findIndex((t, k) => {
      if (k === 0) return false;
      const l = JSON.parse(t) as { event: string; pkt: { msg?: { type: string }; vc: Record<string, number> } };
      return l.event === "<" && l.pkt.msg?.type === "tok" && l.pkt.vc["2"] > 40;
    });
    const bad = JSON.parse(text[i]) as { pkt: { msg: { q: number } } };
    bad.pkt.msg.q = 99;
    text[i] = JSON.stringify(bad);
    const corrupted = join(mkdtempSync(join(tmpdir(), "ewd998-")), "corrupted.ndjson");
    writeFileSync(corrupted, text.join("\n") + "\n");
    const verdict = validateTrace(spec, await readNdjsonTrace(corrupted, spec), {});
    expect(verdict.status).toBe("rejected");
    expect(verdict.rejection?.where).toBe(`${corrupted}:${i + 1}`);
  });
});
