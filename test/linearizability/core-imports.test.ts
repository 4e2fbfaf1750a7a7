/** The core stays a library: no CLI, file system, process, console or ambient clock/randomness. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./corpus-helpers.ts";

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/from\s+["'][^"']*\/cli\//, "imports cli/"],
  [/from\s+["'](node:)?(fs|fs\/promises|child_process|process)["']/, "imports a Node I/O module"],
  [/\bprocess\./, "uses process"],
  [/\bconsole\./, "uses console"],
  [/\bDate\.now\b|\bnew Date\(/, "reads the clock"],
  [/\bMath\.random\b/, "uses Math.random"],
  [/\bperformance\.now\b/, "reads the clock"],
];

describe("checker/linearizability is a pure core", () => {
  const files = tsFiles(join(repoRoot, "checker/linearizability"));
  it("has files to scan", () => expect(files.length).toBeGreaterThan(10));
  for (const file of files) {
    it(`${file.slice(repoRoot.length + 1)} has no forbidden dependency`, () => {
      const text = readFileSync(file, "utf8");
      const hits = FORBIDDEN.filter(([re]) => re.test(text)).map(([, what]) => what);
      expect(hits).toEqual([]);
    });
  }
});
