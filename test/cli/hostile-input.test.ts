// Untrusted history files never crash the tool: one line naming the file, exit 2.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guardedRead, InputError } from "../../checker/history/input-error.ts";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import { readHistory } from "../../traces/porcupine/read-any.ts";
import { dscheck } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "dscheck-hostile-"));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe("hostile history files", () => {
  const cases: [string, string | Buffer][] = [
    ["empty.edn", ""],
    ["deep.edn", "[".repeat(200_000)],
    ["deep.json", "[".repeat(200_000)],
    ["binary.edn", Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))],
    ["not-ops.json", "[1, 2, 3]"],
  ];
  for (const [name, content] of cases) {
    it(`${name}: exit 2 with a one-line message naming the file`, () => {
      const p = file(name, content);
      for (const cmd of [["history", "check", "--model", "register"], ["history", "isolation"]]) {
        const r = dscheck([...cmd, p]);
        expect(r.code, `${cmd.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(name);
        expect(r.stdout).toBe("");
      }
    });
  }

  it("the readers throw nothing but InputError on random text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), fc.json()), (text) => {
        const readers: (() => unknown)[] = [() => readJepsenHistory(text, "h"), () => readHistory(text, "h")];
        for (const read of readers) {
          try {
            guardedRead("h", read);
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
