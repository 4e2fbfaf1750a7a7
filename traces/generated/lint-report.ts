/* Generated from traces/schemas/lint-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * The JSON object `dscheck lint --json` prints: the findings per spec (exit 0 when there are none, 1 otherwise); or, for a spec that is missing or does not parse, or a usage error, one error (exit 2).
 */
export type LintReport = LintResults | LintError;

export interface LintResults {
  tool: "dscheck";
  command: "lint";
  /**
   * violation when any spec has a finding
   */
  status: "ok" | "violation";
  specs: LintedSpec[];
}
export interface LintedSpec {
  /**
   * the spec file, as given
   */
  spec: string;
  /**
   * the files linted: the spec, then the local modules it imports (relative to the working directory)
   */
  files: string[];
  findings: LintFinding[];
  /**
   * whether the result came from the lint cache (the files are unchanged since it was computed)
   */
  cached: boolean;
}
export interface LintFinding {
  file: string;
  line: number;
  column: number;
  rule: "random" | "clock" | "io" | "module-state" | "state-mutation" | "missing-return";
  /**
   * one line
   */
  message: string;
}
export interface LintError {
  tool: "dscheck";
  command?: "lint";
  status: "error";
  error: {
    kind: "bad-input" | "usage";
    message: string;
  };
}
