/**
 * The one place where a result becomes an exit code; every command uses it.
 * 0 holds within the requested bounds, 1 violation, 2 bad input / spec error / usage,
 * 3 a budget ran out before the check finished (never reported as success).
 */
export const EXIT = { ok: 0, violation: 1, error: 2, incomplete: 3 } as const;

/** Verdicts as the checkers report them ("unknown" is a history check out of budget). */
export type Verdict = "ok" | "violation" | "incomplete" | "unknown" | "error";

export function exitCodeFor(verdict: Verdict): number {
  switch (verdict) {
    case "ok":
      return EXIT.ok;
    case "violation":
      return EXIT.violation;
    case "incomplete":
    case "unknown":
      return EXIT.incomplete;
    case "error":
      return EXIT.error;
  }
}

/** Several files checked in one run: the worst verdict decides (error > violation > unknown > ok). */
export function combineExitCodes(codes: number[]): number {
  const rank = [EXIT.ok, EXIT.incomplete, EXIT.violation, EXIT.error];
  let worst: number = EXIT.ok;
  for (const c of codes) if (rank.indexOf(c as 0) > rank.indexOf(worst as 0)) worst = c;
  return worst;
}
