// Entry of the trace reading thread (read-thread.ts): the sources need tsx to load a .ts
// module on Node 20; dist/ runs the compiled .js one directly.
import { workerData } from "node:worker_threads";

if (workerData.entry.endsWith(".ts")) (await import("tsx/esm/api")).register();
await import(workerData.entry);
