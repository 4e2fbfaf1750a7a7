import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // "dscheck" (a spec's import) is the sources under test, not the package's compiled dist/.
  resolve: { alias: [{ find: /^dscheck$/, replacement: fileURLToPath(new URL("./checker/index.ts", import.meta.url)) }] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: forks keep heavy explorer tests from starving each other.
    pool: "forks",
  },
});
