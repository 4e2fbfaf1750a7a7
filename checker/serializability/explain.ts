/**
 * Tells a cycle as a short story, one clause per edge ("T2 read x = [1] without 3, which
 * T1 appended, so T2 precedes T1 (rw)"), and draws cycles as a Mermaid flowchart.
 */
import type { Anomaly } from "./anomaly.ts";
import type { CycleStep } from "./search.ts";
import { txnLabel } from "./txn.ts";
import type { WorkloadAnalysis } from "./workload.ts";

/** One sentence per step of `cycle`, each ending in the ordering it proves. */
export function cycleStory(cycle: readonly CycleStep[], analysis: WorkloadAnalysis): string[] {
  return cycle.map((s) => {
    const a = txnLabel(s.from);
    const b = txnLabel(s.to);
    if (s.kind === "process") return `${a} and ${b} ran on the same process in that order, so ${a} precedes ${b} (process)`;
    if (s.kind === "realtime") return `${a} completed before ${b} was invoked, so ${a} precedes ${b} (realtime)`;
    const why = analysis.explainEdge(s.from, s.to, s.kind) ?? `${a} and ${b} touch a common key`;
    return `${why}, so ${a} precedes ${b} (${s.kind})`;
  });
}

/** Closing sentence: the cycle means a transaction would have to precede itself. */
export function cycleMoral(cycle: readonly CycleStep[]): string {
  const first = txnLabel(cycle[0].from);
  return `${first} would have to precede itself: no serial order explains these transactions.`;
}

/** A Mermaid `flowchart LR` with the first `limit` cycles, one subgraph per anomaly. */
export function mermaidCycles(anomalies: readonly Anomaly[], limit = 10): string {
  const lines = ["flowchart LR"];
  let n = 0;
  for (const a of anomalies) {
    if (!a.cycle || n >= limit) continue;
    lines.push(`  subgraph c${n}["${a.type}"]`);
    for (const s of a.cycle) lines.push(`    c${n}_${s.from}["${txnLabel(s.from)}"] -->|${s.kind}| c${n}_${s.to}["${txnLabel(s.to)}"]`);
    lines.push("  end");
    n++;
  }
  return lines.join("\n");
}
