/** The terminal report of `dscheck explore`: what was checked, the figures, the verdict, the trace. */
import type { ExploreResult, ReplayResult, TraceStep } from "../../checker/index.ts";
import { formatValue, n } from "./format-value.ts";

export function traceText(trace: readonly TraceStep[]): string[] {
  const lines: string[] = [];
  trace.forEach((step, i) => {
    lines.push(`  ${String(i).padStart(3)}  ${step.label}`);
    if (step.formatted !== undefined) lines.push(...step.formatted.split("\n").map((l) => `         | ${l}`));
    for (const c of step.changes) {
      lines.push(i === 0 ? `         ${c.path} = ${formatValue(c.after)}` : `         ${c.path}: ${formatValue(c.before, 60)} -> ${formatValue(c.after, 60)}`);
    }
  });
  return lines;
}

export function exploreText(specFile: string, specName: string, description: string | undefined, r: ExploreResult, reproduce: string | undefined): string {
  const out: string[] = [];
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(" ") || "(none)";
  out.push(`spec        ${specName}${description ? ` - ${description}` : ""} (${specFile})`);
  out.push(`params      ${params}`);
  out.push(`properties  ${r.properties.map((p) => `${p.name} (${p.kind})`).join(", ") || "(none)"}`);
  out.push(`strategy    ${r.strategy}${r.seed !== undefined ? ` seed=${r.seed}, ${n(r.runs ?? 0)} runs` : ""}${r.workers > 1 ? ` on ${r.workers} workers` : ""}`);
  const seconds = r.elapsedMs / 1000;
  out.push(`states      ${n(r.distinctStates)} distinct, ${n(r.generatedStates)} generated, depth ${r.maxDepth}`);
  out.push(`time        ${seconds.toFixed(2)} s, ${n(seconds > 0 ? r.distinctStates / seconds : 0)} distinct states/s`);
  out.push(`memory      visited set ${r.bytesPerState.toFixed(1)} bytes/state, trace columns ${r.traceBytesPerState.toFixed(1)} bytes/state`);
  out.push(`collisions  fingerprint collision probability: optimistic ${r.collisionProbability.optimistic.toExponential(1)}, any pair ${r.collisionProbability.birthday.toExponential(1)}`);
  if (r.memo) {
    const direct = r.memo.directActions.length ? `; evaluated directly: ${r.memo.directActions.join(", ")}` : "";
    out.push(`memo        actions memoized: ${n(r.memo.hits)} hits, ${n(r.memo.misses)} misses${direct}`);
  }
  if (r.bounded) out.push(`bounds      ${n(r.bounded.byDepth)} states at the depth bound not expanded; ${n(r.bounded.byConstraint)} successors outside the constraint checked, not counted as distinct, not expanded`);
  if (r.coverage.length) out.push(`coverage    ${r.coverage.map((c) => `${c.action} ${n(c.enabled)}/${n(c.newStates)}`).join(", ")}  (successors generated / new states)`);
  for (const c of r.coverage) {
    if (c.disabledBy && Object.values(c.disabledBy).some((x) => x > 0)) out.push(`            ${c.action} disabled by ${Object.entries(c.disabledBy).map(([g, x]) => `${g} ${n(x)}`).join(", ")}`);
  }
  for (const w of r.warnings) out.push(`warning     ${w}`);
  out.push("");
  switch (r.status) {
    case "ok":
      out.push(
        r.strategy === "simulate"
          ? `OK: no violation in ${n(r.runs ?? 0)} random runs (simulation is not exhaustive)`
          : `OK: every property holds in all ${n(r.distinctStates)} reachable states${r.bounded ? " within the bounds" : ""}${r.workers > 1 ? ` (${r.workers} workers)` : ""}`,
      );
      break;
    case "incomplete":
      out.push(`INCOMPLETE: ${r.incompleteReason}; no violation among the ${n(r.distinctStates)} states explored, but the search did not finish`);
      break;
    case "error": {
      const e = r.error!;
      out.push(`SPEC ERROR (${e.kind}): ${e.message}`);
      if (e.action) out.push(`  action: ${e.action}${e.args?.length ? ` args ${formatValue(e.args)}` : ""}`);
      if (e.property) out.push(`  property: ${e.property}`);
      if (e.state !== undefined) out.push(`  in state: ${formatValue(e.state, 400)}`);
      if (e.path) out.push(`  reached by replay path ${e.path.join("/")}`);
      const where = e.stack ? specFrame(e.stack) : undefined;
      if (where) out.push(`  thrown at ${where}`);
      break;
    }
    case "violation": {
      const v = r.violation!;
      out.push(`VIOLATION of ${v.property} (${v.kind})${v.explanation ? `: ${v.explanation}` : ""}`);
      if ("path" in v) {
        out.push(`${r.strategy === "bfs" ? "shortest " : ""}counterexample, ${v.trace.length - 1} steps:`);
        out.push(...traceText(v.trace));
        out.push(`replay path ${v.path.join("/")}`);
        if (reproduce) out.push(`reproduce:  ${reproduce}`);
      }
      break;
    }
  }
  const found = Object.keys(r.examples);
  if (found.length && r.status !== "error") out.push(`examples found for: ${found.map((k) => `${k} (path ${r.examples[k].path.join("/")})`).join(", ")}`);
  return out.join("\n");
}

/** The terminal report of `--replay`. */
export function replayText(specName: string, path: readonly number[], r: ReplayResult): string {
  const lines = [`replaying ${path.join("/")} on ${specName} (${Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(" ")})`, ...traceText(r.trace)];
  if (r.status === "ok") lines.push(`OK: every property holds along this path of ${r.trace.length - 1} steps`);
  if (r.violation) lines.push(`VIOLATION of ${r.violation.property} (${r.violation.kind}) at step ${r.violation.step}${r.violation.explanation ? `: ${r.violation.explanation}` : ""}`);
  if (r.error) lines.push(`${r.error.kind === "bad-path" ? "BAD PATH" : `SPEC ERROR (${r.error.kind})`}: ${r.error.message}`);
  return lines.join("\n");
}

/**
 * The first stack frame in the user's own code (not dscheck's, not Node's), as
 * file:line:col: where to look, without a stack trace that reads like a crash of the tool.
 */
function specFrame(stack: string): string | undefined {
  const ours = new URL("../../", import.meta.url).pathname;
  for (const line of stack.split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].replace(/^file:\/\//, "");
    if (file.startsWith(ours + "checker/") || file.startsWith(ours + "cli/") || file.includes("/node_modules/")) continue;
    return `${relativeToCwd(file)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

function relativeToCwd(file: string): string {
  const cwd = process.cwd() + "/";
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}
