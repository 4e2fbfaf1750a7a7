// specs/chandy-lamport.ts and specs/checkpointing.ts: the snapshot theorem over the explored
// graphs, the non-FIFO counterexample, the domino effect and coordinated checkpointing, and a
// run of the checkpointing spec written as an event log that `dscheck cuts` reads.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore, type Discovery } from "../../checker/index.ts";
import { parseLine } from "../../traces/cuts/ndjson.ts";
import chandyLamport, { checkSnapshots } from "../../specs/chandy-lamport.ts";
import checkpointing from "../../specs/checkpointing.ts";
import { runEventLog } from "../../checker/cuts/from-run.ts";
import { dscheck } from "../cli/run-cli.ts";

describe("Chandy-Lamport", () => {
  it("FIFO: every property holds; every complete snapshot is reachable from its start and reaches its end", () => {
    const r = explore(chandyLamport, {});
    expect(r.status).toBe("ok");
    expect(r.distinctStates).toBe(2415);
    const c = checkSnapshots({});
    expect(c.snapshots).toBeGreaterThan(500);
    expect(c.failures).toEqual([]);
  });

  it("non-FIFO: a marker overtakes a transfer; explore gives the counterexample and the graph check fails", () => {
    const r = explore(chandyLamport, { params: { fifo: false } });
    expect(r.status).toBe("violation");
    const d = r.violation as Discovery | undefined;
    expect(d?.property).toBe("SnapshotConsistent");
    expect(d!.trace.length - 1).toBe(4);
    const c = checkSnapshots({ fifo: false });
    expect(c.failures.length).toBeGreaterThan(0);
    expect(c.failures[0].reason).toMatch(/not a reachable application state|not reachable/);
  });
});

describe("Checkpointing", () => {
  it("uncoordinated: the shortest domino run has 4 steps", () => {
    const r = explore(checkpointing, { params: { mode: "uncoordinated" }, properties: ["NoDomino"] });
    expect(r.status).toBe("violation");
    const d = r.violation as Discovery | undefined;
    expect(d?.property).toBe("NoDomino");
    expect(d!.trace.length - 1).toBe(4);
  });

  it("coordinated: the latest permanent checkpoints are always consistent and no failure dominoes", () => {
    for (const params of [{ mode: "coordinated" }, { mode: "coordinated", procs: 3, sends: 1, checkpoints: 1 }]) {
      const r = explore(checkpointing, { params });
      expect(r.status, JSON.stringify(params)).toBe("ok");
      expect(r.distinctStates).toBeGreaterThan(1000);
    }
  });

  it("a domino run written as an event log: dscheck cuts --recover finds the same domino effect", () => {
    const r = explore(checkpointing, { params: { mode: "uncoordinated" }, properties: ["NoDomino"] });
    const d = r.violation as Discovery;
    const text = runEventLog(checkpointing.events!, r.params as never, d.trace);
    // Every line is valid against the schema.
    text.trim().split("\n").forEach((l, i) => parseLine("log", l, i + 1, i === 0));
    const file = join(mkdtempSync(join(tmpdir(), "dscheck-ck-")), "run.ndjson");
    writeFileSync(file, text);
    const out = [0, 1].map((p) => dscheck(["cuts", file, "--recover", `p${p}`, "--json"]));
    expect(out.some((o) => o.code === 1 && JSON.parse(o.stdout).dominoEffect === true)).toBe(true);
  });
});
