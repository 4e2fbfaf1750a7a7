/** What the explore command asks its search thread to do, and what the thread answers: plain data. */
import type { Progress, Strategy } from "../../checker/index.ts";
import type { CiCase } from "../ci.ts";

export interface ExploreJob {
  /** The spec file as given on the command line (reports name it so). */
  readonly specFile: string;
  readonly specUrl: string;
  readonly params: Readonly<Record<string, string>>;
  readonly invariant: readonly string[];
  readonly strategy: Strategy;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  /** Seconds. */
  readonly timeLimit?: number;
  /** The memory budget in MB (default 80% of RAM). */
  readonly limitMB: number;
  readonly seed?: number;
  readonly runs?: number;
  readonly replay?: string;
  readonly json: boolean;
  readonly deadlock: boolean;
  readonly workers: number;
  readonly memoize?: boolean;
  /** Write the counterexample (or example) as an ITF trace to this file. */
  readonly itf?: string;
  /** Write the counterexample (or example) as an NDJSON event log for `dscheck cuts` (the spec declares `events`). */
  readonly eventLog?: string;
  /** Also return the result as CI test cases (--junit, or under GitHub Actions). */
  readonly ci?: boolean;
  /** Also return the --json object (for --md / --html, written by the command). */
  readonly report?: boolean;
}

export type FromSearchThread =
  | { readonly kind: "progress"; readonly progress: Progress }
  | { readonly kind: "done"; readonly stdout: string; readonly stderr: string; readonly exitCode: number; readonly cases?: CiCase[]; readonly json?: unknown };
