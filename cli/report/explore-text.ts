/** The terminal report of `dscheck explore`: what was checked, the figures, the verdict, the trace. */
import type { ExploreResult, TraceStep } from "../../checker/index.ts";
import { formatValue, n } from "./format-value.ts";

export function traceText(trace: readonly TraceStep[]): string[] {
  const lines: string[] = [];
  trace.forEach((step, i) => {
    lines.push(`  ${String(i).padStart(3)}  ${step.label}`);
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
  out.push(`strategy    ${r.strategy}${r.seed !== undefined ? ` seed=${r.seed}, ${n(r.runs ?? 0)} runs` : ""}`);
  const seconds = r.elapsedMs / 1000;
  out.push(`states      ${n(r.distinctStates)} distinct, ${n(r.generatedStates)} generated, depth ${r.maxDepth}`);
  out.push(`time        ${seconds.toFixed(2)} s, ${n(seconds > 0 ? r.distinctStates / seconds : 0)} distinct states/s`);
  out.push(`memory      visited set ${r.bytesPerState.toFixed(1)} bytes/state, trace columns ${r.traceBytesPerState.toFixed(1)} bytes/state`);
  out.push(`collisions  fingerprint collision probability: optimistic ${r.collisionProbability.optimistic.toExponential(1)}, any pair ${r.collisionProbability.birthday.toExponential(1)}`);
  if (r.memo) {
    const direct = r.memo.directActions.length ? `; evaluated directly: ${r.memo.directActions.join(", ")}` : "";
    out.push(`memo        actions memoized: ${n(r.memo.hits)} hits, ${n(r.memo.misses)} misses${direct}`);
  }
  if (r.bounded) out.push(`bounds      ${n(r.bounded.byDepth)} states at the depth bound and ${n(r.bounded.byConstraint)} outside the constraint were not expanded`);
  out.push("");
  switch (r.status) {
    case "ok":
      out.push(
        r.strategy === "simulate"
          ? `OK: no violation in ${n(r.runs ?? 0)} random runs (simulation is not exhaustive)`
          : `OK: every property holds in all ${n(r.distinctStates)} reachable states${r.bounded ? " within the bounds" : ""}`,
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
      if (e.stack) out.push(`  ${e.stack.split("\n").slice(0, 4).join("\n  ")}`);
      break;
    }
    case "violation": {
      const v = r.violation!;
      out.push(`VIOLATION of ${v.property} (${v.kind})${v.explanation ? `: ${v.explanation}` : ""}`);
      if ("path" in v) {
        out.push(`${r.strategy === "bfs" ? "shortest " : ""}counterexample, ${v.trace.length - 1} steps:`);
        out.push(...traceText(v.trace));
        if (!v.reproduced) out.push("WARNING: replaying this path did not reproduce the state the search found: the spec is probably non-deterministic");
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
