// Types of the JSON formats are generated from their schemas; this catches a schema edited
// without running `npm run gen:types`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedTypes } from "../traces/generate-types.ts";

describe("generated types", () => {
  it("match their schemas", async () => {
    const generated = await generatedTypes();
    expect(generated.size).toBeGreaterThan(0);
    for (const [path, ts] of generated) expect(readFileSync(path, "utf8"), path).toBe(ts);
  });
});
