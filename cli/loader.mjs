// Loader setup shared by the CLI entry and the explorer's worker threads: tsx, so that .ts
// files load on Node 20 without a build step; .ts files load as ES modules even outside a
// "type": "module" package (specs use import); and the bare specifier "dscheck" resolves to
// this package, so a spec in any folder can `import { defineSpec } from "dscheck"`. It
// resolves to the same tree this file is in (the sources, or dist/ when this is
// dist/cli/loader.mjs), so a spec and the checker share one copy of every class.
import { existsSync } from "node:fs";
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

let installed = false;

export function installLoader() {
  if (installed) return;
  installed = true;
  register();
  const source = new URL("../checker/index.ts", import.meta.url);
  const indexUrl = existsSync(source) ? source.href : new URL("../checker/index.js", import.meta.url).href;
  registerHook(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { indexUrl } });
}
