/* Generated from traces/schemas/explore-replay-report.schema.json by `npm run gen:types`. Do not edit. */

/**
 * The JSON object `dscheck explore --replay PATH --json` prints: the path's steps and the first property that fails along it.
 */
export interface ExploreReplayReport {
  tool: "dscheck";
  command: "explore";
  spec: string;
  specName?: string;
  strategy: "replay";
  status: "ok" | "violation" | "error";
  params: {
    [k: string]: number | string | boolean;
  };
  replayPath: string;
  property?: string;
  violation?: {
    property: string;
    kind: string;
    /**
     * The index in trace of the first state that violates it.
     */
    step: number;
    explanation?: string;
    /**
     * A property written with all({...}): each conjunct in the violating state, with the state fields it read and their values.
     */
    blame?: {
      name: string;
      holds: boolean;
      explanation?: string;
      reads: {
        [k: string]: unknown;
      };
    }[];
  };
  /**
   * For specs that declare `events`: the path as a space-time diagram, the violating step's events highlighted (the same shape as explore-report's spaceTime; report/space-time.ts).
   */
  spaceTime?: {
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
  };
  trace: {
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
    properties?: {
      [k: string]: boolean;
    };
  }[];
  error?: {
    kind: string;
    message: string;
    replayPath?: string;
  };
}
