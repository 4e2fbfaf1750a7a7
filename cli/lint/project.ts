/**
 * The files a spec lint looks at, loaded with ts-morph (which bundles its own TypeScript
 * compiler: the project's `typescript` dependency is the native compiler, without a JS API).
 * The spec file and, transitively, the local modules it imports (relative specifiers), except
 * dscheck's own checker (a checkout's checker/, an installed package's dist/) and packages:
 * the lint judges the spec a user wrote, not the library it calls.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Project, ts } from "ts-morph";
import { SpecParseError } from "./parse-error.ts";

/** The package's root: two levels up from cli/lint/, three from the compiled dist/cli/lint/. */
export const packageRoot = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, "..", "..");
  return existsSync(join(up, "package.json")) ? up : resolve(here, "..", "..", "..");
})();

/**
 * What `import ... from "dscheck"` resolves to: the compiled declarations when they are
 * current (an installed package has nothing else; in a checkout, a build newer than every
 * checker/ source), else the sources. The declarations are a third of the work for the
 * compiler.
 */
const publicTypes = (() => {
  const dts = join(packageRoot, "dist", "checker", "index.d.ts");
  const src = join(packageRoot, "checker", "index.ts");
  if (!existsSync(src)) return dts;
  if (!existsSync(dts)) return src;
  try {
    const built = JSON.parse(readFileSync(join(packageRoot, "dist", "build-info.json"), "utf8")).startedMs;
    return typeof built === "number" && !newerThan(join(packageRoot, "checker"), built) ? dts : src;
  } catch {
    return src;
  }
})();

function newerThan(dir: string, ms: number): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() ? newerThan(p, ms) : statSync(p).mtimeMs > ms) return true;
  }
  return false;
}

/** Folders whose files are never linted (the library itself). */
const libraryDirs = [join(packageRoot, "checker") + sep, join(packageRoot, "dist") + sep];

export interface LoadedSpecs {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** Per spec (absolute path, as given): its linted files, the spec first, then its local imports in the order found. */
  readonly filesOf: ReadonlyMap<string, readonly ts.SourceFile[]>;
  /** Every linted file, once. */
  readonly files: readonly ts.SourceFile[];
}

/** Whether `path` is a file the lint judges (not a package, not dscheck's own checker). */
export function isLintedPath(path: string): boolean {
  const p = resolve(path);
  return !p.split(sep).includes("node_modules") && !libraryDirs.some((d) => p.startsWith(d));
}

/**
 * Loads the specs (absolute paths) and their local imports into one compiler program (one
 * load of the standard library and of dscheck's types for all of them); a syntax error in
 * any file is a SpecParseError naming file:line:col.
 */
export function loadSpecProject(specs: readonly string[]): LoadedSpecs {
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, esModuleInterop: true, lib: ["lib.es2023.d.ts"],
      // No @types/node: the rules find Node's globals and modules by name, and its
      // declarations are a third of what the compiler would otherwise load.
      types: [],
      paths: { dscheck: [publicTypes] },
    },
  });
  const pathsOf = new Map<string, string[]>();
  for (const spec of specs) {
    const paths: string[] = [];
    const queue = [spec];
    while (queue.length) {
      const path = queue.shift()!;
      if (paths.includes(path)) continue;
      paths.push(path);
      const sf = (project.getSourceFile(path) ?? project.addSourceFileAtPath(path)).compilerNode;
      for (const imported of localImports(sf)) {
        const target = resolveLocal(dirname(path), imported.text);
        if (target === null) {
          // The spec would not load: saying "no findings" would pass a file that was never read.
          const { line, character } = sf.getLineAndCharacterOfPosition(imported.getStart(sf));
          throw new SpecParseError(`${relative(process.cwd(), path) || path}:${line + 1}:${character + 1}: imports "${imported.text}", which does not exist`);
        }
        if (target && isLintedPath(target)) queue.push(target);
      }
    }
    pathsOf.set(spec, paths);
  }
  project.resolveSourceFileDependencies();
  const program = project.getProgram().compilerObject;
  const all = [...new Set([...pathsOf.values()].flat())].map((p) => program.getSourceFile(p)!);
  for (const sf of all) {
    const syntax = program.getSyntacticDiagnostics(sf);
    if (syntax.length) {
      const d = syntax[0];
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      throw new SpecParseError(`${relative(process.cwd(), d.file!.fileName) || d.file!.fileName}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  }
  const filesOf = new Map([...pathsOf].map(([spec, paths]) => [spec, paths.map((p) => program.getSourceFile(p)!)] as const));
  return { program, checker: program.getTypeChecker(), filesOf, files: all };
}

/** The relative module specifiers of a file's static imports and re-exports. */
function localImports(sf: ts.SourceFile): ts.StringLiteral[] {
  const out: ts.StringLiteral[] = [];
  for (const st of sf.statements) {
    const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier : undefined;
    if (spec && (spec.text.startsWith("./") || spec.text.startsWith("../"))) out.push(spec);
  }
  return out;
}

/**
 * A relative specifier to an existing .ts file (as written, or .js rewritten to .ts);
 * undefined for another kind of file (JSON, JavaScript: not linted), null when nothing is there.
 */
function resolveLocal(dir: string, spec: string): string | undefined | null {
  const p = resolve(dir, spec);
  const candidates = [p, p.replace(/\.([mc]?)js$/, ".$1ts"), `${p}.ts`, join(p, "index.ts")];
  for (const c of candidates) if (existsSync(c) && /\.(m|c)?tsx?$/.test(c) && statSync(c).isFile()) return c;
  return candidates.some((c) => existsSync(c)) ? undefined : null;
}
