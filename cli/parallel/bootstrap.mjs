// Worker entry: the CLI's loader setup, then the TypeScript worker.
import { installLoader } from "../loader.mjs";

installLoader();
await import("./worker.ts");
