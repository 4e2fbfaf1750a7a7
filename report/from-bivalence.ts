/**
 * `dscheck bivalence --json` as a Report: a failed safety check (Agreement, Validity, an
 * always property) is a violation with its run; the fair non-deciding lasso and blocking are
 * findings that do not fail (FLP says one of them exists for any protocol that tolerates a
 * crash), the lasso's steps coloured by valence and looping back with `loopsTo`.
 */
import type { BivalenceReport, Lasso, Valence, Witness } from "../traces/generated/bivalence-report.ts";
import { replayCommand } from "./from-explore.ts";
import type { Finding, Report, ReportFact, Step } from "./model.ts";
import { paramsText } from "./values.ts";

/** "bivalent", "0-valent", "none", "unknown". */
export function valenceText(v: Valence): string {
  return v.kind === "univalent" ? `${String(v.values[0])}-valent` : v.kind;
}

/** The action of a label written name(args); the JSON has labels only, so others are just "step". */
const actionOf = (label: string) => /^([A-Za-z_$][\w$]*)\(/.exec(label)?.[1] ?? "step";

/** A witness's run as steps: the initial state, then one per label (states are not in the JSON). */
function witnessSteps(w: Witness, labels: readonly string[] = w.steps): Step[] {
  return [{ action: "init", args: [], label: "initial state", changes: [], state: null }, ...labels.map((l) => ({ action: actionOf(l), args: [], label: l, changes: [], state: null }))];
}

function lassoFinding(r: BivalenceReport, name: string, l: Lasso, message: string): Finding {
  const steps = witnessSteps(l.prefix, [...l.prefix.steps, ...l.loopSteps]).map((s, i) => (l.valences?.[i] ? { ...s, valence: valenceText(l.valences[i]) } : s));
  const path = l.replayPath.join("/");
  return {
    name,
    verdict: "ok",
    message: `${message}; crashed: ${l.crashed.join(", ") || "none"}; never deciding: ${l.undecided.join(", ") || "none"}${l.loop.length ? "" : "; then no live process has a step: the run stutters there forever"}`,
    steps,
    ...(l.loop.length ? { loopsTo: l.prefix.steps.length } : {}),
    replay: { command: replayCommand(r.spec, r.params ?? {}, path), path: [...l.replayPath] },
  };
}

export function fromBivalence(r: BivalenceReport): Report {
  const subject = r.spec;
  if (r.status === "error") {
    const e = r.error as { message?: string } | string | undefined;
    const message = typeof e === "string" ? e : (e?.message ?? "error");
    return { checker: "bivalence", subject, verdict: "error", headline: `ERROR: ${message}`, facts: [], findings: [{ name: "error", verdict: "error", message }], warnings: [...(r.warnings ?? [])] };
  }
  const facts: ReportFact[] = [
    { label: "spec", value: r.name ? `${r.name} (${r.spec})` : r.spec },
    { label: "params", value: paramsText(r.params as Record<string, unknown>) },
    { label: "processes", value: (r.processes ?? []).join(", ") },
  ];
  if (r.failure) facts.push({ label: "failure model", value: `${r.failure.model}, at most ${r.failure.maxFaulty} faulty` });
  if (r.graph) facts.push({ label: "states", value: r.graph.distinctStates }, { label: "graph complete", value: r.graph.complete });
  if (r.counts) facts.push({ label: "bivalent states", value: r.counts.bivalent });
  const biv = (r.initial ?? []).filter((c) => c.valence.kind === "bivalent");
  facts.push({ label: "bivalent initial configurations", value: biv.length });
  const findings: Finding[] = [];
  for (const s of r.safety ?? []) {
    if (s.holds) continue;
    const c = s.counterexample as (Witness & { explanation?: string }) | undefined;
    const steps = c ? witnessSteps(c) : undefined;
    if (steps) steps[steps.length - 1] = { ...steps[steps.length - 1], highlight: true };
    findings.push({
      name: s.name,
      verdict: "violation",
      message: `${s.name} (${s.kind}) violated${c?.explanation ? `: ${c.explanation}` : ""}`,
      ...(steps ? { steps } : {}),
      ...(c ? { replay: { command: replayCommand(r.spec, r.params ?? {}, c.path.join("/")), path: [...c.path] } } : {}),
    });
  }
  if (r.lasso) findings.push(lassoFinding(r, "bivalent lasso", r.lasso, "an admissible run that never decides: a fair cycle of bivalent configurations"));
  if (r.nonDeciding && (!r.lasso || r.nonDeciding.prefix.path.join("/") !== r.lasso.prefix.path.join("/"))) {
    findings.push(lassoFinding(r, "non-deciding run", r.nonDeciding, "a fair run in which a live process never decides"));
  }
  if (r.blocking?.first) {
    const b = r.blocking.first as Witness & { processes?: string[] };
    findings.push({ name: "blocking", verdict: "ok", message: `${r.blocking.count} state(s) where a live process has not decided and never can${b.processes ? ` (${b.processes.join(", ")})` : ""}`, steps: witnessSteps(b), replay: { command: replayCommand(r.spec, r.params ?? {}, b.path.join("/")), path: [...b.path] } });
  }
  const result = r.status === "ok" ? "safety holds" : r.status === "violation" ? "SAFETY VIOLATION" : "INCOMPLETE (a budget cut the graph)";
  const lasso = r.lasso ? "; a fair bivalent run exists" : r.fairCycles?.conclusive ? "; every fair run leaves the bivalent configurations" : "";
  return { checker: "bivalence", subject, verdict: r.status, headline: `${result}${lasso}`, facts, findings, warnings: [...(r.warnings ?? [])] };
}
