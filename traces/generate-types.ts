// Generates traces/generated/<name>.ts from every traces/schemas/<name>.schema.json with
// json-schema-to-typescript, so that a format's types are never written by hand.
// `--check` compares instead of writing (used by the test suite to catch drift).
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const schemaDir = join(here, "schemas");
const outDir = join(here, "generated");

/** The generated types, by output path; `edit` changes a schema before it is compiled (the drift test uses it). */
export async function generatedTypes(edit?: (name: string, schema: Record<string, unknown>) => Record<string, unknown>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json")).sort()) {
    const name = file.replace(/\.schema\.json$/, "");
    const read = JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
    const schema = edit ? edit(name, read) : read;
    const ts = await compile(schema, schema.title ?? name, {
      bannerComment: `/* Generated from traces/schemas/${file} by \`npm run gen:types\`. Do not edit. */`,
      additionalProperties: false,
      cwd: schemaDir,
      style: { singleQuote: false, printWidth: 100 },
    });
    out.set(join(outDir, `${name}.ts`), ts);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [path, ts] of await generatedTypes()) {
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (current === ts) continue;
    if (check) {
      console.error(`stale: ${path}`);
      stale++;
    } else {
      writeFileSync(path, ts);
      console.log(`wrote ${path}`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
