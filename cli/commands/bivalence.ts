/**
 * `dscheck bivalence <spec>`: FLP's valence analysis of a consensus spec (checker/bivalence):
 * the spec file exports its spec and `consensus` (defineConsensus). Prints the valence
 * counts, the initial configurations and Lemma 2's adjacent pair, Lemma 3 at a bivalent
 * initial configuration, the fair non-deciding lasso, the critical configurations, blocking
 * and safety, each with a replay path for `explore --replay`.
 *
 * Exit codes: 0 the analysis ran to the end (within the depth bound and constraint, if any)
 * and the safety checks hold; 1 a safety check failed (Agreement, Validity, an always
 * property), found even on a partial graph; 2 usage, spec or declaration error; 3 a budget
 * (states, time, memory) cut the graph: valences that depend on the missing part are
 * "unknown". A lasso or blocking is a finding, not a failure: FLP says one of them must exist
 * for any asynchronous protocol that tolerates a crash.
 * The analysis runs in a supervised thread (../supervised-thread.ts), as explore's search:
 * spec code that never returns ends at --time-limit, runaway allocation at --max-memory (exit 3).
 */
import type { Command } from "commander";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  describeParams, ParamError, parseParamAssignments, resolveParams,
  type BivalenceResult, type Consensus, type LassoReport, type Progress, type Valence, type Witness,
} from "../../checker/index.ts";
import { EXIT } from "../exit-codes.ts";
import { loadSpec, SpecLoadError } from "../load-spec.ts";
import { collect, intOption, positiveNumberOption } from "../options.ts";
import { writeErr, writeOut } from "../output.ts";
import { htmlOption, mdOption, writeReportFiles } from "../report-files.ts";
import { emitCi, junitOption, lineIn, oneLine, type CiCase } from "../ci.ts";
import { lineOfName } from "../explore/ci-cases.ts";
import { defaultMemoryMB } from "../explore/run-job.ts";
import { superviseThread } from "../supervised-thread.ts";
import { stoppedBivalence, type BivalenceJob } from "../bivalence/run-job.ts";

interface Flags {
  param: string[];
  json?: boolean;
  html?: string;
  md?: string;
  maxStates?: number;
  maxDepth?: number;
  timeLimit?: number;
  maxMemory?: number;
  typecheck: boolean;
  listParams?: boolean;
  critical: number;
  junit?: string;
}

export function registerBivalence(program: Command, setExit: (code: number) => void): void {
  program
    .command("bivalence")
    .description("FLP valence analysis of a consensus spec: bivalent configurations, the non-deciding run, critical steps, blocking")
    .argument("<spec>", "spec file (.ts) exporting a spec and `consensus` (defineConsensus)")
    .option("-p, --param <name=value>", "override a spec parameter (repeatable)", collect, [])
    .option("--json", "print one JSON object (schema: traces/schemas/bivalence-report.schema.json)")
    .addOption(htmlOption())
    .addOption(mdOption())
    .option("--max-states <n>", "budget: at most this many distinct states (exit 3 when the graph needs more)", intOption("--max-states", 0))
    .option("--max-depth <n>", "do not expand states at this depth (a bound: valences that depend on it are unknown)", intOption("--max-depth", 0))
    .option("--time-limit <seconds>", "budget: stop exploring after this many seconds (exit 3)", positiveNumberOption("--time-limit"))
    .option("--max-memory <MB>", "budget: stop exploring when the process uses this much memory", positiveNumberOption("--max-memory"))
    .option("--critical <n>", "describe at most this many critical configurations", intOption("--critical", 0, 10_000), 10)
    .option("--no-typecheck", "skip type-checking the spec before loading it")
    .option("--list-params", "print the spec's parameters and exit")
    .addOption(junitOption("safety check"))
    .action(async (specFile: string, flags: Flags) => {
      setExit(await run(specFile, flags));
    });
}

