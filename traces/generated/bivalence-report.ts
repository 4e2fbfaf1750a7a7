/* Generated from traces/schemas/bivalence-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * @minItems 1
 */
export type Path = [number, ...number[]];

/**
 * The report of `dscheck bivalence --json`: FLP valence analysis of a consensus spec.
 */
export interface BivalenceReport {
  tool: "dscheck";
  command: "bivalence";
  spec: string;
  name?: string;
  status: "ok" | "violation" | "incomplete" | "error";
  error?: unknown;
  params?: {};
  processes?: string[];
  values?: unknown[];
  failure?: {
    model: "crash-stop" | "crash-recover";
    maxFaulty: number;
  };
  graph?: {
    distinctStates: number;
    generatedStates: number;
    edges: number;
    complete: boolean;
    incompleteReason?: string;
    bounded?: {};
  };
  counts?: {
    bivalent: number;
    univalent: {
      states: number;
    }[];
    none: number;
    unknown: number;
  };
  initial?: (Witness & {
    id: number;
    inputs?: unknown[];
    valence: Valence;
  })[];
  adjacent?: {
    a: number;
    b: number;
    process: string;
    run?: Witness & {
      mirrored?: Witness;
    };
  };
  lemma3?: {
    configuration: number;
    events: {
      event: string;
      outcome: "stays-bivalent" | "never-bivalent" | "unknown";
      witness?: Witness;
    }[];
  };
  lasso?: Lasso;
  nonDeciding?: Lasso;
  fairCycles?: {
    bivalent: number;
    nonDeciding: number;
    conclusive: boolean;
  };
  critical?: {
    count: number;
    shown: (Witness & {
      events: {
        valence: Valence;
      }[];
    })[];
  };
  blocking?: {
    count: number;
    conclusive: boolean;
    first?: Witness;
  };
  safety?: {
    name: string;
    kind: "agreement" | "validity" | "property";
    holds: boolean;
    counterexample?: Witness;
  }[];
  timing?: {};
  coverage?: unknown[];
  warnings?: string[];
}
export interface Witness {
  path: Path;
  steps: string[];
}
export interface Valence {
  kind: "bivalent" | "univalent" | "none" | "unknown";
  values: unknown[];
}
export interface Lasso {
  prefix: Witness;
  loop: number[];
  loopSteps: string[];
  replayPath: Path;
  crashed: string[];
  undecided: string[];
  /**
   * The valence of each state along replayPath: the prefix's states, then the loop's, back to its first.
   */
  valences?: Valence[];
}
