/**
 * dscheck command line. Each command lives in cli/commands/ and returns an exit code;
 * commander only parses. Usage errors exit 2 like every other bad input.
 *
 * Commands are imported lazily: only the one named on the command line is loaded (all of
 * them for --help, an unknown command or none), so `dscheck --version` or a small
 * `history check` does not pay for the explorer, the isolation checker or the trace validator.
 */
import { Command, CommanderError } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { EXIT } from "./exit-codes.ts";
import { OutputError, writeErr, writeOut } from "./output.ts";

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command("dscheck")
    .description("Model checker and trace verifier for distributed algorithms")
    .version(packageVersion())
    .exitOverride()
    // One line per usage error (scripts read stderr too).
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`) });
  await registerCommands(program, argv, setExit);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return EXIT.ok;
      // Commander has said it on stderr; a program reading --json gets one object on stdout too.
      if (argv.includes("--json")) {
        const command = commandName(argv);
        writeOut(JSON.stringify({ tool: "dscheck", ...(command ? { command } : {}), status: "error", error: { kind: "usage", message: e.message.replace(/^error: /, "") } }) + "\n");
      }
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

/** The package's version: package.json is one level up from cli/, two from dist/cli/. */
function packageVersion(): string {
  const up = new URL("../package.json", import.meta.url);
  const file = existsSync(up) ? up : new URL("../../package.json", import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")).version;
}

const COMMANDS = ["explore", "trace", "history", "cuts", "bivalence", "merge", "lint", "schema", "report"] as const;

/** The command a usage error belongs to, as JSON results name it ("history check"); none for an unknown one. */
function commandName(argv: readonly string[]): string | undefined {
  const [first, second] = argv.filter((a) => !a.startsWith("-"));
  if (first === "trace") return second === "validate" ? "trace validate" : undefined;
  if (first === "history") return second === "check" || second === "isolation" ? `history ${second}` : undefined;
  return (COMMANDS as readonly string[]).includes(first ?? "") ? first : undefined;
}

/**
 * Registers the command named by the first argument (each command module imported only
 * when needed); every command when there is none (`--help`, `--version`: the version needs
 * none, but help lists them all), or when it is not one of ours (commander then says so).
 */
async function registerCommands(program: Command, argv: readonly string[], setExit: (code: number) => void): Promise<void> {
  const first = argv.find((a) => !a.startsWith("-"));
  if (first === undefined && argv.some((a) => a === "--version" || a === "-V")) return;
  const wanted = (COMMANDS as readonly string[]).includes(first ?? "") ? [first!] : [...COMMANDS];
  for (const name of wanted) {
    switch (name) {
      case "explore":
        (await import("./commands/explore.ts")).registerExplore(program, setExit);
        break;
      case "trace":
        (await import("./commands/trace-validate.ts")).registerTraceValidate(program, setExit);
        break;
      case "history": {
        const history = program
          .command("history")
          .description("check recorded histories (Jepsen, Porcupine, dscheck JSON) against a consistency model");
        const sub = wanted.length === 1 ? argv[argv.indexOf("history") + 1] : undefined;
        if (sub !== "isolation") (await import("./commands/history-check.ts")).registerHistoryCheck(history, setExit);
        if (sub !== "check") (await import("./commands/history-isolation.ts")).registerHistoryIsolation(history, setExit);
        break;
      }
      case "cuts":
        (await import("./commands/cuts.ts")).registerCuts(program, setExit);
        break;
      case "bivalence":
        (await import("./commands/bivalence.ts")).registerBivalence(program, setExit);
        break;
      case "report":
        (await import("./commands/report.ts")).registerReport(program, setExit);
        break;
      case "merge":
        (await import("./commands/merge.ts")).registerMerge(program, setExit);
        break;
      case "lint":
        (await import("./commands/lint.ts")).registerLint(program, setExit);
        break;
      case "schema":
        (await import("./commands/schema.ts")).registerSchema(program, setExit);
        break;
    }
  }
}
