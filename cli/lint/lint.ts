/**
 * `lintSpecs(files)`: the findings of every rule (rules.ts) in each spec file and the local
 * modules it imports (project.ts), with a cache keyed by the contents of the files linted
 * and of the linter itself (cache.ts): loading the compiler costs more than an explore
 * start-up should, so a spec is linted again only when one of its files changed. The specs
 * the cache cannot answer are loaded into one compiler program together.
 */
import { statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { readCached, writeCached } from "./cache.ts";
import { SpecParseError } from "./parse-error.ts";
import type { Finding } from "./rule-names.ts";

export { SpecParseError };
export type { Finding };

export interface LintResult {
  /** The spec, as given. */
  readonly spec: string;
  /** The files linted (relative to the working directory), the spec first. */
  readonly files: readonly string[];
  readonly findings: readonly Finding[];
  /** Whether the result came from the cache. */
  readonly cached: boolean;
}

const TS_FILE = /\.[mc]?tsx?$/;

const display = (file: string) => relative(process.cwd(), file) || file;

/** Lints each spec (throws SpecParseError for a file that is missing or does not parse). */
export async function lintSpecs(specs: readonly string[], options: { cache?: boolean } = {}): Promise<LintResult[]> {
  const useCache = options.cache ?? true;
  const abs = specs.map((s) => {
    const a = resolve(s);
    const st = statSync(a, { throwIfNoEntry: false });
    if (!st) throw new SpecParseError(`${s}: no such file`);
    if (!st.isFile()) throw new SpecParseError(`${s}: ${st.isDirectory() ? "a folder" : "a device or pipe"}, not a file`);
    if (!TS_FILE.test(a)) throw new SpecParseError(`${s}: not a TypeScript file (.ts, .mts, .cts or .tsx): a spec is loaded as TypeScript`);
    return a;
  });
  const results = new Map<string, { files: readonly string[]; findings: readonly Finding[]; cached: boolean }>();
  for (const a of abs) {
    const hit = useCache ? readCached(a) : undefined;
    if (hit) results.set(a, { ...hit, cached: true });
  }
  const missed = [...new Set(abs.filter((a) => !results.has(a)))];
  if (missed.length) {
    // ts-morph (and the compiler in it) only when the cache cannot answer.
    const { loadSpecProject } = await import("./project.ts");
    const { lintFiles } = await import("./rules.ts");
    const loaded = loadSpecProject(missed);
    for (const a of missed) {
      // Each spec is analysed over its own files only, so that its findings never depend on
      // which other specs were linted with it.
      const sources = loaded.filesOf.get(a)!;
      const files = sources.map((f) => f.fileName);
      const own = lintFiles(sources, loaded.checker, (f) => f);
      if (useCache) writeCached(a, files, own);
      results.set(a, { files, findings: own, cached: false });
    }
  }
  return specs.map((spec, i) => {
    const r = results.get(abs[i])!;
    return { spec, files: r.files.map(display), findings: r.findings.map((f) => ({ ...f, file: display(f.file) })), cached: r.cached };
  });
}

/** One line per finding: `file:line:col  rule  message`. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}:${f.column}  ${f.rule}  ${f.message}`).join("\n");
}
