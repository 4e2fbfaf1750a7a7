#!/usr/bin/env node
// Entry point: registers tsx so that the CLI and user specs (.ts) load on Node 20
// without a build step, then hands over to the TypeScript CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
