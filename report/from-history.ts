/**
 * `dscheck history check --json` and `dscheck history isolation --json` as Reports, one per
 * history file: a non-linearizable history's operations per process with the longest
 * linearizable prefix and the operation that could not be placed, a linearizable one's with
 * the linearization found; an isolation anomaly's dependency cycle as a graph.
 */
import type { Explanation, HistoryCheckFile } from "../traces/generated/history-check-report.ts";
import type { HistoryIsolationFile } from "../traces/generated/history-isolation-report.ts";
import type { Finding, GraphView, HistoryOperation, HistoryView, Report, ReportLocation, ReportVerdict } from "./model.ts";

const VERDICT: Record<HistoryCheckFile["status"], ReportVerdict> = { ok: "ok", violation: "violation", unknown: "incomplete", error: "error" };

/** Where an input error points: `file:line 3: ...`, `file:12:5: ...` or `file#/ops/3: ...`. */
export function locationInMessage(file: string, message: string | undefined): ReportLocation {
  if (!message) return { file };
  const line = /:line (\d+)\b/.exec(message) ?? /:(\d+)(?::\d+)?: /.exec(message);
  if (line) return { file, line: Number(line[1]) };
  const pointer = /#(\/[^\s:]*)/.exec(message);
  return pointer ? { file, pointer: pointer[1] } : { file };
}

function errorReport(checker: Report["checker"], r: { file: string; error?: string }): Report {
  const message = r.error ?? "unreadable input";
  const location = locationInMessage(r.file, r.error);
  return { checker, subject: r.file, verdict: "error", headline: `ERROR: ${message}`, location, facts: [], findings: [{ name: "input", verdict: "error", message, location }], warnings: [] };
}

/** The timeline as a HistoryView, numbered by `linearization` (partial: the longest prefix only). */
function historyView(r: HistoryCheckFile, linearization: readonly number[], partial: boolean, blocker?: string): HistoryView | undefined {
  const t = r.timeline;
  if (!t) return undefined;
  const operations: HistoryOperation[] = t.operations.map((op) => ({
    id: String(op.id),
    process: op.process,
    label: op.label,
    callAt: op.call,
    ...(op.ret !== undefined ? { returnAt: op.ret } : {}),
    status: op.completion,
    ...(String(op.id) === blocker ? { highlight: true } : {}),
  }));
  t.nemesis.forEach((n, i) => operations.push({ id: `nemesis-${i}`, process: n.process, label: n.label, callAt: n.at, returnAt: n.at, status: "nemesis" }));
  const processes = [...new Set(operations.map((o) => o.process))];
  return { processes, operations, linearization: linearization.map(String), partial };
}

/** A linearizable history: the linearization found, drawn over the operations. */
function linearizationFinding(r: HistoryCheckFile, order: readonly number[]): Finding {
  const history = historyView(r, order, false);
  const shown = order.slice(0, 40).join(" ");
  return { name: "linearization", verdict: "ok", message: `a linearization of ${order.length} operation(s): ${shown}${order.length > 40 ? " ..." : ""}`, ...(history ? { history } : {}) };
}

function explanationFinding(r: HistoryCheckFile, e: Explanation): Finding {
  const name = `${e.criterion}${e.key !== undefined ? ` (key ${e.key})` : ""}`;
  const lines = [
    `longest ${e.criterion === "sequential" ? "sequentially consistent" : "linearizable"} prefix: ${e.prefix.length} operation(s); state after it: ${e.stateAfterPrefix}`,
    ...(e.blocker ? [`operation ${e.blocker.id} (process ${e.blocker.process}: ${e.blocker.text}${e.blocker.source ? `, ${e.blocker.source}` : ""}) cannot be placed next`] : []),
    ...e.attempts.map((a) => `- ${a.text} (process ${a.process}): ${a.outcome ?? ""}`),
  ];
  const history = historyView(r, e.prefix.map((op) => op.id), true, e.blocker ? String(e.blocker.id) : undefined);
  return { name, verdict: VERDICT[r.status], message: lines.join("\n"), ...(history ? { history } : {}) };
}

/** One Report per history file of a history-check result. */
export function fromHistoryCheck(files: readonly HistoryCheckFile[]): Report[] {
  return files.map((r): Report => {
    if (r.status === "error") return errorReport("history check", r);
    const criterion = r.criterion === "sequential" ? "sequentially consistent" : "linearizable";
    const headline =
      r.status === "ok" ? `${criterion}${r.note ? ` (${r.note})` : ""}`
      : r.status === "violation" ? `VIOLATION: not ${criterion}${r.level === "sequential" ? " (but sequentially consistent)" : r.level === "neither" ? " (nor sequentially consistent)" : ""}`
      : `UNKNOWN: undecided within the ${r.reason ?? "budget"} budget`;
    const facts = [
      { label: "model", value: r.model ?? "-" },
      { label: "format", value: r.format ?? "-" },
      { label: "operations", value: r.operations ?? 0 },
      { label: "partitions", value: r.partitions ?? 0 },
      { label: "time", value: `${r.elapsedMs} ms` },
    ];
    const findings = (r.explanations ?? []).map((e) => explanationFinding(r, e));
    if (r.status === "ok" && r.linearization) findings.push(linearizationFinding(r, r.linearization));
    const warnings = r.timeline?.truncated ? ["the timeline shows the first 2,000 operations only"] : [];
    return { checker: "history check", subject: r.file, verdict: VERDICT[r.status], headline, facts, findings, warnings };
  });
}

function cycleGraph(cycle: NonNullable<NonNullable<HistoryIsolationFile["anomalies"]>[number]["cycle"]>): GraphView {
  const ids = [...new Set(cycle.flatMap((s) => [s.from, s.to]))];
  return { nodes: ids.map((id) => ({ id: `T${id}`, label: `T${id}` })), edges: cycle.map((s) => ({ from: `T${s.from}`, to: `T${s.to}`, label: s.kind })) };
}

/** One Report per history file of a history-isolation result. */
export function fromHistoryIsolation(files: readonly HistoryIsolationFile[]): Report[] {
  return files.map((r): Report => {
    if (r.status === "error") return errorReport("history isolation", r);
    const level = r.level ?? "serializable";
    const headline = r.status === "ok" ? `${level} holds` : r.status === "violation" ? `VIOLATION: ${level} does not hold (${(r.anomalyTypes ?? []).join(", ") || "anomalies"})` : `UNKNOWN: ${level} undecided within the ${r.reason ?? "search"} budget`;
    const facts = [
      { label: "workload", value: r.workload ?? "-" },
      { label: "transactions", value: r.transactions ?? 0 },
      { label: "strongest level satisfied", value: (r.strongest ?? []).join(", ") || "none" },
      { label: "time", value: `${r.elapsedMs} ms` },
    ];
    if (r.writeLog) facts.push({ label: "write log", value: r.writeLog });
    // An anomaly that the requested level allows (a weaker level's) does not fail the check.
    const findings: Finding[] = (r.anomalies ?? []).map((a) => ({
      name: a.type,
      verdict: r.status === "ok" ? "ok" : "violation",
      message: `${a.message.replace(/[.;]\s*$/, "")}${a.key !== undefined ? ` (key ${a.key})` : ""}; transactions ${a.txns.map((t) => `T${t}`).join(", ")}`,
      ...(a.cycle ? { graph: cycleGraph(a.cycle) } : {}),
    }));
    const warnings = r.note ? [r.note] : [];
    return { checker: "history isolation", subject: r.file, verdict: VERDICT[r.status], headline, facts, findings, warnings };
  });
}
