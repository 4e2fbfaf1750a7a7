/**
 * An explore result as CI test cases (cli/ci.ts): one per property, pointing at the line
 * of the spec file that names it. A property the search did not finish checking (a budget
 * ran out, or it stopped at another property's violation) is "incomplete", never a pass;
 * a `sometimes` property with an example holds whatever happened after.
 */
import { readFileSync } from "node:fs";
import type { ExploreResult, ReplayResult } from "../../checker/index.ts";
import { oneLine, type CaseStatus, type CiCase } from "../ci.ts";

/** The line of `file` that defines `name` (`name:` or `"name":`), when there is one. */
export function lineOfName(file: string, name: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`(^|[^\\w$])["']?${escaped}["']?\\s*:`);
  const i = text.split("\n").findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : undefined;
}

export function exploreCases(specFile: string, result: ExploreResult, report: string): CiCase[] {
  const classname = `dscheck.explore.${specFile}`;
  const at = (name: string) => {
    const line = lineOfName(specFile, name);
    return { file: specFile, ...(line !== undefined ? { line } : {}) };
  };
  const seconds = result.elapsedMs / 1000;
  if (result.status === "error") {
    const e = result.error;
    const name = e?.property ?? e?.action ?? "spec";
    return [{ name, classname, status: "error", message: e ? `spec error (${e.kind}): ${oneLine(e.message)}` : oneLine(report), report, ...at(name), seconds }];
  }
  const violated = result.violation?.property;
  const names = result.properties.map((p) => p.name);
  const cases: CiCase[] = result.properties.map((p) => {
    let status: CaseStatus = "ok";
    let message: string | undefined;
    if (p.name === violated) {
      status = "violation";
      message = oneLine(report.split("\n").find((l) => l.startsWith("VIOLATION")) ?? report);
    } else if (p.kind === "sometimes" && result.examples[p.name]) {
      status = "ok";
    } else if (result.status === "incomplete") {
      status = "incomplete";
      message = `not checked to the end: ${result.incompleteReason ?? "a budget ran out"}`;
    } else if (result.status === "violation") {
      status = "incomplete";
      message = `not checked to the end: the search stopped at the violation of ${violated}`;
    }
    return { name: p.name, classname, status, ...(message ? { message } : {}), report, ...at(p.name), seconds };
  });
  // A violation that is not one of the properties (a deadlock) is a case of its own.
  if (violated !== undefined && !names.includes(violated)) {
    cases.push({ name: violated, classname, status: "violation", message: oneLine(report.split("\n").find((l) => l.startsWith("VIOLATION")) ?? report), report, file: specFile, seconds });
  }
  return cases;
}

/** `explore --replay`: one case, the path. */
export function replayCases(specFile: string, path: readonly number[], r: ReplayResult, report: string): CiCase[] {
  const status: CaseStatus = r.status === "ok" ? "ok" : r.status === "violation" ? "violation" : "error";
  return [{ name: `replay ${path.join("/")}`, classname: `dscheck.explore.${specFile}`, status, message: oneLine(report.split("\n").find((l) => /VIOLATION|ERROR|error/.test(l)) ?? report), report, file: specFile }];
}
