/**
 * What a workload analysis (list-append, rw-register) hands to the cycle checker: the
 * anomalies visible in the values themselves, and a way to explain each edge it added.
 */
import type { Anomaly, AnomalyType } from "./anomaly.ts";
import { showKey, type Value } from "./txn.ts";

/** Result of inferring version orders and dependency edges for one workload. */
export interface WorkloadAnalysis {
  readonly anomalies: Anomaly[];
  /**
   * One clause telling why `from -kind-> to` holds, e.g. "T2 read x = [1] without 3, which
   * T1 appended"; undefined when the two transactions share no such key.
   */
  explainEdge(from: number, to: number, kind: "ww" | "wr" | "rw"): string | undefined;
}

/** Collects direct anomalies, keeping at most `cap` examples of each type. */
export class AnomalyLog {
  readonly anomalies: Anomaly[] = [];
  private readonly counts = new Map<AnomalyType, number>();

  constructor(private readonly cap = 50) {}

  add(type: AnomalyType, txns: number[], key: Value | undefined, message: string): void {
    const n = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, n);
    if (n <= this.cap) this.anomalies.push({ type, txns, ...(key !== undefined ? { key: showKey(key) } : {}), message });
  }
}
