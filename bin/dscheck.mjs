#!/usr/bin/env node
// Entry point: installs the loader (tsx, "dscheck" resolving to this package; see
// cli/loader.mjs), then hands over to the TypeScript CLI.
import { installLoader } from "../cli/loader.mjs";

// A reader that goes away (`dscheck ... | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
installLoader();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
