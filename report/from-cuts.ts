/**
 * `dscheck cuts --json` as a Report: the computation as a space-time diagram (events in a
 * linear extension of happened-before), with the cut (or the recovery line) and, when both
 * were asked for, the recovery line as a second line; orphan and in-flight messages and
 * useless checkpoints marked; one finding per reason for the verdict.
 */
import type { CutsAnalysisReport, CutsReport } from "../traces/generated/cuts-report.ts";
import { locationInMessage } from "./from-history.ts";
import type { Finding, Report, ReportFact, SpaceTime, SpaceTimeEvent, SpaceTimeMessage } from "./model.ts";

const eventId = (process: string, index0: number) => `${process}:${index0 + 1}`;

/**
 * The events in an order that respects each process's order and send-before-receive (Kahn's
 * algorithm; the log was checked free of causal cycles, and any left over are appended).
 */
function linearExtension(r: CutsAnalysisReport): { process: string; index: number }[] {
  const comp = r.computation!;
  const names = r.processes.map((p) => p.name);
  const waitsFor = new Map<string, string>();
  for (const m of comp.messages) if (m.receiveIndex !== undefined) waitsFor.set(eventId(m.to, m.receiveIndex - 1), eventId(m.from, m.sendIndex - 1));
  const next = names.map(() => 0);
  const done = new Set<string>();
  const out: { process: string; index: number }[] = [];
  for (let progress = true; progress; ) {
    progress = false;
    names.forEach((p, pi) => {
      while (next[pi] < (comp.events[pi]?.length ?? 0)) {
        const id = eventId(p, next[pi]);
        const dep = waitsFor.get(id);
        if (dep !== undefined && !done.has(dep)) break;
        done.add(id);
        out.push({ process: p, index: next[pi]++ });
        progress = true;
      }
    });
  }
  names.forEach((p, pi) => {
    for (; next[pi] < (comp.events[pi]?.length ?? 0); next[pi]++) out.push({ process: p, index: next[pi] });
  });
  return out;
}

export function spaceTimeOf(r: CutsAnalysisReport): SpaceTime | undefined {
  const comp = r.computation;
  if (!comp) return undefined;
  const names = r.processes.map((p) => p.name);
  const useless = new Set(r.uselessCheckpoints);
  const orphans = new Set((r.cut?.orphans ?? []).map((m) => m.msg));
  const inFlight = new Set((r.cut?.inFlight ?? []).flatMap((c) => c.messages));
  const orphanReceives = new Set((r.cut?.orphans ?? []).filter((m) => m.receiveIndex !== undefined).map((m) => eventId(m.to, m.receiveIndex! - 1)));
  const events: SpaceTimeEvent[] = linearExtension(r).map(({ process, index }) => {
    const e = comp.events[names.indexOf(process)][index];
    const id = eventId(process, index);
    return {
      id,
      process,
      kind: e.kind,
      label: e.checkpoint ?? e.label ?? `${e.kind} (line ${e.line})`,
      ...(orphanReceives.has(id) ? { highlight: true } : {}),
      ...(e.checkpoint !== undefined && useless.has(e.checkpoint) ? { useless: true } : {}),
    };
  });
  const messages: SpaceTimeMessage[] = comp.messages.map((m) => ({
    label: m.msg,
    send: eventId(m.from, m.sendIndex - 1),
    ...(m.receiveIndex !== undefined ? { receive: eventId(m.to, m.receiveIndex - 1) } : {}),
    status: orphans.has(m.msg) ? "orphan" : inFlight.has(m.msg) || m.receiveIndex === undefined ? "in-flight" : "delivered",
    to: m.to,
  }));
  // With --recover alone the recovery line is the one line drawn; beside a --cut it is a second line.
  if (!r.cut) return { processes: names, events, messages, ...(r.recovery ? { cut: r.recovery.positions } : {}) };
  const cut = Object.fromEntries(Object.entries(r.cut.positions).map(([p, x]) => [p, x.events]));
  return { processes: names, events, messages, cut, ...(r.recovery ? { recoveryLine: r.recovery.positions } : {}) };
}

export function fromCuts(r: CutsReport): Report {
  if (r.status === "error") {
    const message = typeof r.error === "string" ? r.error : r.error.message;
    const file = "file" in r ? r.file : "(command line)";
    const location = locationInMessage(file, message);
    return { checker: "cuts", subject: file, verdict: "error", headline: `ERROR: ${message}`, location, facts: [], findings: [{ name: "input", verdict: "error", message, location }], warnings: [] };
  }
  const facts: ReportFact[] = [
    { label: "processes", value: r.processes.length },
    { label: "events", value: r.events },
    { label: "messages", value: r.messages },
    { label: "clocks", value: r.clockKind === "none" ? "none recorded" : `${r.clockKind}, ${r.clockErrorCount} wrong` },
  ];
  if (r.cut) facts.push({ label: "cut", value: `${Object.entries(r.cut.positions).map(([p, x]) => `${p}=${x.at}`).join(" ")}: ${r.cut.consistent ? "consistent" : "inconsistent"}` });
  if (r.recovery) facts.push({ label: "recovery line", value: Object.entries(r.recovery.line).map(([p, at]) => `${p}=${at}`).join(" ") }, { label: "domino effect", value: r.recovery.dominoEffect });
  if (r.recovery) {
    const replayed = Object.entries(r.recovery.replayedEvents).filter(([, n]) => n > 0);
    if (replayed.length) facts.push({ label: "replayed from the message log", value: replayed.map(([p, n]) => `${p}: ${n}`).join(", ") });
    if (r.recovery.orphanedLogEntries.length) facts.push({ label: "orphaned log entries (discarded)", value: r.recovery.orphanedLogEntries.map((m) => m.msg).join(", ") });
  }
  if (r.stable) {
    const s = r.stable;
    const on = !s.consistentCut ? "cut inconsistent: no global state" : s.holds ? (s.guaranteedAtEnd ? "holds (stable: holds at the end too)" : "holds") : "does not hold";
    facts.push({ label: s.property, value: `${on}; at the end: ${s.atEnd ? "holds" : "does not hold"}${s.recorded ? "" : " (the log records no state/blocked)"}` });
  }
  if (r.uselessCheckpoints.length) facts.push({ label: "useless checkpoints", value: r.uselessCheckpoints.join(", ") });
  if (r.lattice) facts.push({ label: "consistent cuts", value: r.lattice.complete ? r.lattice.count : `more than ${r.lattice.count}` });
  const spaceTime = spaceTimeOf(r);
  const findings: Finding[] = r.findings.map((f, i) => ({ name: f.split(/[:(]/)[0].trim() || "finding", verdict: r.status, message: f, ...(i === 0 && spaceTime ? { spaceTime } : {}) }));
  if (findings.length === 0 && spaceTime) findings.push({ name: "computation", verdict: "ok", message: `${r.events} events, ${r.messages} messages`, spaceTime });
  const headline = r.status === "ok" ? "OK" : r.status === "incomplete" ? `INCOMPLETE: ${r.findings.join("; ")}` : `VIOLATION: ${r.findings.join("; ")}`;
  return { checker: "cuts", subject: r.file, verdict: r.status, headline, facts, findings, warnings: [] };
}
