/**
 * `dscheck cuts <log>`: consistent cuts, clocks, useless checkpoints and recovery lines of a
 * recorded computation (NDJSON event log or a ShiViz-style text log). Reads, checks,
 * prints; exit codes from cli/exit-codes.ts. Bad input is one line naming the file and the
 * line, exit 2, and no report file is written.
 */
import { openSync, readSync, closeSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { EXIT, exitCodeFor } from "../exit-codes.ts";
import { intOption } from "../options.ts";
import { writeErr, writeOut } from "../output.ts";
import { caseStatus, emitCi, junitOption, lineIn, oneLine, type CiCase } from "../ci.ts";
import { InputError } from "../../checker/history/input-error.ts";
import type { Computation } from "../../checker/cuts/computation.ts";
import { CutSpecError, messageRef, parseCut, type MessageRef } from "../../checker/cuts/cut.ts";
import { analyze, type CutsAnalysis, ZCYCLE_MESSAGES_LISTED } from "../../checker/cuts/analyze.ts";
import { htmlOption, mdOption, writeReportFiles } from "../report-files.ts";
import { STABLE_PROPERTIES, type StableProperty, type StableReport } from "../../checker/cuts/stable.ts";
import { readEventLog, RegexError, type EventLogFormat } from "../../traces/cuts/read.ts";

interface Options {
  format: "auto" | EventLogFormat;
  regex?: string;
  cut?: string;
  recover?: string;
  stable?: StableProperty;
  countCuts?: boolean;
  listCuts?: boolean;
  maxCuts: number;
  json?: boolean;
  html?: string;
  md?: string;
  junit?: string;
}

/** NDJSON when the first non-blank character is `{`; otherwise a ShiViz-style text log. */
function detectFormat(file: string): EventLogFormat {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString("utf8").replace(/^\uFEFF/, "").trimStart();
    return head === "" || head.startsWith("{") ? "ndjson" : "shiviz";
  } catch (e) {
    throw new InputError(file, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function processList(comp: Computation, text: string): number[] {
  const names = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (names.length === 0) throw new CutSpecError("--recover expects a comma-separated list of processes");
  return [...new Set(names)].map((n) => {
    const p = comp.processes.indexOf(n);
    if (p < 0) throw new CutSpecError(`--recover: unknown process "${n}" (processes: ${comp.processes.join(", ")})`);
    return p;
  });
}

const msgText = (m: MessageRef) => `${m.msg} (${m.from} event ${m.sendIndex}, line ${m.sendLine} -> ${m.to}${m.receiveIndex !== undefined ? ` event ${m.receiveIndex}, line ${m.receiveLine}` : ", never received"})`;

function human(file: string, a: CutsAnalysis, cutText?: string): string {
  const out: string[] = [];
  const clocks = a.clockKind === "none" ? "no clocks recorded" : a.clockErrorCount ? `${a.clockErrorCount} WRONG ${a.clockKind} clock(s)` : `${a.clockKind} clocks verified`;
  out.push(`${file}: ${a.processes.length} processes, ${a.events} events, ${a.messages} messages; ${clocks}`);
  for (const e of a.clockErrors) out.push(`  clock: ${e.message}`);
  if (a.clockErrorCount > a.clockErrors.length) out.push(`  ... and ${a.clockErrorCount - a.clockErrors.length} more`);
  if (a.cut) {
    const pos = Object.entries(a.cut.positions).map(([p, x]) => `${p}=${x.at === String(x.events) ? x.events : `${x.at} (${x.events})`}`).join(" ");
    out.push(`cut ${cutText} -> ${pos}: ${a.cut.consistent ? "consistent" : "INCONSISTENT"}`);
    for (const o of a.cut.orphans) out.push(`  orphan ${msgText(o)}: received inside the cut, sent outside it`);
    for (const c of a.cut.inFlight) out.push(`  in flight ${c.from} -> ${c.to}: ${c.messages.join(", ")}`);
  }
  if (a.stable) out.push(...stableText(a.stable));
  if (a.recovery) {
    const r = a.recovery;
    out.push(`recovery of ${r.failed.join(", ")}: recovery line ${Object.entries(r.line).map(([p, at]) => `${p}=${at}`).join(" ")}`);
    for (const [p, n] of Object.entries(r.rolledBackEvents)) {
      const rb = r.rollbacks.find((x) => x.process === p);
      const why = rb ? `, forced back from ${rb.from} to ${rb.to} by ${rb.chain.map((m) => m.msg).join(" -> ")} (orphan chain)` : r.failed.includes(p) ? " (failed: restores its latest checkpoint)" : "";
      const replayed = r.replayedEvents[p] ? `; replays ${r.replayedEvents[p]} event(s) from the message log after its checkpoint` : "";
      out.push(`  ${p}: rolls back ${n} event(s)${why}${replayed}`);
    }
    for (const m of r.orphanedLogEntries) out.push(`  orphaned log entry ${msgText(m)}: logged by ${m.to}, but its send is undone; discarded, not replayed`);
    out.push(r.dominoEffect ? `  DOMINO EFFECT: ${r.dominoProcesses.join(", ")} pushed back to the initial checkpoint` : "  no domino effect");
  }
  if (a.useless.length) {
    out.push(`useless checkpoints (on a Z-cycle, in no consistent global checkpoint): ${a.uselessCheckpoints.join(", ")}`);
    for (const u of a.useless) out.push(`  ${u.id} (${u.process}): Z-cycle ${u.zCycle ? u.zCycle.map((m) => `${m.msg} ${m.from}->${m.to}`).join(", ") : `of ${u.zCycleLength} messages (not listed: the report lists ${ZCYCLE_MESSAGES_LISTED.toLocaleString("en-US")} Z-cycle messages at most)`}`);
  } else if (a.processes.some((p) => p.checkpoints.length)) out.push("no useless checkpoints");
  for (const r of a.rounds) {
    const cps = Object.entries(r.checkpoints).map(([p, id]) => `${p}=${id}`).join(" ");
    if (!r.complete) out.push(`round ${r.round}: incomplete (no checkpoint on ${r.missing.join(", ")}) ${cps}`);
    else out.push(`round ${r.round}: ${r.consistent ? "consistent" : "INCONSISTENT"} ${cps}${r.consistent ? "" : `; orphan ${msgText(r.orphans![0])}`}`);
  }
  if (a.lattice) {
    out.push(`consistent cuts: ${a.lattice.complete ? a.lattice.count : `more than ${a.lattice.count} (stopped at --max-cuts)`}`);
    for (const c of a.lattice.cuts ?? []) out.push(`  ${a.processes.map((p, i) => `${p.name}=${c[i]}`).join(" ")}`);
  }
  out.push(a.status === "ok" ? "OK" : a.status === "incomplete" ? "INCOMPLETE" : `VIOLATION: ${a.findings.join("; ")}`);
  return out.join("\n") + "\n";
}

/** The events and messages of the log, as the JSON report carries them for reports. */
export function computationJson(comp: Computation): { events: { kind: string; line: number; label?: string; checkpoint?: string }[][]; messages: MessageRef[] } {
  const events = comp.events.map((evs) => evs.map((e) => ({ kind: e.kind, line: e.line, ...(e.label !== undefined ? { label: e.label } : {}), ...(e.checkpoint !== undefined ? { checkpoint: e.checkpoint } : {}) })));
  const messages = comp.messages.map((_, i) => messageRef(comp, i));
  return { events, messages };
}

function stableText(s: StableReport): string[] {
  const out: string[] = [];
  const detail = s.property === "termination"
    ? [s.active.length ? `active: ${s.active.join(", ")}` : "every process passive", s.inFlight.length ? `in flight: ${s.inFlight.join(", ")}` : "no message in flight"].join("; ")
    : s.holds ? `deadlocked: ${s.deadlocked.join(", ")} (cycle ${s.cycle.join(" -> ")})` : "no set of blocked processes waits only on itself with nothing in flight to it";
  if (!s.consistentCut) {
    out.push(`${s.property}: not evaluated as a global state: the cut is inconsistent, so it is no state the run passed through and says nothing about the end (on its local states it would ${s.holds ? "hold" : "not hold"}: ${detail})`);
  } else if (s.holds) {
    out.push(`${s.property} HOLDS on the cut (${detail}); it is stable, so it holds at every later cut and at the end of the log`);
  } else {
    out.push(`${s.property} does not hold on the cut (${detail}); a snapshot where it is false says nothing about later states`);
  }
  out.push(`  at the end of the log (evaluated directly): ${s.property} ${s.atEnd ? "holds" : "does not hold"}`);
  if (!s.recorded) out.push(`  note: no event of this log records ${s.property === "termination" ? "a \"state\" (so every process counts as active)" : "\"blocked\" (so no process counts as blocked)"}`);
  return out;
}

export function registerCuts(program: Command, setExit: (code: number) => void): void {
  program
    .command("cuts")
    .description("consistent cuts, vector/Lamport clocks, useless checkpoints and recovery lines of an event log")
    .argument("<log>", "event log: NDJSON (traces/schemas/event-log.schema.json) or a ShiViz-style text log")
    .addOption(new Option("--format <format>", "input format").choices(["auto", "ndjson", "shiviz"]).default("auto"))
    .option("--regex <regex>", "text logs: ShiViz regex with (?<host>) and (?<clock>), optionally (?<event>), (?<checkpoint>), (?<round>) (default: GoVector's)")
    .option("--cut <spec>", "check a cut: p1=3,p2=c2 (event counts, checkpoint ids, initial or end; others at end)")
    .option("--recover <processes>", "failed processes (p1,p2): compute the recovery line (logged receives are replayed)")
    .addOption(new Option("--stable <property>", "with --cut: evaluate a stable property on the snapshot (exit 1 when termination does not hold or a deadlock does)").choices(STABLE_PROPERTIES))
    .option("--count-cuts", "count the consistent cuts (the lattice; small logs)")
    .option("--list-cuts", "list the consistent cuts")
    .option("--max-cuts <n>", "budget for --count-cuts / --list-cuts (exit 3 beyond it)", intOption("--max-cuts", 1), 1_000_000)
    .option("--json", "print one JSON object")
    .addOption(htmlOption())
    .addOption(mdOption())
    .addOption(junitOption("event log"))
    .action(async (file: string, opts: Options) => {
      const fail = (message: string, code: number = EXIT.error, ci = true) => {
        // Bad input is a failing test case too (and a JUnit file that cannot be written is said as well).
        const ciError = ci ? emitCi("cuts", [{ name: file, classname: "dscheck.cuts", status: "error", message: oneLine(message), report: `error: ${message}\n`, file, line: lineIn(message) }], opts) : undefined;
        if (ciError) message += `; ${ciError}`;
        writeErr(`error: ${message}\n`);
        if (opts.json) writeOut(JSON.stringify({ tool: "dscheck", command: "cuts", file, status: "error", error: message }) + "\n");
        setExit(code);
      };
      if (opts.listCuts && opts.maxCuts > 100_000) opts.maxCuts = 100_000; // a list longer than that is not for reading
      try {
        const format: EventLogFormat = opts.format !== "auto" ? opts.format : opts.regex !== undefined ? "shiviz" : detectFormat(file);
        if (opts.regex !== undefined && format !== "shiviz") throw new InvalidArgumentError("--regex applies to text logs (--format shiviz)");
        if (opts.stable !== undefined && opts.cut === undefined) throw new InvalidArgumentError(`--stable evaluates ${opts.stable} on a snapshot: give the snapshot with --cut`);
        const comp = await readEventLog(file, { format, ...(opts.regex !== undefined ? { regex: opts.regex } : {}) });
        const cut = opts.cut !== undefined ? parseCut(comp, opts.cut) : undefined;
        const recover = opts.recover !== undefined ? processList(comp, opts.recover) : undefined;
        const { analysis } = analyze(comp, {
          ...(cut ? { cut } : {}),
          ...(recover ? { recover } : {}),
          ...(opts.stable !== undefined ? { stable: opts.stable } : {}),
          ...(opts.countCuts || opts.listCuts ? { lattice: { maxCuts: opts.maxCuts, list: !!opts.listCuts } } : {}),
        });
        const json = { tool: "dscheck", command: "cuts", file, format, ...analysis, computation: computationJson(comp) };
        // Written before the report is printed: a file that cannot be written is one line, exit 2.
        const fileError = await writeReportFiles(json, opts);
        if (fileError) return fail(fileError);
        const report = human(file, analysis, opts.cut);
        const lines = report.trimEnd().split("\n");
        const ciCase: CiCase = { name: file, classname: "dscheck.cuts", status: caseStatus(analysis.status), message: oneLine(lines[lines.length - 1]), report, file };
        const ciError = emitCi("cuts", [ciCase], opts);
        if (ciError) return fail(ciError, EXIT.error, false);
        if (opts.json) writeOut(JSON.stringify(json, null, 2) + "\n");
        else writeOut(report);
        setExit(exitCodeFor(analysis.status));
      } catch (e) {
        if (e instanceof InputError || e instanceof CutSpecError || e instanceof RegexError || e instanceof InvalidArgumentError) return fail(e.message);
        throw e;
      }
    });
}
