/**
 * dscheck command line. Each command lives in cli/commands/ and returns an exit code;
 * commander only parses. Usage errors exit 2 like every other bad input.
 */
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { registerExplore } from "./commands/explore.ts";
import { registerTraceValidate } from "./commands/trace-validate.ts";
import { registerHistoryCheck } from "./commands/history-check.ts";
import { registerHistoryIsolation } from "./commands/history-isolation.ts";
import { registerCuts } from "./commands/cuts.ts";
import { registerBivalence } from "./commands/bivalence.ts";
import { EXIT } from "./exit-codes.ts";
import { OutputError, writeErr, writeOut } from "./output.ts";

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command("dscheck")
    .description("Model checker and trace verifier for distributed algorithms")
    .version(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version)
    .exitOverride()
    // One line per usage error (scripts read stderr too).
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`) });
  registerExplore(program, setExit);
  registerTraceValidate(program, setExit);
  const history = program
    .command("history")
    .description("check recorded histories (Jepsen, Porcupine, dscheck JSON) against a consistency model");
  registerHistoryCheck(history, setExit);
  registerHistoryIsolation(history, setExit);
  registerCuts(program, setExit);
  registerBivalence(program, setExit);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return EXIT.ok;
      // Commander has said it on stderr; a program reading --json gets one object on stdout too.
      if (argv.includes("--json")) writeOut(JSON.stringify({ tool: "dscheck", status: "error", error: { kind: "usage", message: e.message.replace(/^error: /, "") } }) + "\n");
      return EXIT.error;
    }
    if (e instanceof OutputError) {
      if (e.message !== "EPIPE") writeErr(`dscheck: ${e.message}\n`);
      return e.message === "EPIPE" ? exitCode : EXIT.error;
    }
    // Never exit 1 (a violation) for a fault of our own.
    writeErr(`dscheck: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.error;
  }
  return exitCode;
}
