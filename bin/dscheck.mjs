#!/usr/bin/env node
// Entry point: registers tsx so that the CLI and user specs (.ts) load on Node 20 without a
// build step, maps the bare specifier "dscheck" to this package (so a spec anywhere on disk
// can `import { defineSpec } from "dscheck"`), then hands over to the TypeScript CLI.
import { register as registerHook } from "node:module";
import { register } from "tsx/esm/api";

const indexUrl = new URL("../checker/index.ts", import.meta.url).href;
const hook = `
let target;
export function initialize(data) { target = data.indexUrl; }
export async function resolve(specifier, context, next) {
  if (specifier === "dscheck") return { url: target, shortCircuit: true };
  const r = await next(specifier, context);
  // Specs are ES modules (they use import): load a .ts file as one even outside a
  // "type": "module" package, where Node would otherwise pick CommonJS.
  if (r.url.endsWith(".ts") && r.format !== "module") return { ...r, format: "module" };
  return r;
}`;
// A reader that goes away (`dscheck ... | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
register();
registerHook(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { indexUrl } });
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
