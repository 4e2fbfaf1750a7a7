/* Generated from traces/schemas/report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * What `dscheck report --format json` writes: one Report (report/model.ts), or a ReportSet of several.
 */
export type ReportDocument = Report | ReportSet;
export type Verdict = "ok" | "violation" | "incomplete" | "error";

export interface Report {
  checker:
    "explore" | "trace validate" | "history check" | "history isolation" | "bivalence" | "cuts";
  /**
   * The spec or input file the result is about.
   */
  subject: string;
  verdict: Verdict;
  /**
   * One line, the diagnosis.
   */
  headline: string;
  location?: Location;
  facts: {
    label: string;
    value: string | number | boolean;
  }[];
  findings: Finding[];
  warnings: string[];
}
export interface Location {
  file: string;
  line?: number;
  pointer?: string;
}
export interface Finding {
  name: string;
  verdict: Verdict;
  message: string;
  location?: Location;
  /**
   * Named conjuncts of the failed property, evaluated in the last state, with the state fields they read.
   */
  blame?: {
    name: string;
    holds: boolean;
    reads?: {
      [k: string]: unknown;
    };
  }[];
  steps?: Step[];
  /**
   * Bivalence lassos: the run loops back to this step index forever.
   */
  loopsTo?: number;
  spaceTime?: SpaceTime;
  history?: HistoryView;
  graph?: GraphView;
  replay?: {
    command?: string;
    path?: number[];
  };
}
export interface Step {
  action: string;
  args: unknown[];
  label: string;
  changes: {
    path: string;
    before?: unknown;
    after?: unknown;
  }[];
  state: unknown;
  properties?: {
    [k: string]: boolean;
  };
  valence?: string;
  highlight?: boolean;
  traceLine?: number;
  process?: string;
}
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
  cut?: {
    [k: string]: number;
  };
  /**
   * Cuts with --recover: per process, how many of its events the recovery line keeps.
   */
  recoveryLine?: {
    [k: string]: number;
  };
}
export interface HistoryView {
  processes: string[];
  operations: {
    id: string;
    process: string;
    label: string;
    callAt: number;
    returnAt?: number;
    status: "ok" | "fail" | "info" | "nemesis";
    highlight?: boolean;
  }[];
  linearization?: string[];
  partial?: boolean;
}
export interface GraphView {
  nodes: {
    id: string;
    label: string;
  }[];
  edges: {
    from: string;
    to: string;
    label: string;
  }[];
}
export interface ReportSet {
  reports: Report[];
  /**
   * The worst verdict among the reports.
   */
  verdict: "ok" | "violation" | "incomplete" | "error";
}
