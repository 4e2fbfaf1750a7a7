/**
 * Test helpers shared by the ground-truth tests: locate the external corpora (env
 * DSCHECK_CORPORA or ../shared/corpora next to the repository) and read VERDICT_INDEX.csv,
 * the verdicts written by others.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The corpora folder, or undefined when this checkout has none. */
export function corporaDir(): string | undefined {
  const dir = process.env.DSCHECK_CORPORA ?? join(repoRoot, "../shared/corpora");
  return existsSync(join(dir, "VERDICT_INDEX.csv")) ? dir : undefined;
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

