/**
 * One operation record of a Jepsen-style history, read from EDN or JSON. The record's own
 * fields are normalised (`:type :ok` -> "ok", `:f :read` -> "read", `:process :nemesis` ->
 * "nemesis"); its `value` is kept exact (see edn-value.ts): keywords, symbols and characters
 * are EdnAtoms, sets EdnSet, EDN maps EdnMap, big integers bigint, vectors and lists arrays,
 * nil null; JSON objects stay plain objects (own keys only are read).
 * Shared by the linearizability and the isolation checkers.
 */
import type { EdnAtom, EdnMap, EdnSet, EdnTagged } from "./edn-value.ts";

export type JepsenValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | EdnAtom
  | EdnSet
  | EdnMap
  | EdnTagged
  | readonly JepsenValue[]
  | { readonly [key: string]: JepsenValue };

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
