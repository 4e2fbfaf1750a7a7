// Copied to <dist>/bundle/load.cjs by `npm run build` (bin/bundle-history.mjs): loads the
// history commands' bundle (history.cjs, one CommonJS file) through vm.Script with the V8 code
// cache the build made by running it once (history-<id>.cache), so that start-up neither parses
// nor compiles what the cache holds (Node 20 has no compile cache of its own). V8 checks the
// cache against the source's length, its own version and its flags, and rejects it silently on
// any difference (another Node, `--cpu-prof`); the cache's name ties it to the very bundle. A
// missing or rejected cache only costs the compile; the code that runs is the same either way.
// CommonJS, like the bin that requires it (bin/dscheck.cjs: no ES module loader to start).
"use strict";
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { join } = require("node:path");
const { Script } = require("node:vm");

const file = join(__dirname, "history.cjs");
const text = readFileSync(file, "utf8");
// The cache made for this very bundle, named on its first line (V8 itself compares only the source's length).
const id = /^\/\* dscheck-bundle (\w+) \*\//.exec(text)?.[1];
let cachedData;
try {
  if (id) cachedData = readFileSync(join(__dirname, `history-${id}.cache`));
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
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, __dirname, (url) => import(url));

/** The CLI (cli/main.ts), as bundled. */
exports.main = bundle.exports.main;

/** For the build: V8's code cache of the bundle, holding every function compiled so far. */
exports.codeCache = () => script.createCachedData();

/** Whether V8 refused the cache (undefined: there was none). */
exports.cacheRejected = cachedData === undefined ? undefined : script.cachedDataRejected;
