/**
 * One operation record of a Jepsen-style history, normalised from EDN or JSON:
 * keywords become strings without the colon (`:ok` -> "ok"), vectors and lists become
 * arrays, maps become plain objects with keyword keys as strings, nil becomes null.
 * Shared by the linearizability and the isolation checkers.
 */
export type JepsenValue = null | boolean | number | string | JepsenValue[] | { [key: string]: JepsenValue };

export type JepsenType = "invoke" | "ok" | "fail" | "info";

export interface JepsenOp {
  /** Position of the record in the file, 0-based (Jepsen's :index when present, else order). */
  readonly index: number;
  /** Integer for clients; a string such as "nemesis" for non-client processes. */
  readonly process: number | string;
  readonly type: JepsenType;
  readonly f: string;
  readonly value: JepsenValue;
  /** Jepsen's :time (nanoseconds) when present. */
  readonly time?: number;
  /** Where the record came from, for error messages: "line 12" or a JSON pointer "#/12". */
  readonly location: string;
}