async function run(specFile: string, flags: Flags): Promise<number> {
  const usage = (message: string, ci = true) => {
    // A spec or declaration that cannot be used is one failing test case, so that CI shows why.
    const ciError = ci ? emitCi("bivalence", [{ name: specFile, classname: `dscheck.bivalence.${specFile}`, status: "error", message: oneLine(message), report: message + "\n", file: specFile, line: lineIn(message) }], flags) : undefined;
    if (ciError) message += `; ${ciError}`;
    if (flags.json) writeOut(JSON.stringify({ tool: "dscheck", command: "bivalence", spec: specFile, status: "error", error: { kind: "usage", message } }) + "\n");
    else writeErr(`dscheck: ${message}\n`);
    return EXIT.error;
  };
  let spec;
  try {
    spec = await loadSpec(specFile, { typecheck: flags.typecheck });
  } catch (e) {
    if (e instanceof SpecLoadError) return usage(e.message);
    throw e;
  }
  if (flags.listParams) {
    writeOut(describeParams(spec.params).join("\n") + "\n");
    return EXIT.ok;
  }
  const mod = (await import(pathToFileURL(resolve(specFile)).href)) as { consensus?: Consensus<unknown> };
  const consensus = mod.consensus;
  if (!consensus || typeof consensus !== "object" || typeof consensus.decision !== "function" || typeof consensus.processes !== "function") {
    return usage(`${specFile} exports no consensus declaration: add \`export const consensus = defineConsensus({ processes, values, decision, process, failure })\``);
  }
  let params: Record<string, string>;
  try {
    params = parseParamAssignments(flags.param);
    resolveParams(spec.params, params);
  } catch (e) {
    if (e instanceof ParamError) return usage(e.message);
    throw e;
  }
  const job: BivalenceJob = {
    specFile, specUrl: pathToFileURL(resolve(specFile)).href, params,
    maxStates: flags.maxStates, maxDepth: flags.maxDepth, timeLimit: flags.timeLimit,
    limitMB: flags.maxMemory ?? defaultMemoryMB(), maxMemory: flags.maxMemory, critical: flags.critical,
    json: flags.json ?? false, ci: flags.junit !== undefined || process.env.GITHUB_ACTIONS === "true",
  };
  const name = spec.name;
  // In a supervised thread, as explore's search: spec code that never returns is stopped at the time limit.
  const out = await superviseThread<Progress>({
    entry: new URL("../bivalence/analysis-thread", import.meta.url),
    data: { job },
    limitMB: job.limitMB,
    timeLimit: job.timeLimit,
    what: "the analysis",
    stopped: (reason, last) => stoppedBivalence(job, name, reason, last),
  });
  // The report files are written before the verdict is printed (a failure is exit 2 alone).
  const fileError = out.json !== undefined ? await writeReportFiles(out.json, flags) : undefined;
  if (fileError) return usage(fileError);
  const ciError = out.cases ? emitCi("bivalence", out.cases, flags) : undefined;
  if (ciError) return usage(ciError, false);
  if (out.stderr) writeErr(out.stderr);
  if (out.stdout) writeOut(out.stdout);
  return out.exitCode;
}

/**
 * CI test cases: one per safety check (Agreement, Validity, each always property), at the
 * spec line that names it; on a graph cut by a budget a check that held is "incomplete".
 */
export function bivalenceCases(specFile: string, name: string, r: BivalenceResult): CiCase[] {
  const report = text(specFile, name, r);
  const classname = `dscheck.bivalence.${specFile}`;
  const seconds = (r.timing.exploreMs + r.timing.labelMs + r.timing.valenceMs) / 1000;
  if (r.status === "error" || r.safety.length === 0) {
    const status = r.status === "ok" ? "ok" : r.status === "violation" ? "violation" : r.status === "incomplete" ? "incomplete" : "error";
    return [{ name, classname, status, message: r.error ? oneLine(r.error) : oneLine(report.split("\n").find((l) => l.startsWith("result:")) ?? report), report, file: specFile, seconds }];
  }
  return r.safety.map((s) => {
    const line = lineOfName(specFile, s.name);
    const where = { file: specFile, ...(line !== undefined ? { line } : {}) };
    if (!s.holds) return { name: s.name, classname, status: "violation", message: oneLine(`${s.name} VIOLATED: ${s.counterexample?.explanation ?? ""}`), report, ...where, seconds };
    if (r.status === "incomplete") return { name: s.name, classname, status: "incomplete", message: `held on the part of the graph explored: ${r.graph.incompleteReason ?? "a budget cut the graph"}`, report, ...where, seconds };
    return { name: s.name, classname, status: "ok", report, ...where, seconds };
  });
}

