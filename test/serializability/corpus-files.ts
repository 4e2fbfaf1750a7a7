// Locating and loading the shared corpora (../shared/corpora, or $DSCHECK_CORPORA) for
// ground-truth tests, and reading VERDICT_INDEX.csv.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import type { JepsenOp } from "../../traces/jepsen/op.ts";
import { InputError } from "../../traces/input-error.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Absolute path of the corpora folder. */
export const CORPORA = process.env.DSCHECK_CORPORA ?? resolve(root, "../shared/corpora");
/** Whether the corpora are present (a fresh clone has none; tests then skip). */
export const HAVE_CORPORA = existsSync(join(CORPORA, "VERDICT_INDEX.csv"));

/** One row of VERDICT_INDEX.csv. */
export interface VerdictRow {
  corpus: string;
  path: string;
  kind: string;
  model: string;
  expected: string;
  strength: string;
}

/** Rows of VERDICT_INDEX.csv (RFC 4180 quoting). */
export function verdictIndex(): VerdictRow[] {
  const text = readFileSync(join(CORPORA, "VERDICT_INDEX.csv"), "utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows.slice(1).map((r) => ({ corpus: r[0], path: r[1], kind: r[2], model: r[4], expected: r[5], strength: r[6] }));
}

/**
 * Reads a corpus history with the shared Jepsen reader (which, like Elle, reads a record
 * without :f as a transaction and one without :process as process 0).
 */
export function readCorpusHistory(path: string): JepsenOp[] {
  return readJepsenHistory(readFileSync(join(CORPORA, path), "utf8"), path);
}
