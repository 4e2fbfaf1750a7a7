// Runs one explorer workload in this process and prints its figures as JSON (bench/run.ts
// starts one process per workload so that peak RSS belongs to that workload alone).
import { explore } from "../checker/index.ts";

const [specPath, paramsJson, optionsJson] = process.argv.slice(2);
const spec = (await import(new URL(`../${specPath}`, import.meta.url).href)).default;
const params = JSON.parse(paramsJson);
const t0 = performance.now();
const r = explore(spec, { ...JSON.parse(optionsJson ?? "{}"), params, now: () => performance.now() - t0, checkDeterminism: true });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({
    status: r.status,
    distinct: r.distinctStates,
    generated: r.generatedStates,
    seconds,
    statesPerSecond: r.distinctStates / seconds,
    bytesPerState: r.bytesPerState,
    traceBytesPerState: r.traceBytesPerState,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    memo: r.memo,
  }) + "\n",
);
