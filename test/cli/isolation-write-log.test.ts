// An rw-register history's write log is picked up from NAME.log next to NAME.edn.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { corporaDir } from "../support/corpora.ts";
import { dscheck } from "./run-cli.ts";

const corpora = corporaDir();
if (!corpora) console.log("corpora not found; skipping the write-log CLI test");

describe.skipIf(!corpora)("history isolation with a write log next to the history", () => {
  it("GRAIL's g-single case: the sibling .log gives the version order and the G-single cycle", () => {
    const file = join(corpora!, "grail/go-graph-checker/histories/rw-register-test/g-single.edn");
    const r = dscheck(["history", "isolation", file, "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.writeLog).toMatch(/g-single\.log$/);
    expect(report.anomalyTypes).toContain("G-single");
  });
});
