// Entry of every worker thread the CLI starts: the module named in workerData.entry. The
// sources (a .ts entry) need the loader (tsx, "dscheck" resolving to this package) first;
// a compiled entry installs it only to import the spec (load-spec.ts, ensureSpecLoader), so
// that its own modules load without the hooks.
import { workerData } from "node:worker_threads";
import { installLoader } from "./loader.mjs";

if (workerData.entry.endsWith(".ts")) installLoader();
await import(workerData.entry);
