/**
 * `dscheck schema <spec>`: a JSON Schema for the trace lines of a spec (cli/schema/),
 * derived from the spec's TypeScript types, so that a team can check its logger's output in
 * its own tests. `--format ndjson` (default): event-log lines as `trace validate` reads them;
 * `--format states`: one snapshot of the logged variables per line. Exit 0 with the schema
 * on stdout, 2 for a spec that is missing, does not parse or has no state type to read.
 */
import type { Command } from "commander";
import { Option } from "commander";
import { EXIT } from "../exit-codes.ts";
import { writeErr, writeOut } from "../output.ts";

interface SchemaFlags {
  format: "ndjson" | "states";
}

export function registerSchema(program: Command, setExit: (code: number) => void): void {
  program
    .command("schema")
    .description("print a JSON Schema for the trace lines of a spec, from its TypeScript state and action types")
    .argument("<spec>", "spec file (.ts)")
    .addOption(new Option("--format <format>", "trace line format").choices(["ndjson", "states"]).default("ndjson"))
    .action(async (spec: string, flags: SchemaFlags) => {
      setExit(await runSchema(spec, flags));
    });
}

async function runSchema(spec: string, flags: SchemaFlags): Promise<number> {
  // The compiler is loaded only for this command.
  const { traceSchema, SchemaError } = await import("../schema/trace-schema.ts");
  try {
    writeOut(JSON.stringify(await traceSchema(spec, flags.format), null, 2) + "\n");
    return EXIT.ok;
  } catch (e) {
    if (e instanceof SchemaError) {
      writeErr(`dscheck schema: ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
