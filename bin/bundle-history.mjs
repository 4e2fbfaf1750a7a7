// Part of `npm run build` (bin/build.mjs): bundles the compiled CLI for the `history` commands
// into <dist>/bundle/history.js (and the chunks of what those commands import lazily), so that
// `dscheck history check` loads a handful of files instead of about fifty modules (node 20
// has no compile cache; each ES module costs its resolution, read and compile). Only the
// history commands run from it: they load no user spec, so nothing they share with a spec
// (the checker's classes and symbols) can be duplicated; every other command runs dist/cli/.
//
// Each bundled module keeps the URL it has in dist/ (its `import.meta.url` is rewritten to
// it), so the files it finds next to itself (schemas, package.json) are found as before.
// Without esbuild, or if bundling fails, there is no bundle and bin/dscheck.mjs runs
// dist/cli/main.js: the bundle only ever makes start-up faster, never changes a result.
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";

/** Commands the history bundle never imports (main.ts imports only the command named). */
const OTHER_COMMANDS = /[\\/]cli[\\/]commands[\\/](explore|trace-validate|cuts|bivalence|report|merge|lint|schema)\.js$/;

/** Bundles `<dist>/cli/main.js` into `<dist>/bundle/`; the reason when it could not, else undefined. */
export async function bundleHistory(dist) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch (e) {
    return `esbuild is not installed (${e.code ?? e.message})`;
  }
  const out = join(dist, "bundle");
  const urlOf = (file) => JSON.stringify(relative(out, file).split("\\").join("/"));
  try {
    await esbuild.build({
      entryPoints: { history: join(dist, "cli", "main.js") },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outdir: out,
      logLevel: "silent",
      // commander is CommonJS: its require() of node's modules needs a real require.
      banner: { js: 'import { createRequire as __dscheckCreateRequire } from "node:module";\nconst require = __dscheckCreateRequire(import.meta.url);' },
      plugins: [
        {
          name: "dscheck-history",
          setup(build) {
            build.onResolve({ filter: /[\\/]commands[\\/]/ }, (args) => {
              const path = resolve(args.resolveDir, args.path);
              return OTHER_COMMANDS.test(path) ? { path: `./${relative(out, path).split("\\").join("/")}`, external: true } : undefined;
            });
            build.onLoad({ filter: /\.m?js$/ }, async (args) => {
              const text = await readFile(args.path, "utf8");
              if (!args.path.startsWith(dist + "/") && !args.path.startsWith(dist + "\\")) return undefined;
              const contents = text.includes("import.meta.url") ? text.replaceAll("import.meta.url", `new URL(${urlOf(args.path)}, import.meta.url).href`) : text;
              return { contents, loader: "js", resolveDir: dirname(args.path) };
            });
          },
        },
      ],
    });
  } catch (e) {
    return `esbuild failed: ${String(e.message ?? e).split("\n")[0]}`;
  }
  return undefined;
}
