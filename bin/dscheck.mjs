#!/usr/bin/env node
// Entry point: installs the loader (tsx, "dscheck" resolving to this package; see
// cli/loader.mjs), then hands over to the TypeScript CLI.
import { installLoader } from "../cli/loader.mjs";

// A reader that goes away (`dscheck ... | head`) is not an error of ours; any other failure
// to write a report is bad output (exit 2). No fault of ours may exit 1, the violation code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => process.exit(e.code === "EPIPE" ? (process.exitCode ?? 0) : 2));
}
process.on("uncaughtException", (e) => {
  try {
    process.stderr.write(`dscheck: internal error: ${e?.stack ?? e}\n`);
  } finally {
    process.exit(2);
  }
});
installLoader();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
