// Loader setup shared by the CLI entry and the explorer's worker threads: tsx, so that .ts
// files load on Node 20 without a build step; .ts files load as ES modules even outside a
// "type": "module" package (specs use import); and the bare specifier "dscheck" resolves to
// this package, so a spec in any folder can `import { defineSpec } from "dscheck"`.
import { register as registerHook } from "node:module";
import { register } from "tsx/esm/api";

const hook = `
let target;
export function initialize(data) { target = data.indexUrl; }
export async function resolve(specifier, context, next) {
  if (specifier === "dscheck") return { url: target, shortCircuit: true };
  const r = await next(specifier, context);
  if (r.url.endsWith(".ts") && r.format !== "module") return { ...r, format: "module" };
  return r;
}`;

export function installLoader() {
  register();
  const indexUrl = new URL("../checker/index.ts", import.meta.url).href;
  registerHook(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { indexUrl } });
}
