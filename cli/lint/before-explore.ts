/**
 * The lint `explore` runs first: an impure or non-deterministic spec makes the explorer's
 * verdict meaningless (a state space that is not a function of the spec), so findings stop
 * the run. Imports nothing heavy: a cached result costs a few hashes (see cache.ts).
 */
import { formatFindings, lintSpecs, SpecParseError } from "./lint.ts";

/** The message that stops `explore`, or undefined when the spec is clean. */
export async function specLintProblem(specFile: string): Promise<string | undefined> {
  let findings;
  try {
    [{ findings }] = await lintSpecs([specFile]);
  } catch (e) {
    // Said, never skipped silently: a spec the lint could not read has not been linted.
    if (e instanceof SpecParseError) return `spec lint: ${e.message}\n(run with --no-lint to skip this check)`;
    throw e;
  }
  if (findings.length === 0) return undefined;
  const shown = findings.slice(0, 10);
  return `spec lint: ${findings.length} finding${findings.length === 1 ? "" : "s"} (an impure spec makes the explorer's verdict meaningless):\n${formatFindings(shown)}${findings.length > shown.length ? `\n... and ${findings.length - shown.length} more (dscheck lint ${specFile})` : ""}\n(run with --no-lint to skip this check)`;
}