/** The JSON report (traces/schemas/bivalence-report.schema.json). */
export function reportJson(specFile: string, name: string, r: BivalenceResult): Record<string, unknown> {
  const { explore, ...rest } = r;
  return { tool: "dscheck", command: "bivalence", spec: specFile, name, ...rest, coverage: explore.coverage, warnings: explore.warnings };
}

const showV = (v: Valence) =>
  v.kind === "bivalent" ? `bivalent {${v.values.map(String).join(", ")}}` : v.kind === "univalent" ? `${String(v.values[0])}-valent` : v.kind === "none" ? "no decision reachable" : `unknown (bounded; reaches {${v.values.map(String).join(", ")}} at least)`;
const rp = (w: { path: readonly number[] }) => w.path.join("/");

function steps(w: Witness, indent: string): string {
  return w.steps.length ? w.steps.map((s, i) => `${indent}${i + 1}. ${s}`).join("\n") + "\n" : `${indent}(the initial state)\n`;
}

function lassoText(l: LassoReport, specFile: string): string {
  let out = `  prefix (replay ${rp(l.prefix)}):\n${steps(l.prefix, "    ")}`;
  out += l.loop.length ? `  loop, back to the same state (replay ${l.replayPath.join("/")} ends where it starts):\n${l.loopSteps.map((s, i) => `    ${i + 1}. ${s}`).join("\n")}\n` : `  then no live process has a step: the run stutters there forever\n`;
  out += `  crashed: ${l.crashed.join(", ") || "none"}; never deciding: ${l.undecided.join(", ") || "none"}\n`;
  out += `  npx dscheck explore ${specFile} --replay ${l.replayPath.join("/")}\n`;
  return out;
}

