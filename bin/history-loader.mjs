// Copied to <dist>/bundle/history.js by `npm run build` (bin/bundle-history.mjs): loads the
// history commands' bundle (history.cjs, one CommonJS file) through vm.Script with the V8 code
// cache the build made by running it once (history-<id>.cache), so that start-up neither parses
// nor compiles what the cache holds (Node 20 has no compile cache of its own). V8 checks the
// cache against the source's length, its own version and its flags, and rejects it silently on
// any difference (another Node, `--cpu-prof`); the cache's name ties it to the very bundle. A
// missing or rejected cache only costs the compile; the code that runs is the same either way.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const file = fileURLToPath(new URL("./history.cjs", import.meta.url));
const text = readFileSync(file, "utf8");
// The cache made for this very bundle, named on its first line (V8 itself compares only the source's length).
const id = /^\/\* dscheck-bundle (\w+) \*\//.exec(text)?.[1];
let cachedData;
try {
  if (id) cachedData = readFileSync(fileURLToPath(new URL(`./history-${id}.cache`, import.meta.url)));
} catch {
  // No cache (a build that could not make one): compiled as any script.
}
// The module wrapper of CommonJS, on the bundle's first line (its line numbers stay), strict as
// the ES modules it was built from; `__dscheckImport` imports a command the bundle does not hold.
const source = `(function (exports, require, module, __filename, __dirname, __dscheckImport) { "use strict"; ${text}\n})`;
// The name stack traces give the bundle: V8 keeps the one the cache was made under (in the
// build's folder), so it is the same wherever the package is and whether the cache is used.
const script = new Script(source, { filename: "dist/bundle/history.cjs", cachedData });
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file), (url) => import(url));

/** The CLI (cli/main.ts), as bundled. */
export const main = bundle.exports.main;

/** For the build: V8's code cache of the bundle, holding every function compiled so far. */
export const codeCache = () => script.createCachedData();

/** Whether V8 refused the cache (undefined: there was none). */
export const cacheRejected = cachedData === undefined ? undefined : script.cachedDataRejected;
