// Types of the JSON formats are generated from their schemas; this catches a schema edited
// without running `npm run gen:types`, for every schema in traces/schemas/, a schema without
// its generated file, and a generated file whose schema is gone.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedTypes } from "../traces/generate-types.ts";
import { repoRoot } from "./support/corpora.ts";

const schemas = readdirSync(join(repoRoot, "traces", "schemas")).filter((f) => f.endsWith(".schema.json")).map((f) => f.replace(/\.schema\.json$/, "")).sort();
const generatedDir = join(repoRoot, "traces", "generated");

describe("generated types", async () => {
  const generated = await generatedTypes();
  const byName = new Map([...generated].map(([path, ts]) => [basename(path, ".ts"), { path, ts }]));

  it("one generated file per schema, and none without a schema", () => {
    expect(schemas.length).toBeGreaterThan(0);
    expect([...byName.keys()].sort()).toEqual(schemas);
    expect(readdirSync(generatedDir).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(schemas);
  });

  it.each(schemas)("%s matches its schema", (name) => {
    const { path, ts } = byName.get(name)!;
    expect(existsSync(path), `${path} is missing: run npm run gen:types`).toBe(true);
    expect(readFileSync(path, "utf8"), `${path} is stale: run npm run gen:types`).toBe(ts);
  });

  it("would fail for every schema edited without regenerating (the comparison sees each edit)", async () => {
    const edited = await generatedTypes((name, schema) => ({ ...schema, description: `${String(schema.description ?? "")} (edited: ${name})` }));
    for (const name of schemas) {
      const { path } = byName.get(name)!;
      expect(edited.get(path), name).not.toBe(readFileSync(path, "utf8"));
    }
  });
});
