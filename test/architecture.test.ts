// The checker core knows nothing of the CLI, the file system, the process or the console:
// results are values, and only cli/ prints and exits.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/corpora.ts";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("core boundaries", () => {
  const core = files(join(repoRoot, "checker"));
  it.each(core.map((f) => [relative(repoRoot, f), f]))("%s imports no CLI, fs, process or console", (_name, file) => {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    expect(text).not.toMatch(/from\s+["'][^"']*\/cli\//);
    expect(text).not.toMatch(/from\s+["'][^"']*\/traces\//);
    expect(text).not.toMatch(/from\s+["'](node:)?(fs|fs\/promises|child_process|process)["']/);
    expect(text).not.toMatch(/\bprocess\.\w+/);
    expect(text).not.toMatch(/\bconsole\.\w+/);
    expect(text).not.toMatch(/Math\.random\b|Date\.now\b|new Date\(|performance\.now\b/);
  });
});
