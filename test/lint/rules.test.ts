// The lint rules against their fixtures (test/fixtures/lint/). The oracle is written in the
// fixtures themselves: a `/*!rule*/` comment stands right before each place a finding must
// start, so every expected finding is an exact file:line:col that a person chose, and a
// `-ok` fixture (no markers) holds look-alikes that must not be flagged. Then every spec of
// specs/ must be clean.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { lintSpecs, type LintResult } from "../../cli/lint/lint.ts";
import { repoRoot } from "../support/corpora.ts";

const fixtures = join(repoRoot, "test", "fixtures", "lint");
const RULES = ["random", "clock", "io", "module-state", "state-mutation", "missing-return"];

/** The findings the markers of `file` ask for: "file:line:col rule", the position just after each marker. */
function marked(file: string): string[] {
  const out: string[] = [];
  readFileSync(file, "utf8").split("\n").forEach((text, i) => {
    for (const m of text.matchAll(/\/\*!([a-z-]+)\*\//g)) out.push(`${relative(repoRoot, file)}:${i + 1}:${m.index! + m[0].length + 1} ${m[1]}`);
  });
  return out;
}

const found = (r: LintResult) => r.findings.map((f) => `${relative(repoRoot, join(process.cwd(), f.file))}:${f.line}:${f.column} ${f.rule}`).sort();

describe("lint rules", async () => {
  const specs = RULES.flatMap((r) => [join(fixtures, `${r}.ts`), join(fixtures, `${r}-ok.ts`)]);
  const results = await lintSpecs(specs, { cache: false });
  const byFile = new Map(results.map((r) => [r.spec, r]));

  it.each(RULES)("%s: a finding exactly at every marker of its fixture, and none elsewhere", (rule) => {
    const r = byFile.get(join(fixtures, `${rule}.ts`))!;
    const expected = r.files.flatMap((f) => marked(join(process.cwd(), f))).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every((e) => e.endsWith(` ${rule}`))).toBe(true);
    expect(found(r)).toEqual(expected);
    for (const f of r.findings) expect(f.message).not.toContain("\n");
  });

  it.each(RULES)("%s: nothing flagged in its look-alike fixture", (rule) => {
    const r = byFile.get(join(fixtures, `${rule}-ok.ts`))!;
    expect(r.files.flatMap((f) => marked(join(process.cwd(), f)))).toEqual([]);
    expect(found(r)).toEqual([]);
  });

  it("follows local imports (the helper is linted with the spec), never into the checker", () => {
    const r = byFile.get(join(fixtures, "state-mutation.ts"))!;
    expect(r.files.map((f) => relative(repoRoot, join(process.cwd(), f)))).toEqual(["test/fixtures/lint/state-mutation.ts", "test/fixtures/lint/helpers/bump.ts"]);
    expect(found(r).some((f) => f.startsWith("test/fixtures/lint/helpers/bump.ts:"))).toBe(true);
    for (const x of results) for (const f of x.files) expect(f).not.toMatch(/(^|\/)(checker|dist|node_modules)\//);
  });
});

describe("the specs of specs/", async () => {
  const specs = readdirSync(join(repoRoot, "specs")).filter((f) => f.endsWith(".ts")).map((f) => join(repoRoot, "specs", f));
  const results = await lintSpecs(specs, { cache: false });

  it("are all linted, local imports included", () => {
    expect(results.length).toBeGreaterThanOrEqual(15);
    const crash = results.find((r) => r.spec.endsWith("two-phase-commit-crash.ts"))!;
    expect(crash.files.map((f) => f.replace(/^.*specs\//, ""))).toEqual(["two-phase-commit-crash.ts", "two-phase-commit.ts"]);
  });

  it.each(specs.map((s) => [relative(repoRoot, s)]))("%s has no findings", (spec) => {
    const r = results.find((x) => x.spec === join(repoRoot, spec))!;
    expect(r.findings).toEqual([]);
  });
});
