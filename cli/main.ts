/**
 * dscheck command line. Each command lives in cli/commands/ and returns an exit code;
 * commander only parses. Usage errors exit 2 like every other bad input.
 */
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { registerExplore } from "./commands/explore.ts";
import { registerHistoryCheck } from "./commands/history-check.ts";
import { registerHistoryIsolation } from "./commands/history-isolation.ts";
import { EXIT } from "./exit-codes.ts";

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command("dscheck")
    .description("Model checker and trace verifier for distributed algorithms")
    .version(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version)
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");
  registerExplore(program, setExit);
  const history = program
    .command("history")
    .description("check recorded histories (Jepsen, Porcupine, dscheck JSON) against a consistency model");
  registerHistoryCheck(history, setExit);
  registerHistoryIsolation(history, setExit);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return EXIT.ok;
      return EXIT.error;
    }
    throw e;
  }
  return exitCode;
}
