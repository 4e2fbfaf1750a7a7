/**
 * `npm run bench`: explorer, linearizability and isolation benchmarks, printed as figures
 * with the workload named. `npm run bench -- --full` adds Raft servers=3 maxTerm=2 (8 M states);
 * `--only explore|linearizability|serializability|startup|trace|cuts` runs one group.
 */
import { benchExplore } from "./explore.ts";
import { benchLinearizability } from "./linearizability.ts";
import { benchSerializability } from "./serializability.ts";
import { benchStartup } from "./startup.ts";
import { benchTrace } from "./trace.ts";
import { benchCuts } from "./cuts.ts";

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const full = args.includes("--full");

const groups: [string, () => Promise<string[]>][] = [
  ["explore", () => benchExplore(full)],
  ["linearizability", benchLinearizability],
  ["serializability", benchSerializability],
  ["startup", benchStartup],
  ["trace", benchTrace],
  ["cuts", benchCuts],
];
for (const [name, run] of groups) {
  if (only && only !== name) continue;
  console.log(`\n== ${name} ==`);
  for (const line of await run()) console.log(line);
}
