/* Generated from traces/schemas/explore-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * The JSON object `dscheck explore --json` prints: one per run.
 */
export interface ExploreReport {
  tool: "dscheck";
  command: "explore";
  /**
   * The spec file as given on the command line.
   */
  spec: string;
  specName?: string;
  status: "ok" | "violation" | "incomplete" | "error";
  strategy: "bfs" | "dfs" | "simulate" | "replay";
  params: {
    [k: string]: number | string | boolean;
  };
  properties: {
    name: string;
    kind: "always" | "sometimes" | "atEnd";
  }[];
  distinctStates: number;
  generatedStates: number;
  maxDepth: number;
  maxQueueSize?: number;
  elapsedMs: number;
  statesPerSecond?: number;
  /**
   * Visited-set (fingerprint table) bytes per distinct state.
   */
  bytesPerState: number;
  /**
   * Parent/step columns kept to rebuild counterexamples, per state.
   */
  traceBytesPerState?: number;
  collisionProbability?: {
    optimistic: number;
    birthday: number;
  };
  /**
   * Every reachable state within the bounds was visited.
   */
  exhaustive: boolean;
  incompleteReason?: string;
  /**
   * States at the depth bound (not expanded), and generated successors outside the constraint (TLC's semantics: checked against the invariants, neither distinct nor expanded).
   */
  bounded?: {
    byDepth: number;
    byConstraint: number;
  };
  /**
   * BFS with memoized actions (memoize: true): lookups that hit and missed, and the actions evaluated directly instead.
   */
  memo?: {
    hits: number;
    misses: number;
    directActions: string[];
  };
  seed?: number;
  runs?: number;
  /**
   * A command line that reproduces this run's counterexample.
   */
  reproduce?: string;
  /**
   * The failed property (status violation).
   */
  property?: string;
  violation?: Discovery;
  /**
   * The counterexample's path, e.g. 0/3/1, accepted by --replay.
   */
  replayPath?: string;
  trace?: Step[];
  examples?: {
    [k: string]: Discovery;
  };
  error?: {
    kind: string;
    message: string;
    action?: string;
    args?: unknown[];
    property?: string;
    state?: unknown;
    replayPath?: string;
    file?: string;
    line?: number;
    column?: number;
  };
  /**
   * Threads that searched: 1, or the parallel BFS's workers.
   */
  workers?: number;
  /**
   * Per action, in spec order (TLC's -coverage): successors it generated and the new distinct states among them.
   */
  coverage?: {
    action: string;
    enabled: number;
    newStates: number;
    /**
     * Per named guard: instances it disabled.
     */
    disabledBy?: {
      [k: string]: number;
    };
  }[];
  /**
   * Things that do not change the verdict but deserve a look (an action never enabled).
   */
  warnings?: string[];
}
export interface Discovery {
  property: string;
  kind: "always" | "sometimes" | "atEnd" | "deadlock";
  explanation?: string;
  replayPath?: string;
  reproduced?: boolean;
  /**
   * A property written with all({...}): each conjunct in the last state, with the state fields it read (paths such as state[1]) and their values.
   */
  blame?: {
    name: string;
    holds: boolean;
    explanation?: string;
    reads: {
      [k: string]: unknown;
    };
  }[];
  trace?: Step[];
  spaceTime?: SpaceTime;
}
export interface Step {
  index: number;
  action: string;
  args: unknown[];
  label: string;
  /**
   * The state as JSON (ValueSet as {"#set": [...]}, ValueMap as {"#map": [[k, v], ...]}).
   */
  state: unknown;
  changes: {
    path: string;
    before?: unknown;
    after?: unknown;
  }[];
  /**
   * The spec's formatState of the state.
   */
  formatted?: string;
  /**
   * Each property's status in this state (true: its predicate holds here); a property whose check throws here is left out.
   */
  properties?: {
    [k: string]: boolean;
  };
}
/**
 * For specs that declare `events`: the trace as processes, their events (one or more per step, in step order) and the messages between them (report/space-time.ts).
 */
export interface SpaceTime {
  processes: string[];
  events: {
    id: string;
    process: string;
    kind: "send" | "receive" | "internal" | "checkpoint" | "crash";
    label: string;
    /**
     * The trace step (index) the event belongs to.
     */
    step?: number;
    /**
     * The event belongs to the violating step.
     */
    highlight?: boolean;
    useless?: boolean;
  }[];
  messages: {
    label: string;
    /**
     * The send event's id.
     */
    send: string;
    /**
     * The receive event's id; absent while the message is in flight.
     */
    receive?: string;
    status?: "delivered" | "in-flight" | "orphan";
    /**
     * In flight: the process it is addressed to.
     */
    to?: string;
  }[];
}
