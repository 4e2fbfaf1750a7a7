// Locating and loading the shared corpora (../shared/corpora, or $DSCHECK_CORPORA) for
// ground-truth tests, and reading VERDICT_INDEX.csv.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readJepsenHistory } from "../../traces/jepsen/read.ts";
import type { JepsenOp } from "../../checker/history/jepsen-op.ts";
import { corporaDir, parseCsv } from "../support/corpora.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const found = corporaDir();
/** Absolute path of the corpora folder. */
export const CORPORA = found ?? process.env.DSCHECK_CORPORA ?? resolve(root, "../shared/corpora");
/** Whether the corpora are present (a fresh clone has none and the tests skip; under CI, corporaDir throws instead). */
export const HAVE_CORPORA = found !== undefined;

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
  return parseCsv(readFileSync(join(CORPORA, "VERDICT_INDEX.csv"), "utf8")).map((r) => ({
    corpus: r.corpus, path: r.path, kind: r.kind, model: r.model_or_spec, expected: r.expected, strength: r.verdict_strength,
  }));
}

/**
 * Reads a corpus history with the shared Jepsen reader (which, like Elle, reads a record
 * without :f as a transaction and one without :process as process 0).
 */
export function readCorpusHistory(path: string): JepsenOp[] {
  return readJepsenHistory(readFileSync(join(CORPORA, path), "utf8"), path);
}
