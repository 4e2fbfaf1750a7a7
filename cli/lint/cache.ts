/**
 * The lint cache: one JSON entry per spec file (named by a hash of its absolute path) that
 * records the SHA-256 of every file linted and of the linter's own modules, with the
 * findings. An entry answers only when every one of those hashes still matches, so an edit
 * to the spec, to a module it imports, or to the linter re-lints; the set of files is itself
 * a function of their contents (their imports). The cache is only speed: an unreadable,
 * corrupt or unwritable entry is a miss, never an error. It lives in
 * node_modules/.cache/dscheck/ under the working directory when there is one, else in the
 * OS temporary folder.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeAtomically } from "../write-atomically.ts";
import type { Finding } from "./rule-names.ts";

interface Entry {
  readonly linter: string;
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  readonly findings: readonly Finding[];
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function cacheDir(): string {
  const nm = join(process.cwd(), "node_modules");
  if (existsSync(nm)) return join(nm, ".cache", "dscheck", "lint");
  let user = "user";
  try {
    user = String(userInfo().uid);
  } catch {
    // No user database entry: one shared folder name.
  }
  return join(tmpdir(), `dscheck-cache-${user}`, "lint");
}

let linterHash: string | undefined;
/** The hash of the linter's own modules (this folder) and of the compiler it runs. */
function linter(): string {
  if (linterHash) return linterHash;
  const dir = dirname(fileURLToPath(import.meta.url));
  const h = createHash("sha256");
  for (const f of readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f)).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return (linterHash = h.digest("hex"));
}

const entryPath = (spec: string) => join(cacheDir(), `${sha256(spec).slice(0, 32)}.json`);

/** The cached result for `spec` (absolute path) if every file it was computed from is unchanged. */
export function readCached(spec: string): { files: string[]; findings: Finding[] } | undefined {
  try {
    const e = JSON.parse(readFileSync(entryPath(spec), "utf8")) as Entry;
    if (e.linter !== linter() || !Array.isArray(e.files) || !Array.isArray(e.findings) || e.files[0]?.path !== spec) return undefined;
    for (const f of e.files) if (typeof f.path !== "string" || sha256(readFileSync(f.path)) !== f.sha256) return undefined;
    return { files: e.files.map((f) => f.path), findings: [...e.findings] };
  } catch {
    return undefined;
  }
}

/** Records the result for `spec`; a cache that cannot be written is left alone. */
export function writeCached(spec: string, files: readonly string[], findings: readonly Finding[]): void {
  try {
    const entry: Entry = { linter: linter(), files: files.map((path) => ({ path, sha256: sha256(readFileSync(path)) })), findings };
    const path = entryPath(spec);
    mkdirSync(dirname(path), { recursive: true });
    writeAtomically(path, JSON.stringify(entry));
  } catch {
    // Only speed is lost.
  }
}
