/**
 * Loading a user's spec file: type-check it (so a type error is reported with file:line
 * before anything runs), import it through tsx (installed just before, `ensureSpecLoader`), and check
 * that it exports a spec. Every failure is a SpecLoadError: one readable message, exit 2.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ParamDecls, Spec } from "../checker/index.ts";

export class SpecLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecLoadError";
  }
}

/** The package's root: one level up from cli/, two from the compiled dist/cli/. */
const packageRoot = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, "..");
  return existsSync(join(up, "package.json")) ? up : resolve(here, "..", "..");
})();
/** What `import ... from "dscheck"` type-checks against: the sources in a checkout, the declarations in an installed package. */
const publicTypes = existsSync(join(packageRoot, "checker", "index.ts")) ? join(packageRoot, "checker", "index.ts") : join(packageRoot, "dist", "checker", "index.d.ts");

/**
 * Where @types/node is: next to the package (a checkout), or wherever Node would find it
 * from the package or the spec (an installed package: the project's own devDependency).
 * Without it a spec is type-checked without Node's types.
 */
function nodeTypeRoots(file: string): string[] | undefined {
  for (const from of [join(packageRoot, "package.json"), file]) {
    try {
      return [dirname(dirname(createRequire(from).resolve("@types/node/package.json")))];
    } catch {
      // Not from there.
    }
  }
  return undefined;
}

/** Runs the TypeScript compiler on `file`; returns its diagnostics as "file:line:col: message" lines. */
export function typeCheck(file: string): string[] {
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  const typeRoots = nodeTypeRoots(file);
  const dir = mkdtempSync(join(tmpdir(), "dscheck-tsc-"));
  try {
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
          allowImportingTsExtensions: true, skipLibCheck: true, esModuleInterop: true, lib: ["ES2023"],
          ...(typeRoots ? { types: ["node"], typeRoots } : { types: [] }),
          paths: { dscheck: [publicTypes] },
        },
        files: [file],
      }),
    );
    const run = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { encoding: "utf8" });
    if (run.error) throw new SpecLoadError(`could not run the TypeScript compiler: ${run.error.message}`);
    return (run.stdout + run.stderr)
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        const m = /^(.*)\((\d+),(\d+)\): (error .*)$/.exec(l);
        return m ? `${relative(process.cwd(), m[1]) || m[1]}:${m[2]}:${m[3]}: ${m[4]}` : l;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * tsx and the "dscheck" resolver (cli/loader.mjs), installed just before a spec is imported,
 * in whichever thread imports it: the CLI's own compiled modules are then loaded without the
 * hooks, whose round trip to their own thread on every import cost about 0.2 s of start-up.
 * (The sources run under them from the start: bin/dscheck.cjs installs them first.)
 */
export async function ensureSpecLoader(): Promise<void> {
  const { installLoader } = (await import(new URL("./loader.mjs", import.meta.url).href)) as { installLoader: () => void };
  installLoader();
}

/** Imports a spec module (the loader installed first). */
export async function importSpecModule(url: string): Promise<Record<string, unknown>> {
  await ensureSpecLoader();
  return (await import(url)) as Record<string, unknown>;
}

function isSpec(x: unknown): x is Spec<unknown, ParamDecls> {
  const s = x as Spec<unknown, ParamDecls>;
  return !!s && typeof s === "object" && typeof s.name === "string" && typeof s.init === "function" && Array.isArray(s.actions) && typeof s.properties === "object";
}

/** Loads the spec exported (default, or as `spec`) by `file`. */
export async function loadSpec(file: string, options: { typecheck: boolean }): Promise<Spec<unknown, ParamDecls>> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new SpecLoadError(`${file}: no such file`);
  if (options.typecheck) {
    const problems = typeCheck(abs);
    if (problems.length) {
      const shown = problems.slice(0, 10).join("\n");
      throw new SpecLoadError(`${file} does not type-check:\n${shown}${problems.length > 10 ? `\n... and ${problems.length - 10} more` : ""}\n(run with --no-typecheck to skip this check)`);
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importSpecModule(pathToFileURL(abs).href);
  } catch (e) {
    throw new SpecLoadError(`${file}: could not load the spec: ${describeLoadError(e)}`);
  }
  const spec = isSpec(mod.default) ? mod.default : isSpec(mod.spec) ? mod.spec : undefined;
  if (!spec) {
    throw new SpecLoadError(`${file} does not export a spec: export default defineSpec({ name, params, init, actions, properties })`);
  }
  return spec;
}

function describeLoadError(e: unknown): string {
  // esbuild (inside tsx) reports syntax errors with a location.
  const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors;
  if (Array.isArray(errors) && errors.length) {
    const first = errors[0];
    return first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ${first.text}` : first.text;
  }
  if (e instanceof Error) {
    const frame = e.stack?.split("\n").find((l) => l.includes("file://"));
    return frame ? `${e.message} (${frame.trim()})` : e.message;
  }
  return String(e);
}
