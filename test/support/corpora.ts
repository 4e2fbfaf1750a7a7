/**
 * Test helpers shared by the ground-truth tests: locate the external corpora (env
 * DSCHECK_CORPORA or ../shared/corpora next to the repository) and read VERDICT_INDEX.csv,
 * the verdicts written by others.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Whether this run is CI (CI=true, as the CI runner sets it): ground truth is then required. */
export const onCi = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";

/**
 * The corpora folder, or undefined when this checkout has none (a user's fresh clone: the
 * ground-truth tests skip). Under CI a missing folder is an error, never a skip: a CI run
 * that checked no corpus must not pass for one that did.
 */
export function corporaDir(env: Record<string, string | undefined> = process.env): string | undefined {
  const dir = env.DSCHECK_CORPORA ?? join(repoRoot, "../shared/corpora");
  if (existsSync(join(dir, "VERDICT_INDEX.csv"))) return dir;
  const ci = !!env.CI && env.CI !== "false" && env.CI !== "0";
  if (ci) throw new Error(`CI is set but the corpora are missing at ${dir} (set DSCHECK_CORPORA, or lay ../shared/corpora beside the repository)`);
  return undefined;
}

/** Every file below `dir` whose name ends with one of `suffixes`, in folder order. */
export function filesBelow(dir: string, suffixes: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (suffixes.some((s) => p.endsWith(s))) files.push(p);
    }
  };
  walk(dir);
  return files;
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      field = "";
      if (row.some((f) => f !== "")) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

/** The rows of VERDICT_INDEX.csv. */
export function verdictIndex(dir: string): Record<string, string>[] {
  return parseCsv(readFileSync(join(dir, "VERDICT_INDEX.csv"), "utf8"));
}

