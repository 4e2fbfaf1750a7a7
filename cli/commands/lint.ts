/**
 * `dscheck lint <spec...>`: what makes each spec impure or non-deterministic (cli/lint/),
 * one line per finding `file:line:col  rule  message`, or one JSON object with `--json`.
 * Exit 0 clean, 1 findings (violations of the spec contract), 2 a spec that is missing or
 * does not parse. JSON: traces/schemas/lint-report.schema.json. `--shard i/N` lints one
 * part of the specs (split by path, as every command with many inputs does).
 */
import type { Command } from "commander";
import { EXIT } from "../exit-codes.ts";
import { writeErr, writeOut } from "../output.ts";
import { emitCi, emptyShardNote, junitOption, selectShard, shardOption, type CiCase, type Shard } from "../ci.ts";
import type { LintError, LintResults } from "../../traces/generated/lint-report.ts";
import { formatFindings, lintSpecs, SpecParseError, type LintResult } from "../lint/lint.ts";
import { RULE_DESCRIPTIONS } from "../lint/rule-names.ts";

interface LintFlags {
  json?: boolean;
  cache: boolean;
  junit?: string;
  shard?: Shard;
}

export function registerLint(program: Command, setExit: (code: number) => void): void {
  program
    .command("lint")
    .description("find what makes a spec impure or non-deterministic (randomness, clocks, I/O, module-level state, state mutation, missing returns)")
    .argument("<spec...>", "spec files (.ts); the local modules they import are linted with them")
    .option("--json", "print one JSON object")
    .option("--no-cache", "lint again even when the spec's files are unchanged since the last lint")
    .addOption(junitOption("spec"))
    .addOption(shardOption())
    .addHelpText("after", `\nRules:\n${Object.entries(RULE_DESCRIPTIONS).map(([r, d]) => `  ${r.padEnd(15)} ${d}`).join("\n")}\n`)
    .action(async (specs: string[], flags: LintFlags) => {
      setExit(await runLint(specs, flags));
    });
}

async function runLint(all: string[], flags: LintFlags): Promise<number> {
  const specs = selectShard(all, flags.shard);
  const note = emptyShardNote(flags.shard, all.length);
  if (specs.length === 0 && note) writeErr(note);
  let results: LintResult[];
  try {
    results = await lintSpecs(specs, { cache: flags.cache });
  } catch (e) {
    if (!(e instanceof SpecParseError)) throw e;
    const ciError = emitCi("lint", [{ name: specs.join(" "), classname: "dscheck.lint", status: "error", message: e.message, report: e.message + "\n" }], flags);
    const report: LintError = { tool: "dscheck", command: "lint", status: "error", error: { kind: "bad-input", message: e.message } };
    if (flags.json) writeOut(JSON.stringify(report) + "\n");
    writeErr(`dscheck lint: ${e.message}\n${ciError ? `dscheck: ${ciError}\n` : ""}`);
    return EXIT.error;
  }
  const findings = results.flatMap((r) => r.findings);
  const cases: CiCase[] = results.map((r) => {
    const first = r.findings[0];
    return first
      ? { name: r.spec, classname: "dscheck.lint", status: "violation", message: `${first.file}:${first.line}:${first.column} ${first.rule}: ${first.message}${r.findings.length > 1 ? ` (and ${r.findings.length - 1} more)` : ""}`, report: formatFindings(r.findings) + "\n", file: first.file, line: first.line }
      : { name: r.spec, classname: "dscheck.lint", status: "ok", report: `${r.spec}: no findings in ${r.files.join(", ")}\n` };
  });
  const ciError = emitCi("lint", cases, flags);
  if (ciError) {
    writeErr(`dscheck: ${ciError}\n`);
    return EXIT.error;
  }
  const status: LintResults["status"] = findings.length ? "violation" : "ok";
  if (flags.json) {
    const report: LintResults = { tool: "dscheck", command: "lint", status, specs: results.map((r) => ({ spec: r.spec, files: [...r.files], findings: [...r.findings], cached: r.cached })) };
    writeOut(JSON.stringify(report) + "\n");
  } else {
    if (findings.length) writeOut(formatFindings(findings) + "\n");
    const files = new Set(results.flatMap((r) => r.files)).size;
    writeOut(`${findings.length === 0 ? "no findings" : `${findings.length} finding${findings.length === 1 ? "" : "s"}`} in ${files} file${files === 1 ? "" : "s"} (${results.length} spec${results.length === 1 ? "" : "s"})\n`);
  }
  return findings.length ? EXIT.violation : EXIT.ok;
}
