/** checker/serializability stays a library: no CLI, file system, process, console or ambient clock. */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const dir = resolve(import.meta.dirname, "../../checker/serializability");
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+["'][^"']*\/cli\//, "imports cli/"],
  [/from\s+["'](node:)?(fs|fs\/promises|child_process|process|os)["']/, "imports a Node I/O module"],
  [/\bprocess\./, "uses process"],
  [/\bconsole\./, "uses console"],
  [/\bDate\.now\b|\bnew Date\(|\bperformance\.now\b/, "reads the clock"],
  [/\bMath\.random\b/, "uses Math.random"],
];

describe("checker/serializability is a pure core", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
  it("has files to scan", () => expect(files.length).toBeGreaterThan(10));
  for (const f of files) {
    it(`${f} has no forbidden dependency and stays under 300 lines`, () => {
      const text = readFileSync(join(dir, f), "utf8");
      expect(FORBIDDEN.filter(([re]) => re.test(text)).map(([, what]) => what)).toEqual([]);
      expect(text.split("\n").length).toBeLessThan(300);
    });
  }
});
