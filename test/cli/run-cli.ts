// Runs the real CLI (bin/dscheck.cjs) in a child process, as a user would.
import { Ajv } from "ajv";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function dscheck(args: string[], options: { cwd?: string } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dscheck.cjs"), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const exploreSchema = JSON.parse(readFileSync(join(repoRoot, "traces/schemas/explore-report.schema.json"), "utf8"));
const validateExplore = new Ajv({ strict: false }).compile(exploreSchema);

/** An `explore --json` report, parsed and checked against its schema. */
export function exploreReport(stdout: string): Record<string, unknown> {
  const report: Record<string, unknown> = JSON.parse(stdout);
  if (!validateExplore(report)) throw new Error(`report does not match its schema: ${JSON.stringify(validateExplore.errors)}`);
  return report;
}
