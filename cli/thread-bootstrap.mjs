// Entry of every worker thread the CLI starts: the loader setup (tsx, "dscheck" resolving to
// this package), then the TypeScript module named in workerData.entry.
import { workerData } from "node:worker_threads";
import { installLoader } from "./loader.mjs";

installLoader();
await import(workerData.entry);
