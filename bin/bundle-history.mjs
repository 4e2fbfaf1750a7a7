// Part of `npm run build` (bin/build.mjs): bundles the compiled CLI for the `history` commands
// into one CommonJS file, <dist>/bundle/history.cjs, with everything those commands import
// (lazily imported modules are in it too, run only when imported), and makes V8's code cache
// for it by running it once on a small history (history-<id>.cache); <dist>/bundle/load.cjs (from
// bin/history-loader.cjs) loads the two. So `dscheck history check` loads three files instead
// of about fifty modules, and compiles little: on Node 20, which has no compile cache, each ES
// module costs its resolution, read and compile. Only the history commands run from it: they
// load no user spec, so nothing they share with a spec (the checker's classes and symbols) can
// be duplicated; every other command runs dist/cli/.
//
// Each bundled module keeps the URL it has in dist/ (its `import.meta.url` is rewritten to
// it), so the files it finds next to itself (schemas, package.json) are found as before.
// Without esbuild, or if bundling fails, there is no bundle and bin/dscheck.cjs runs
// dist/cli/main.js; without a cache, the bundle is compiled as it loads. The bundle only ever
// makes start-up faster, never changes a result.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * commander requires node:child_process at load (loading it costs a few ms: it brings net,
 * dgram and stream) for `spawn`, which only executable subcommands call (dscheck has none): in
 * the bundle it gets a stand-in that loads the real module when `spawn` is first read.
 */
const LAZY_CHILD_PROCESS = 'module.exports = { get spawn() { return require("node:child_process").spawn; } };';

/** Commands the history bundle does not hold (main.ts imports only the command named). */
const NOT_BUNDLED = "explore|trace-validate|cuts|bivalence|report|merge|lint|schema";
const OTHER_COMMANDS = new RegExp(`[\\\\/]cli[\\\\/]commands[\\\\/](?:${NOT_BUNDLED})\\.js$`);

/**
 * main.ts's import() of a command the bundle does not hold, which becomes a call of the
 * loader's import (bin/history-loader.cjs): a script run from V8's code cache cannot import()
 * by itself (the callback node registers for it is not in the cache).
 */
const OTHER_COMMAND_IMPORT = new RegExp(`\\bimport\\("(\\./commands/(?:${NOT_BUNDLED})\\.js)"\\)`, "g");

/** Bundles `<dist>/cli/main.js` into `<dist>/bundle/`; the reason when it could not, else undefined. */
export async function bundleHistory(dist) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch (e) {
    return `esbuild is not installed (${e.code ?? e.message})`;
  }
  const out = join(dist, "bundle");
  const relativeUrl = (file) => relative(out, file).split("\\").join("/");
  let id;
  try {
    const built = await esbuild.build({
      entryPoints: [join(dist, "cli", "main.js")],
      write: false,
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      outfile: join(out, "history.cjs"),
      logLevel: "silent",
      banner: { js: 'const __dscheckBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
      plugins: [
        {
          name: "dscheck-history",
          setup(build) {
            build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
              /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "dscheck-lazy" } : undefined,
            );
            build.onLoad({ filter: /.*/, namespace: "dscheck-lazy" }, () => ({ contents: LAZY_CHILD_PROCESS, loader: "js", resolveDir: dist }));
            // Any other import of another command would put it in the bundle: no bundle then.
            build.onResolve({ filter: /[\\/]commands[\\/]/ }, (args) =>
              OTHER_COMMANDS.test(resolve(args.resolveDir, args.path)) ? { errors: [{ text: `${args.importer} imports ${args.path}, which the history bundle must not hold` }] } : undefined,
            );
            build.onLoad({ filter: /\.m?js$/ }, async (args) => {
              const text = await readFile(args.path, "utf8");
              if (!args.path.startsWith(dist + "/") && !args.path.startsWith(dist + "\\")) return undefined;
              const loaded = text.replace(OTHER_COMMAND_IMPORT, (_, path) => `__dscheckImport(new URL(${JSON.stringify(path)}, import.meta.url).href)`);
              const contents = loaded.includes("import.meta.url") ? loaded.replaceAll("import.meta.url", `new URL(${JSON.stringify(relativeUrl(args.path))}, __dscheckBundleUrl).href`) : loaded;
              return { contents, loader: "js", resolveDir: dirname(args.path) };
            });
          },
        },
      ],
    });
    // The first line names the bundle by its content; the loader reads only the cache of that name, so a cache is never used with another bundle (V8 compares only the source's length).
    const text = built.outputFiles[0].text;
    id = createHash("sha256").update(text).digest("hex").slice(0, 16);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "history.cjs"), `/* dscheck-bundle ${id} */\n${text}`);
    copyFileSync(fileURLToPath(new URL("./history-loader.cjs", import.meta.url)), join(out, "load.cjs"));
  } catch (e) {
    rmSync(out, { recursive: true, force: true });
    return `esbuild failed: ${String(e.message ?? e).split("\n")[0]}`;
  }
  const noCache = makeCodeCache(out, id);
  if (noCache) process.stderr.write(`dscheck build: no code cache for the history bundle (${noCache}): it is compiled as it loads\n`);
  return undefined;
}

/**
 * What the warm-up checks: Jepsen EDN (a linearizable history and one that is not, --json and
 * as text), a Porcupine etcd log and kv log: reading, checking, explaining and printing.
 */
const WARM_UP = {
  "ok.edn": "[{:process 0, :type :invoke, :f :cas, :value [0 1]}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :cas, :value [0 1]}\n {:process :nemesis, :type :info, :f :kill, :value nil}\n {:process 1, :type :ok, :f :read, :value 1}]\n",
  "bad.edn": "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value 2}]\n",
  "etcd.log": "INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 0\t:ok\t:write\t1\nINFO  jepsen.util - 1\t:fail\t:cas\t[1 2]\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t1\n",
  "kv.txt": '{:process 0, :type :invoke, :f :put, :key "a", :value "x"}\n{:process 1, :type :invoke, :f :get, :key "a", :value nil}\n{:process 0, :type :ok, :f :put, :key "a", :value "x"}\n{:process 1, :type :ok, :f :get, :key "a", :value "x"}\n',
};

/**
 * Runs the bundle once, in a node of the same flags as `node bin/dscheck.cjs` (V8 rejects a
 * cache made under other flags), on WARM_UP, and writes its code cache to
 * <out>/history-<id>.cache. The reason when it could not, else undefined.
 */
function makeCodeCache(out, id) {
  const work = mkdtempSync(join(tmpdir(), "dscheck-warm-up-"));
  try {
    for (const [name, text] of Object.entries(WARM_UP)) writeFileSync(join(work, name), text);
    const edn = ["history", "check", "--model", "cas-register", "--init", "0", "ok.edn", "bad.edn"];
    const runs = [[...edn, "--json"], edn, ["history", "check", "--model", "cas-register", "--init", "null", "--json", "etcd.log"], ["history", "check", "--model", "kv", "--json", "kv.txt"]];
    const script = [
      `const bundle = await import(${JSON.stringify(pathToFileURL(join(out, "load.cjs")).href)});`,
      `for (const args of ${JSON.stringify(runs)}) await bundle.main(args);`,
      `(await import("node:fs")).writeFileSync(${JSON.stringify(join(out, `history-${id}.cache`))}, bundle.codeCache());`,
    ].join("\n");
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], cwd: work });
    if (run.status !== 0) {
      rmSync(join(out, `history-${id}.cache`), { force: true });
      return `the warm-up run failed (${run.error?.message ?? `exit ${run.status}`}): ${(run.stderr ?? "").split("\n")[0]}`;
    }
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
