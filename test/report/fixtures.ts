// The saved JSON results of test/fixtures/reports/ (made by its generate.ts from real runs),
// with the exit code each command gave, and the report schema's validator.
import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../cli/run-cli.ts";

export const fixtureDir = join(repoRoot, "test", "fixtures", "reports");

export interface Fixture {
  readonly name: string;
  readonly file: string;
  readonly json: unknown;
  /** The exit code of the command that printed it. */
  readonly exit: number;
}

const index = JSON.parse(readFileSync(join(fixtureDir, "index.json"), "utf8")) as Record<string, { args: string[]; exit: number }>;

export const fixtures: Fixture[] = Object.entries(index).map(([name, { exit }]) => {
  const file = join(fixtureDir, `${name}.json`);
  return { name, file, json: JSON.parse(readFileSync(file, "utf8")), exit };
});

export const fixture = (name: string): Fixture => {
  const f = fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
};

const ajv = new Ajv({ strict: false, allowUnionTypes: true });
ajv.addKeyword("tsType");
const validateReport = ajv.compile(JSON.parse(readFileSync(join(repoRoot, "traces/schemas/report.schema.json"), "utf8")));

/** Throws unless `value` fits traces/schemas/report.schema.json. */
export function assertReportSchema(value: unknown): void {
  if (!validateReport(value)) throw new Error(`not a report: ${JSON.stringify(validateReport.errors?.slice(0, 3))}`);
}
