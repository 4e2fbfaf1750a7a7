/**
 * Anomaly vocabulary, following Adya's taxonomy as Elle names it. Cycle anomalies carry
 * the cycle that witnesses them; the others name the transactions and key involved.
 */
import type { CycleStep } from "./search.ts";

/** Dependency-cycle anomalies over ww/wr/rw edges only. */
export const CYCLE_TYPES = ["G0", "G1c", "G-single", "G-nonadjacent", "G2-item"] as const;
export type CycleType = (typeof CYCLE_TYPES)[number];

/** The same cycles when they need session (process) or real-time order edges to close. */
export type OrderedCycleType = `${"G0" | "G1c" | "G-single" | "G2-item"}-${"process" | "realtime"}`;

/** Anomalies found without cycles: by reading values and comparing reads. */
export type DirectType =
  | "G1a" // aborted read: a read saw a value written by a transaction that failed
  | "G1b" // intermediate read: a read saw a value its writer later overwrote in the same transaction
  | "internal" // a transaction's read disagrees with its own earlier reads and writes
  | "lost-update" // two committed transactions read the same version of a key and both wrote it
  | "garbage-read" // a read saw a value no transaction ever wrote
  | "duplicate-elements" // a list-append read contains the same element twice
  | "incompatible-order"; // two list-append reads of a key are not prefixes of one another

export type AnomalyType = CycleType | OrderedCycleType | DirectType;

/** One anomaly with the evidence a person needs to check it by hand. */
export interface Anomaly {
  readonly type: AnomalyType;
  /** Transactions involved, by id. */
  readonly txns: readonly number[];
  readonly key?: string;
  /** One sentence for direct anomalies; cycles are told by the explainer from `cycle`. */
  readonly message: string;
  readonly cycle?: readonly CycleStep[];
}

/** Severity order used to sort reports: the weakest level an anomaly breaks comes first. */
export const ANOMALY_ORDER: readonly AnomalyType[] = [
  "garbage-read",
  "duplicate-elements",
  "incompatible-order",
  "G0",
  "G1a",
  "G1b",
  "G1c",
  "internal",
  "lost-update",
  "G-single",
  "G-nonadjacent",
  "G2-item",
  "G0-process",
  "G1c-process",
  "G-single-process",
  "G2-item-process",
  "G0-realtime",
  "G1c-realtime",
  "G-single-realtime",
  "G2-item-realtime",
];
