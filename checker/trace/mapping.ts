/**
 * How a log captured from a running system maps onto a spec (`spec.trace`), for trace
 * validation. A log line names an event (optionally) with arguments, and logs some
 * variables, each as a list of update operations (the TLA+ trace-validation template's
 * vocabulary, see ops.ts) or as a whole value (state snapshots, ITF). The mapping says:
 *
 * - `variables`: what each logged variable is, as a function of a spec state: the log's view
 *   of the state (names instead of indices, "done" for any final TM state, ...). A line is
 *   matched by a successor whose views equal the logged ones: the ops applied to the view of
 *   the state before the line.
 * - `events`: which action(s) a logged event stands for, and which of their arguments its
 *   arguments stand for. An event not listed stands for the action of the same name, with
 *   its arguments as they are. A line with no event stands for any action. A list of
 *   actions (`["TMCommit", "RMRcvCommitMsg"]`) is one logged step made of several actions.
 * - `silent`: actions that may run unlogged before a line, at most `max` in a row.
 * - `config`: spec parameters (and a context the views can use) from the `--config` records
 *   (lbinria's conf.NRM.ndjson: the RM names).
 * - `accept`: optionally, what the last state must satisfy.
 *
 * Without a mapping, every state field is a logged variable as it is, and events name actions.
 */
export interface TraceMapping<S, P, C = unknown> {
  /** Lines at the start of each trace that are configuration, not steps (EWD998ChanTrace's `{"N":5}`); they go to `config` after the --config records. */
  readonly header?: number;
  readonly config?: (records: readonly unknown[], params: P) => { readonly params?: Readonly<Record<string, unknown>>; readonly context?: C };
  readonly variables?: Readonly<Record<string, (state: S, params: P, context: C | undefined) => unknown>>;
  readonly events?: Readonly<Record<string, EventMapping<P, C, S>>>;
  /**
   * Which entry of `events` a line stands for, from its content (default: its `event` field).
   * EWD998ChanTrace logs "<" for both a payload and a token receipt, which are different steps.
   */
  readonly eventOf?: (line: Readonly<Record<string, unknown>>, event: string | undefined, params: P, context: C | undefined) => string | undefined;
  /**
   * Logs written by several processes are often not in an order the system could have run
   * them in (EWD998ChanTrace's third line receives a message sent further down). With a
   * vector clock per line, the validator first puts the lines in an order consistent with
   * happened-before (by the sum of the clock, which grows along it); a trace is then read
   * whole, not streamed.
   */
  readonly causalOrder?: { readonly clock: (line: Readonly<Record<string, unknown>>) => Readonly<Record<string, number>> | undefined };
  readonly silent?: { readonly actions: readonly string[]; readonly max: number };
  /**
   * The fields of a line, besides `event`, `event_args` and the logged variables, that the
   * mapping's functions read (from a line's `raw`). When given, `raw` holds only these, and
   * lines that differ only in other fields (a sequence number, a timestamp, the host) say the
   * same thing: the reader decodes such a line once and the validator takes it from a given
   * state once. Without it every field is in `raw` and only identical lines are read once.
   * (`[]`: the mapping reads no other field.)
   */
  readonly lineFields?: readonly string[];
  readonly accept?: (state: S, params: P, context: C | undefined) => boolean;
  /**
   * A symmetry of the spec, as the representative of a state's orbit: the state with its
   * interchangeable processes renamed into a canonical order (TwoPhase: the RMs sorted by
   * their role), equal for any two states that differ only by such a renaming. It must be a
   * real symmetry (every action, guard and the `accept` predicate commute with renaming),
   * as TLC's SYMMETRY must. Trace validation then keeps one candidate per orbit on lines
   * that name no process (an event without arguments, no logged variable: lbinria's E
   * traces), where the candidates are otherwise every renaming of the same history. Paths
   * are turned back into real behaviours (each step searched among the real successors)
   * and replayed; a line that names a process re-checks the stretch since the reduction
   * without it, so a symmetry that is not one shows up as a spec error.
   */
  readonly symmetry?: (state: S, params: P, context: C | undefined) => S;
  /** The `map` hook of an update operation (the template's MapArgs): turns its args into the op's args. */
  readonly mapArgs?: (op: string, map: unknown, args: readonly unknown[], params: P, context: C | undefined) => readonly unknown[];
}

export interface EventMapping<P, C = unknown, S = unknown> {
  /**
   * Alternatives: each an action name, or a list of action names taken in sequence for one
   * logged step; the empty list is a stuttering step (the line changes nothing the spec has).
   */
  readonly actions: readonly (string | readonly string[])[];
  /** Named conditions on the step itself (the state before, the state after), checked after the logged variables. */
  readonly where?: Readonly<Record<string, (before: S, after: S, params: P, context: C | undefined, line: Readonly<Record<string, unknown>>) => boolean>>;
  /**
   * The arguments of the (first) action that the event's arguments stand for: an array whose
   * `undefined` entries match anything, `undefined` for any arguments, or `{ reject }` when
   * the event cannot be a step of this spec (e.g. an RM name the configuration does not have).
   */
  readonly args?: (eventArgs: readonly unknown[], params: P, context: C | undefined, line: Readonly<Record<string, unknown>>) => readonly unknown[] | undefined | { readonly reject: string };
}

/** One line of a trace, as the validator takes it (readers in traces/ make these; see line.ts). */
export interface TraceLine {
  readonly event?: string;
  readonly eventArgs: readonly unknown[];
  /** Logged variables: update operations (NDJSON event logs) or whole values (state snapshots, ITF). */
  readonly vars: ReadonlyMap<string, LoggedVariable>;
  /** The line as read: fields other than the event and the variables, for custom formats' `args`. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Where it came from, for messages: "file:12". */
  readonly where: string;
  /**
   * What the line says, as an identity: lines with the same `said` object say the same thing
   * (readers give one to the lines they remember, see traces/trace-log/line-key.ts), so the
   * validator takes such a line from a given state once. Lines without it are all new.
   */
  readonly said?: object;
}

export type LoggedVariable = { readonly kind: "ops"; readonly ops: readonly UpdateOp[] } | { readonly kind: "value"; readonly value: unknown };

/** One update operation of the TLA+ trace-validation template (see ops.ts for the vocabulary). */
export interface UpdateOp {
  readonly op: string;
  readonly path: readonly unknown[];
  readonly args: readonly unknown[];
  readonly map?: unknown;
}
