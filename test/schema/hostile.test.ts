// `dscheck schema` on state types that are awkward to turn into JSON Schema, through the
// real CLI: recursive type aliases (through a tuple, an array, a union), `any`, JavaScript's
// own Map and Set (which no trace line can carry), a spec that throws on import. Each is
// exit 0 with a schema ajv's strict mode compiles, or exit 2 with one line. Oracle for the
// recursive ones: values written by hand, one that has the type and one that does not.
import { Ajv } from "ajv";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dscheck, repoRoot } from "../cli/run-cli.ts";

const work = mkdtempSync(join(tmpdir(), "dscheck-schema-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A spec file whose state is `S` (declared by `types`) and whose one initial state is `init`. */
function specFile(name: string, types: string, init: string): string {
  const file = join(work, `${name}.ts`);
  writeFileSync(file, [
    `import { always, defineSpec } from ${JSON.stringify(join(repoRoot, "checker", "index.ts"))};`,
    types,
    `export default defineSpec({ name: "T", init: () => [${init}], actions: [{ name: "step", update: (s: S) => s }], properties: [always("p", (s: S) => s !== undefined)] });`,
    "",
  ].join("\n"));
  return file;
}

function statesSchema(file: string) {
  const r = dscheck(["schema", file, "--format", "states"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return new Ajv({ strict: true }).compile(JSON.parse(r.stdout));
}

describe("dscheck schema, hostile state types", () => {
  it("a recursive alias through a tuple and a union: finite, and exact", () => {
    const v = statesSchema(specFile("list", "type List = null | readonly [number, List];\ninterface S { readonly l: List }", "{ l: [1, [2, null]] }"));
    expect(v({ l: [1, [2, [3, null]]] })).toBe(true);
    expect(v({ l: [1, ["two", null]] })).toBe(false);
    expect(v({ l: [1, [2]] })).toBe(false);
  });

  it("a recursive alias through an array", () => {
    const v = statesSchema(specFile("tree", "type Tree = readonly Tree[];\ninterface S { readonly t: Tree }", "{ t: [[], [[]]] }"));
    expect(v({ t: [[], [[], [[]]]] })).toBe(true);
    expect(v({ t: [[], [1]] })).toBe(false);
  });

  it("a recursive alias on both sides of a record", () => {
    const v = statesSchema(specFile("json", "type J = null | number | readonly J[] | { readonly [k: string]: J };\ninterface S { readonly j: J }", "{ j: { a: [1, null] } }"));
    expect(v({ j: { a: [1, { b: [null] }] } })).toBe(true);
    expect(v({ j: { a: [true] } })).toBe(false);
  });

  it("Map and Set fields: not read as records of their methods' owner (`size`)", () => {
    const v = statesSchema(specFile("mapset", "interface S { readonly m: Map<string, number>; readonly s: Set<number>; readonly a: any }", "{ m: new Map(), s: new Set(), a: 1 }"));
    expect(v({ m: { "#map": [] }, s: { "#set": [] }, a: "anything" })).toBe(true);
  });

  it("a spec that throws on import: exit 2, one line", () => {
    const r = dscheck(["schema", specFile("throws", 'interface S { readonly n: number }\nthrow new Error("boom at import");', "{ n: 1 }")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/throws\.ts: .*boom at import/)]);
  });
});
