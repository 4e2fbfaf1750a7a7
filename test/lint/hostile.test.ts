// `dscheck lint` on files that are not clean specs, through the real CLI: each is exit 2 and
// one line naming the file (and the line where there is one), never a stack trace; a spec
// in a folder with spaces and a cycle of imports are linted like any other.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dscheck, repoRoot } from "../cli/run-cli.ts";

const work = mkdtempSync(join(tmpdir(), "dscheck-lint-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const put = (name: string, content: string | Buffer) => {
  const p = join(work, name);
  writeFileSync(p, content);
  return p;
};
const spec = `import { always, defineSpec } from "dscheck";\nexport default defineSpec({ name: "S", init: () => [{ n: 0 }], actions: [], properties: [always("p", () => true)] });\n`;

describe("dscheck lint, hostile files: exit 2, one line", () => {
  it.each([
    ["a file that is not TypeScript", () => put("notes.txt", "hello\n"), /notes\.txt: not a TypeScript file/],
    ["a binary file", () => put("bin.ts", Buffer.from([0, 1, 0xff, 0xfe, 0x20])), /bin\.ts:1:1: /],
    ["a syntax error", () => put("broken.ts", "export default {\n  a: ,\n"), /broken\.ts:2:\d+: /],
    ["a spec importing a file that does not exist", () => put("imports-missing.ts", `import { x } from "./gone.ts";\n${spec}`), /imports-missing\.ts:1:19: .*"\.\/gone\.ts".*does not exist/],
    ["a folder", () => (mkdirSync(join(work, "folder.ts")), join(work, "folder.ts")), /folder\.ts: a folder, not a file/],
  ])("%s", (_what, make, message) => {
    const r = dscheck(["lint", make()], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(message)]);
  });
});

describe("dscheck lint, awkward but valid", () => {
  it("a spec in a folder with spaces: findings name it", () => {
    mkdirSync(join(work, "with space"));
    const file = put("with space/random spec.ts", spec.replace("() => true", "() => Math.random() > 2"));
    const r = dscheck(["lint", file], { cwd: repoRoot });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/with space\/random spec\.ts:2:\d+ {2}random /);
  });

  it("a cycle of imports: both files linted once, the finding in the imported one found", () => {
    put("cyc-b.ts", `import { k } from "./cyc-a.ts";\nexport const j = () => k + Date.now();\n`);
    const a = put("cyc-a.ts", `import { j } from "./cyc-b.ts";\nexport const k = 1;\n${spec.replace("() => true", "() => j() > 0")}`);
    const r = dscheck(["lint", a, "--json", "--no-cache"], { cwd: work });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.specs[0].files).toEqual(["cyc-a.ts", "cyc-b.ts"]);
    expect(report.specs[0].findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`)).toEqual(["cyc-b.ts clock"]);
  });
});
