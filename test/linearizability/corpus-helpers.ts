/** Linearizability ground-truth helpers (corpus location and CSV reading are shared). */
export { corporaDir, parseCsv, repoRoot, verdictIndex } from "../support/corpora.ts";

/** "linearizable"/"VALID ..." -> true, "NOT linearizable"/"INVALID ..." -> false. */
export function expectedLinearizable(expected: string): boolean {
  return !/^(NOT|INVALID)\b/.test(expected.trim());
}
