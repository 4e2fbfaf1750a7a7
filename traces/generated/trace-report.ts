/* Generated from traces/schemas/trace-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * The JSON object `dscheck trace validate --json` prints: one per run, with an entry per trace; or, when the spec, its parameters or the --config file cannot be used (or the command line is wrong), one usage error.
 */
export type TraceReport = TraceValidateReport | TraceUsageError;
export type TraceEntry = MalformedTrace | CheckedTrace;
export type CheckedTrace = {
  file: string;
  format: "ndjson" | "states" | "itf";
  status: "valid" | "rejected" | "incomplete" | "error";
  /**
   * Lines checked (header lines left out).
   */
  lines: number;
  matched: number;
  peakCandidates: number;
  finalCandidates: number;
  seconds: number;
  /**
   * The spec's parameters as the trace was checked (overrides and the mapping's config included); empty when the check stopped before binding them.
   */
  params: {
    [k: string]: number | string | boolean;
  };
  /**
   * Valid: a behaviour of the spec that produces the trace. Rejected: one that reaches the last matched line. Error: where the spec misbehaved, when known.
   */
  replayPath?: string;
  incompleteReason?: string;
  /**
   * A spec or trace-mapping error (exit 2).
   */
  error?: {
    kind:
      | "init-threw"
      | "action-threw"
      | "property-threw"
      | "malformed-state"
      | "nondeterministic"
      | "mutated-state"
      | "bad-spec"
      | "bad-path";
    message: string;
  };
  rejection?: Rejection;
  witnessSpaceTime?: SpaceTime;
  /**
   * Rejected: the last steps (at most 100) of the behaviour that reaches the last matched line (replayPath), state by state; index counts from the initial state.
   */
  witness?: {
    index: number;
    action: string;
    args: unknown[];
    label: string;
    state: unknown;
    changes: {
      path: string;
      before?: unknown;
      after?: unknown;
    }[];
    formatted?: string;
  }[];
};
export type Reason = {
  kind:
    | "guard"
    | "disabled"
    | "mismatch"
    | "no-instance"
    | "condition"
    | "stutter"
    | "mapping"
    | "accept";
  /**
   * The reason as the text report gives it.
   */
  text: string;
  action?: string;
  args?: unknown[];
  /**
   * @minItems 1
   */
  guards?: [string, ...string[]];
  variable?: string;
  /**
   * The logged value (mismatch).
   */
  expected?: unknown;
  /**
   * The value the action makes it (mismatch); absent when the state lacks the logged path.
   */
  actual?: unknown;
};

export interface TraceValidateReport {
  tool: "dscheck";
  command: "trace validate";
  /**
   * The spec file as given on the command line.
   */
  spec: string;
  specName: string;
  /**
   * The worst over the traces: error (a malformed trace or a spec error, exit 2) > rejected (exit 1) > incomplete (exit 3) > valid (exit 0).
   */
  status: "valid" | "rejected" | "incomplete" | "error";
  traces: TraceEntry[];
}
/**
 * A trace that could not be read or does not fit the spec's trace mapping (exit 2).
 */
export interface MalformedTrace {
  file: string;
  format: "ndjson" | "states" | "itf";
  status: "malformed";
  /**
   * One line naming the file and the line or JSON pointer.
   */
  error: string;
  seconds: number;
}
/**
 * The first line no candidate state could take, and why, for the first candidates.
 */
export interface Rejection {
  /**
   * 1-based among the checked lines; one past the last line when the mapping's accept predicate refused the final state.
   */
  line: number;
  /**
   * file:line, file#/states/N (ITF), or "end of trace".
   */
  where: string;
  event?: string;
  /**
   * How many candidates there were (only the first few are diagnosed).
   */
  of: number;
  candidates: Candidate[];
}
export interface Candidate {
  replayPath: string;
  /**
   * The candidate state as JSON (ITF tags for sets and maps: {"#set": [...]}, {"#map": [[k, v], ...]}).
   */
  state: unknown;
  reasons: Reason[];
}
/**
 * Rejected, for specs that declare `events`: the witness as processes, their events and the messages between them (report/space-time.ts); an event's step is its index in `witness`.
 */
export interface SpaceTime {
  processes: string[];
  events: {
    id: string;
    process: string;
    kind: "send" | "receive" | "internal" | "checkpoint" | "crash";
    label: string;
    step?: number;
    highlight?: boolean;
    useless?: boolean;
  }[];
  messages: {
    label: string;
    send: string;
    receive?: string;
    status?: "delivered" | "in-flight" | "orphan";
    to?: string;
  }[];
}
export interface TraceUsageError {
  tool: "dscheck";
  command: "trace validate";
  status: "error";
  error: {
    kind: "usage";
    /**
     * One line: a spec that does not load, a bad --param, a --config file that cannot be read, a bad option.
     */
    message: string;
  };
}
