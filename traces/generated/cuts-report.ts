/* Generated from traces/schemas/cuts-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * The JSON object `dscheck cuts --json` prints: the analysis of one event log; or, for a log that cannot be read or checked (exit 2), one error naming the file and line; or a command-line usage error.
 */
export type CutsReport = CutsAnalysisReport | CutsInputError | CutsUsageError;

export interface CutsAnalysisReport {
  tool: "dscheck";
  command: "cuts";
  /**
   * The log as given on the command line.
   */
  file: string;
  format: "ndjson" | "shiviz";
  /**
   * ok (exit 0), violation (exit 1), incomplete: --max-cuts ran out (exit 3).
   */
  status: "ok" | "violation" | "incomplete";
  /**
   * One line per reason for the status.
   */
  findings: string[];
  processes: {
    name: string;
    events: number;
    /**
     * Checkpoint ids in order (the initial checkpoint left out).
     */
    checkpoints: string[];
  }[];
  events: number;
  messages: number;
  clockKind: "vector" | "lamport" | "none";
  /**
   * The first 100 clock errors.
   */
  clockErrors: ClockError[];
  clockErrorCount: number;
  /**
   * --cut: whether the cut is consistent (also in cut).
   */
  consistent?: boolean;
  /**
   * --cut: its orphan messages (also in cut).
   */
  orphans?: MessageRef[];
  cut?: CutReport;
  stable?: StableReport;
  /**
   * --recover: where each process restarts (also in recovery).
   */
  recoveryLine?: {
    [k: string]: string;
  };
  rolledBackEvents?: {
    [k: string]: number;
  };
  dominoEffect?: boolean;
  recovery?: RecoveryReport;
  /**
   * Ids of the checkpoints in no consistent global checkpoint.
   */
  uselessCheckpoints: string[];
  useless: {
    id: string;
    process: string;
    /**
     * Messages on the Z-cycle reported for it.
     */
    zCycleLength: number;
    /**
     * The Z-cycle; left out once the report lists 200,000 Z-cycle messages in all (every useless checkpoint is still named, with its cycle's length).
     *
     * @minItems 1
     */
    zCycle?: [MessageRef, ...MessageRef[]];
  }[];
  rounds: RoundReport[];
  lattice?: Lattice;
  /**
   * The computation itself, for reports (dscheck report, --md, --html): each process's events in order, and every message with its send and receive (as in MessageRef: 1-based event indices).
   */
  computation?: {
    events: {
      kind: "internal" | "send" | "receive" | "checkpoint";
      line: number;
      label?: string;
      checkpoint?: string;
    }[][];
    messages: MessageRef[];
  };
}
/**
 * A recorded clock that is wrong; `other` is the other event of the pair that exposes it, `expected` the computed vector clock (vector clocks only).
 */
export interface ClockError {
  kind: "vector" | "lamport";
  event: EventRef;
  other?: EventRef;
  recorded:
    | number
    | {
        [k: string]: number;
      };
  /**
   * The computed vector clock (vector clocks only).
   */
  expected?: {
    [k: string]: number;
  };
  message: string;
}
export interface EventRef {
  process: string;
  index: number;
  line: number;
}
export interface MessageRef {
  /**
   * The message id (text logs: sender:index->receiver:index).
   */
  msg: string;
  from: string;
  to: string;
  sendIndex: number;
  /**
   * Absent for a message never received.
   */
  receiveIndex?: number;
  sendLine: number;
  receiveLine?: number;
}
export interface CutReport {
  /**
   * Per process: the events the cut keeps and how it names the position (a count, a checkpoint id, initial or end).
   */
  positions: {
    [k: string]: {
      events: number;
      at: string;
    };
  };
  consistent: boolean;
  orphans: MessageRef[];
  /**
   * Non-empty channels, by sender then receiver: the messages sent inside the cut and not received inside it.
   */
  inFlight: {
    from: string;
    to: string;
    /**
     * Message ids in send order.
     *
     * @minItems 1
     */
    messages: [string, ...string[]];
  }[];
}
/**
 * --stable with --cut: a stable property on the cut's global state (process states and channel states).
 */
export interface StableReport {
  property: "termination" | "deadlock";
  /**
   * Only a consistent cut is a global state of the run.
   */
  consistentCut: boolean;
  /**
   * The property on the cut's local and channel states.
   */
  holds: boolean;
  /**
   * The cut is consistent and the property holds: being stable, it holds at every later cut and at the end.
   */
  guaranteedAtEnd: boolean;
  /**
   * The property evaluated directly at the end of the log.
   */
  atEnd: boolean;
  /**
   * termination: processes active at the cut.
   */
  active: string[];
  /**
   * Messages in flight at the cut.
   */
  inFlight: string[];
  /**
   * deadlock: the largest deadlocked set.
   */
  deadlocked: string[];
  /**
   * deadlock: a wait-for cycle in it, the first process repeated last.
   */
  cycle: string[];
  /**
   * Whether any event of the log records what the property reads (state, or blocked).
   */
  recorded: boolean;
}
export interface RecoveryReport {
  /**
   * @minItems 1
   */
  failed: [string, ...string[]];
  /**
   * The recovery line: a checkpoint id, initial, end, or C+n (checkpoint C, then n events replayed from the message log) per process.
   */
  line: {
    [k: string]: string;
  };
  /**
   * The recovery line as event counts.
   */
  positions: {
    [k: string]: number;
  };
  rolledBackEvents: {
    [k: string]: number;
  };
  /**
   * Per process: the events replayed from the message log after its restored checkpoint.
   */
  replayedEvents: {
    [k: string]: number;
  };
  /**
   * Logged receives whose send the recovery undoes: discarded, never replayed.
   */
  orphanedLogEntries: MessageRef[];
  /**
   * Rollbacks forced by orphan messages, beyond the failed processes' own restart.
   */
  rollbacks: {
    process: string;
    from: string;
    to: string;
    events: number;
    /**
     * The orphan messages that forced it, the first cause first.
     */
    chain: MessageRef[];
  }[];
  dominoEffect: boolean;
  dominoProcesses: string[];
  lostMessages: MessageRef[];
}
export interface RoundReport {
  round: number;
  complete: boolean;
  /**
   * Processes without a checkpoint of this round.
   */
  missing: string[];
  checkpoints: {
    [k: string]: string;
  };
  /**
   * Complete rounds only.
   */
  consistent?: boolean;
  orphans?: MessageRef[];
}
/**
 * --count-cuts / --list-cuts: the consistent cuts.
 */
export interface Lattice {
  /**
   * Exact when complete; otherwise how many were counted before --max-cuts stopped it.
   */
  count: number;
  complete: boolean;
  /**
   * --list-cuts: each cut as an event count per process, in the order of processes.
   */
  cuts?: number[][];
}
/**
 * Bad input (a malformed log, a bad --cut or --recover, a bad --regex, an --html file that cannot be written): exit 2.
 */
export interface CutsInputError {
  tool: "dscheck";
  command: "cuts";
  file: string;
  status: "error";
  /**
   * One line, naming the file and the line when the log is at fault.
   */
  error: string;
}
/**
 * The command line could not be parsed (an unknown option, a bad --max-cuts): exit 2.
 */
export interface CutsUsageError {
  tool: "dscheck";
  command: "cuts";
  status: "error";
  error: {
    kind: "usage";
    message: string;
  };
}
