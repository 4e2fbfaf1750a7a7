/**
 * The one report model: every checker's result (explorer violations and examples, rejected
 * traces, non-linearizable histories, isolation anomalies, bivalence lassos, cuts) becomes a
 * `Report`, and every renderer (text, Markdown with Mermaid, HTML, JUnit) reads only this.
 * Adapters (`report/from-*.ts`) build it from a command's JSON result, so a saved result
 * renders the same as a fresh one (`dscheck report result.json`).
 *
 * Values inside the model (states, arguments, operation values) are JSON values as the
 * checker's JSON result wrote them: the model never holds a bigint or a Map.
 */

export type ReportVerdict = "ok" | "violation" | "incomplete" | "error";

export type ReportChecker = "explore" | "trace validate" | "history check" | "history isolation" | "bivalence" | "cuts";

/** Several results (several files, or merged shards) rendered together. */
export interface ReportSet {
  readonly reports: readonly Report[];
  /** The worst verdict among them. */
  readonly verdict: ReportVerdict;
}

export interface Report {
  readonly checker: ReportChecker;
  /** The spec or input file the result is about. */
  readonly subject: string;
  readonly verdict: ReportVerdict;
  /** One line, the diagnosis: JUnit's failure message, a GitHub annotation, a summary row. */
  readonly headline: string;
  /** Where the problem is, when it is in an input file (a trace line, a history line). */
  readonly location?: ReportLocation;
  /** Label/value pairs worth a glance: states, elapsed time, parameters, peak candidates. */
  readonly facts: readonly ReportFact[];
  /** One per property, anomaly, rejected trace or inconsistent cut; empty when all holds. */
  readonly findings: readonly Finding[];
  readonly warnings: readonly string[];
}

export interface ReportLocation {
  readonly file: string;
  readonly line?: number;
  /** A JSON pointer into the line or document. */
  readonly pointer?: string;
}

export interface ReportFact {
  readonly label: string;
  readonly value: string | number | boolean;
}

export interface Finding {
  /** The property, anomaly class or check: "electionSafety", "G-single", "linearizable". */
  readonly name: string;
  readonly verdict: ReportVerdict;
  /** A paragraph for a person: what failed and why. */
  readonly message: string;
  readonly location?: ReportLocation;
  /** Named conjuncts of the failed property, evaluated in the last state. */
  readonly blame?: readonly Conjunct[];
  /** A run of a state machine (explorer, trace validation, bivalence). */
  readonly steps?: readonly Step[];
  /** Bivalence lassos: the run loops back to this step index forever. */
  readonly loopsTo?: number;
  /** Processes, their events and the messages between them. */
  readonly spaceTime?: SpaceTime;
  /** Operations of a recorded history per process. */
  readonly history?: HistoryView;
  /** A dependency cycle (isolation) or other small graph. */
  readonly graph?: GraphView;
  /** How to reproduce it: a command line and the replay path. */
  readonly replay?: { readonly command?: string; readonly path?: readonly number[] };
}

export interface Conjunct {
  readonly name: string;
  readonly holds: boolean;
  /** The state fields (paths) the conjunct read, with their values. */
  readonly reads?: Readonly<Record<string, unknown>>;
}

export interface Step {
  /** "init" for the first step, else the action name. */
  readonly action: string;
  readonly args: readonly unknown[];
  readonly label: string;
  readonly changes: readonly { readonly path: string; readonly before: unknown; readonly after: unknown }[];
  readonly state: unknown;
  /** Every property's status in this step's state (true = holds). */
  readonly properties?: Readonly<Record<string, boolean>>;
  /** Bivalence: "bivalent", "0-valent", ... */
  readonly valence?: string;
  /** The step that violates (the last one of a counterexample, the rejected trace line). */
  readonly highlight?: boolean;
  /** Trace validation: the trace line this step matched. */
  readonly traceLine?: number;
  /** The process that takes this step, when the spec says (its `events` declaration). */
  readonly process?: string;
}

export type SpaceTimeEventKind = "send" | "receive" | "internal" | "checkpoint" | "crash";

export interface SpaceTime {
  readonly processes: readonly string[];
  /** In the order they happened (for a spec run: step order; for a log: a linear extension). */
  readonly events: readonly SpaceTimeEvent[];
  readonly messages: readonly SpaceTimeMessage[];
  /** Cuts: per process, how many of its events are inside the cut. */
  readonly cut?: Readonly<Record<string, number>>;
  /** Cuts with --recover: the recovery line, per process how many of its events it keeps (a second line beside a cut). */
  readonly recoveryLine?: Readonly<Record<string, number>>;
}

export interface SpaceTimeEvent {
  readonly id: string;
  readonly process: string;
  readonly kind: SpaceTimeEventKind;
  readonly label: string;
  /** The run step this event belongs to, when it comes from a run. */
  readonly step?: number;
  readonly highlight?: boolean;
  /** Checkpoints: useless (on a Z-cycle). */
  readonly useless?: boolean;
}

export interface SpaceTimeMessage {
  readonly label: string;
  /** Event ids: the send, and the receive unless the message is still in flight. */
  readonly send: string;
  readonly receive?: string;
  readonly status?: "delivered" | "in-flight" | "orphan";
  /** The receiver, when known (drawn for a message still in flight, which has no receive). */
  readonly to?: string;
}

export interface HistoryView {
  readonly processes: readonly string[];
  readonly operations: readonly HistoryOperation[];
  /** Operation ids in the order of the linearization found, or of the longest prefix. */
  readonly linearization?: readonly string[];
  /** True when `linearization` is only the longest linearizable prefix. */
  readonly partial?: boolean;
}

export interface HistoryOperation {
  readonly id: string;
  readonly process: string;
  readonly label: string;
  /** Logical or wall-clock times; `returnAt` is missing for operations that never returned. */
  readonly callAt: number;
  readonly returnAt?: number;
  readonly status: "ok" | "fail" | "info" | "nemesis";
  /** Marked in the picture: the operation the search could not place. */
  readonly highlight?: boolean;
}

export interface GraphView {
  readonly nodes: readonly { readonly id: string; readonly label: string }[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly label: string }[];
}

const RANK: Record<ReportVerdict, number> = { ok: 0, incomplete: 1, violation: 2, error: 3 };

/** The worst of several verdicts (error over violation over incomplete over ok). */
export function worstVerdict(verdicts: Iterable<ReportVerdict>): ReportVerdict {
  let worst: ReportVerdict = "ok";
  for (const v of verdicts) if (RANK[v] > RANK[worst]) worst = v;
  return worst;
}
