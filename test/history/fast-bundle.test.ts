/**
 * The history bundle (dist/bundle/load.cjs, bin/bundle-history.mjs) against the compiled
 * CLI it is bundled from (dist/cli/main.js, the same build): the same stdout, stderr, exit
 * code and report files on histories that reach every file the bundled modules find next to
 * themselves (the dscheck and txn-history JSON schemas, the report schemas of --md/--html,
 * package.json for --version) and on bad input. Skipped, saying so, when the checkout has no
 * build with a bundle (`npm run build` makes one).
 *
 * The bundle loads with V8's code cache made by the build (bin/history-loader.cjs): this node
 * accepts it, and a cache that V8 rejects, a missing one, or one made for another bundle (never
 * even read) changes nothing printed.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.ts";
import { corporaDir } from "../support/corpora.ts";

const bundle = join(repoRoot, "dist/bundle/load.cjs");
const compiled = join(repoRoot, "dist/cli/main.js");
const built = existsSync(bundle) && existsSync(compiled);
const work = mkdtempSync(join(tmpdir(), "dscheck-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `main(args)` of one entry in a child process; report files go to a folder of the entry's own. */
function run(entry: string, args: string[], tag: string): { code: number | null; stdout: string; stderr: string; files: string[] } {
  const out = join(work, tag);
  spawnSync("mkdir", ["-p", out]);
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.exitCode = await main(process.argv.slice(1));`;
  const argv = args.map((a) => a.replaceAll("@OUT@", out));
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, ...argv], { encoding: "utf8", cwd: work, maxBuffer: 1 << 28 });
  const files = argv.filter((a) => a.startsWith(out)).map((f) => (existsSync(f) ? readFileSync(f, "utf8") : "(none)"));
  // Timings differ from run to run; nothing else may.
  const clean = (t: string) => t.replaceAll(out, "@OUT@").replace(/"elapsedMs": ?[0-9.]+/g, '"elapsedMs":0').replace(/[0-9.]+ ms\b/g, "N ms").replace(/"seconds": ?[0-9.]+/g, "").replace(/time="[0-9.]+"/g, "").replace(/timestamp="[^"]*"/g, "");
  return { code: r.status, stdout: clean(r.stdout), stderr: clean(r.stderr), files: files.map(clean) };
}

describe.skipIf(!built)("the history bundle behaves as the compiled CLI", () => {
  const write = (name: string, text: string) => {
    const p = join(work, name);
    writeFileSync(p, text);
    return p;
  };
  const edn = write("h.edn", "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :ok, :f :read, :value 2}]\n");
  const good = write("g.edn", "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}]\n");
  const dscheckJson = write("d.json", JSON.stringify({ model: "register", init: 0, ops: [{ process: 0, f: "read", output: 1, invoke: 0, complete: 1, status: "ok" }] }));
  const badJson = write("bad.json", JSON.stringify({ model: "register", init: 0, ops: [{ process: 0, f: "read", invoke: 0, status: "maybe" }] }));
  const txn = write("t.json", JSON.stringify({ format: "dscheck-txn-history/1", workload: "list-append", transactions: [{ status: "ok", ops: [{ f: "append", key: "x", value: 1 }, { f: "r", key: "x", value: [1] }] }] }));
  const broken = write("b.edn", "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0 :type}]\n");
  const cases: [string, string[]][] = [
    ["a violation, --json", ["history", "check", "--model", "register", "--init", "0", "--json", edn]],
    ["two files, --json (rendered file by file)", ["history", "check", "--model", "register", "--init", "0", "--json", edn, good]],
    ["two files, text", ["history", "check", "--model", "register", "--init", "0", edn, good]],
    ["report files", ["history", "check", "--model", "register", "--init", "0", "--json", "--md", "@OUT@/r.md", "--html", "@OUT@/r.html", "--junit", "@OUT@/r.xml", edn, good]],
    ["dscheck JSON (its schema)", ["history", "check", "--json", dscheckJson]],
    ["dscheck JSON refused by its schema", ["history", "check", "--json", badJson]],
    ["malformed EDN", ["history", "check", "--model", "register", broken]],
    ["isolation, txn-history JSON (its schema), report files", ["history", "isolation", "--json", "--md", "@OUT@/i.md", txn]],
    ["help", ["history", "check", "--help"]],
    ["version", ["history", "--version"]],
  ];
  it.each(cases)("%s", (_name, args) => {
    const a = run(bundle, args, "bundle");
    const b = run(compiled, args, "compiled");
    expect(a).toEqual(b);
    expect(a.stderr).not.toMatch(/internal error|Cannot find|ENOENT/);
  });

  const dir = corporaDir();
  it.skipIf(!dir)("the Knossos cas-register corpus, --json", () => {
    const k = join(dir!, "knossos/data/cas-register/bad");
    const files = ["bad-analysis.edn", "cas-failure.edn", "rethink-fail-smaller.edn"].map((f) => join(k, f));
    const args = ["history", "check", "--model", "cas-register", "--init", "0", "--json", ...files];
    const a = run(bundle, args, "bundle");
    expect(a.code).toBe(1);
    expect(a).toEqual(run(compiled, args, "compiled"));
  });

  describe("its code cache", () => {
    const cacheOf = (dist: string) => readdirSync(join(dist, "bundle")).find((f) => /^history-\w+\.cache$/.test(f));
    /** What the loader of `dist` says of its cache: false accepted, true rejected, undefined none read. */
    const cacheRejected = (dist: string) => {
      const script = `const b = await import(${JSON.stringify(pathToFileURL(join(dist, "bundle/load.cjs")).href)}); console.log(String(b.cacheRejected));`;
      return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).stdout.trim();
    };
    /** A copy of the build (with package.json and node_modules beside it), its cache changed by `change`. */
    const copyWith = (tag: string, change: (dist: string, cache: string) => void) => {
      const root = join(work, tag);
      cpSync(join(repoRoot, "dist"), join(root, "dist"), { recursive: true });
      cpSync(join(repoRoot, "package.json"), join(root, "package.json"));
      symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"));
      change(join(root, "dist"), join(root, "dist/bundle", cacheOf(join(root, "dist"))!));
      return join(root, "dist");
    };
    const k = dir ? join(dir, "knossos/data/cas-register") : undefined;
    const knossos = k ? ["good/cas-register-bug.edn", "bad/bad-analysis.edn", "bad/cas-failure.edn"].map((f) => join(k, f)) : [];
    const args = ["history", "check", "--model", "cas-register", "--init", "0", "--json", ...knossos, edn, good];

    it("is made by the build and accepted by this node", () => {
      expect(cacheOf(join(repoRoot, "dist"))).toBeDefined();
      expect(cacheRejected(join(repoRoot, "dist"))).toBe("false");
    });

    it.each([
      ["rejected by V8 (not a cache)", (_dist: string, cache: string) => writeFileSync(cache, Buffer.alloc(4096, 7)), "true"],
      ["missing", (_dist: string, cache: string) => rmSync(cache), "undefined"],
      ["made for another bundle (not read)", (dist: string) => writeFileSync(join(dist, "bundle/history.cjs"), readFileSync(join(dist, "bundle/history.cjs"), "utf8").replace(/^\/\* dscheck-bundle \w+/, "/* dscheck-bundle 0123456789abcdef")), "undefined"],
    ] as const)("a cache %s changes nothing printed", (name, change, said) => {
      const dist = copyWith(name.split(" ")[0], change);
      expect(cacheRejected(dist)).toBe(said);
      const a = run(join(dist, "bundle/load.cjs"), args, "changed");
      expect(a.code).toBe(1);
      expect(a).toEqual(run(bundle, args, "bundle"));
    });

    it("a history check loads none of the node modules it never needs (child_process, crypto, net)", () => {
      // Through the bin, as a user runs it, from a script file (`node -e` loads crypto itself);
      // the answer on stderr, so that nothing makes process.stdout.
      const probe = write("probe.cjs", `process.on("exit", () => require("node:fs").writeSync(2, "\\nloaded: " + process.moduleLoadList.filter((m) => /^NativeModule (child_process|crypto|net|dgram)$/.test(m)).join(",") + "\\n"));\nimport(${JSON.stringify(pathToFileURL(join(repoRoot, "bin/dscheck.cjs")).href)});\n`);
      const r = spawnSync(process.execPath, [probe, "history", "check", "--model", "cas-register", "--init", "0", "--json", edn, good], { encoding: "utf8", env: { ...process.env, DSCHECK_FROM_DIST: "1" } });
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout)).toHaveLength(2);
      expect(r.stderr).toMatch(/\nloaded: \n$/);
    });

    it("runs a command it does not hold from dist/cli/ (imported from the bundle's folder)", () => {
      const a = run(bundle, ["lint", "--help"], "bundle");
      expect(a.code).toBe(0);
      expect(a.stdout).toMatch(/^Usage: dscheck lint/);
    });
  });
});