export function text(specFile: string, name: string, r: BivalenceResult): string {
  const g = r.graph;
  let out = `${name}: ${r.processes.length} processes (${r.processes.join(", ")}), ${r.failure.model}, at most ${r.failure.maxFaulty} faulty; params ${JSON.stringify(r.params)}\n`;
  if (r.status === "error") return out + `ERROR: ${r.error}\n`;
  out += `graph: ${g.distinctStates.toLocaleString("en-US")} states, ${g.edges.toLocaleString("en-US")} edges${g.complete ? ", complete" : ""}`;
  if (!g.complete) out += ` — PARTIAL${g.incompleteReason ? ` (${g.incompleteReason})` : ""}${g.bounded ? `; bounded: ${g.bounded.byDepth} states at the depth bound, ${g.bounded.byConstraint} successors outside the constraint` : ""}`;
  out += `\nvalence: ${r.counts.bivalent} bivalent, ${r.counts.univalent.map((u) => `${u.states} ${String(u.value)}-valent`).join(", ")}, ${r.counts.none} with no decision reachable${r.counts.unknown ? `, ${r.counts.unknown} unknown (their future is cut by a bound)` : ""}\n`;
  out += `  (${(r.timing.exploreMs / 1000).toFixed(2)} s exploring, ${(r.timing.labelMs / 1000).toFixed(2)} s labelling, ${(r.timing.valenceMs / 1000).toFixed(2)} s analysis)\n\n`;
  out += `Initial configurations (Lemma 2):\n`;
  for (const c of r.initial.slice(0, 32)) out += `  #${c.id}${c.inputs ? ` inputs ${JSON.stringify(c.inputs)}` : ""}: ${showV(c.valence)}  (replay ${rp(c)})\n`;
  if (r.initial.length > 32) out += `  ... ${r.initial.length - 32} more\n`;
  const biv = r.initial.filter((c) => c.valence.kind === "bivalent");
  out += biv.length ? `  ${biv.length} bivalent initial configuration${biv.length === 1 ? "" : "s"}\n` : `  no bivalent initial configuration\n`;
  if (r.adjacent) {
    const a = r.adjacent;
    out += `  adjacent: #${a.a} and #${a.b} differ only in ${a.process}'s input and have different valences.\n`;
    if (a.run) {
      out += `  a run in which ${a.process} takes no step (as if it had crashed) decides ${String(a.run.decided)} from #${a.a} (replay ${rp(a.run)}):\n${steps(a.run, "    ")}`;
      out += a.run.mirrored ? `  the same events from #${a.b} decide ${String(a.run.mirrored.decided)} (replay ${rp(a.run.mirrored)}): without ${a.process}, the two cannot be told apart\n` : `  the same events are not all possible from #${a.b}\n`;
    } else out += `  no run without a step of ${a.process} decides from #${a.a}: the protocol does not tolerate ${a.process}'s crash there\n`;
  }
  if (r.lemma3) {
    out += `\nLemma 3 at bivalent configuration #${r.lemma3.configuration}: for each event e, an extension that applies e last and stays bivalent\n`;
    for (const e of r.lemma3.events) {
      out += `  ${e.event}: ${e.outcome === "stays-bivalent" ? `stays bivalent (replay ${rp(e.witness!)}, ${e.witness!.steps.length} steps)` : e.outcome === "never-bivalent" ? "every extension ending with it is univalent or undecidable" : "unknown (the graph is cut)"}\n`;
    }
  }
  out += `\nAdmissible non-deciding run (a fair cycle of bivalent configurations):\n`;
  if (r.lasso) out += lassoText(r.lasso, specFile);
  else out += r.fairCycles.conclusive ? `  none: every fair run leaves the bivalent configurations within the bound\n` : `  none found in the explored part (the graph is cut: not a proof)\n`;
  if (!r.lasso || r.nonDeciding?.prefix.path.join("/") !== r.lasso.prefix.path.join("/")) {
    out += `Fair run in which a live process never decides:\n`;
    if (r.nonDeciding) out += lassoText(r.nonDeciding, specFile);
    else out += r.fairCycles.conclusive ? `  none: every fair run decides\n` : `  none found in the explored part\n`;
  }
  out += `\nCritical configurations (bivalent, every successor univalent): ${r.critical.count}\n`;
  for (const c of r.critical.shown) {
    out += `  #${c.id} (replay ${rp(c)}):\n${c.events.map((e) => `    ${e.event} -> ${showV(e.valence)}`).join("\n")}\n`;
  }
  out += `\nBlocking (a live process that has not decided and never can): `;
  if (r.blocking.count === 0) out += r.blocking.conclusive ? "none: non-blocking\n" : "none among the states whose future is complete\n";
  else out += `${r.blocking.count} states; first: ${r.blocking.first!.processes.join(", ")} blocked after (replay ${rp(r.blocking.first!)}):\n${steps(r.blocking.first!, "    ")}`;
  out += `\nSafety:\n`;
  for (const s of r.safety) {
    out += `  ${s.name}: ${s.holds ? "holds" : `VIOLATED: ${s.counterexample!.explanation}`}\n`;
    if (!s.holds) out += `${steps(s.counterexample!, "    ")}    npx dscheck explore ${specFile} --replay ${rp(s.counterexample!)}\n`;
  }
  out += `\nresult: ${r.status === "ok" ? "safety holds" : r.status === "violation" ? "SAFETY VIOLATION" : "INCOMPLETE (a budget cut the graph)"}\n`;
  return out;
}
