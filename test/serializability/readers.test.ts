// Turning Jepsen ops, txn-history JSON and write logs into transactions.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { txnsFromJepsen } from "../../checker/serializability/from-jepsen.ts";
import { parseWriteLog } from "../../checker/serializability/write-log.ts";
import type { JepsenOp } from "../../checker/history/jepsen-op.ts";
import { generatedTypes } from "../../traces/generate-types.ts";
import { readTxnHistory } from "../../traces/txn-history/read.ts";

const op = (index: number, process: number | string, type: JepsenOp["type"], value: JepsenOp["value"], f = "txn"): JepsenOp => ({ index, process, type, f, value, location: `line ${index + 1}` });

describe("txnsFromJepsen", () => {
  it("pairs invocations with completions per process; info, fail and nemesis ops", () => {
    const txns = txnsFromJepsen([
      op(0, 0, "invoke", [["append", "x", 1], ["r", "x", null]]),
      op(1, "nemesis", "info", null, "start"),
      op(2, 1, "invoke", [["append", "x", 2]]),
      op(3, 0, "ok", [["append", "x", 1], ["r", "x", [1]]]),
      op(4, 1, "fail", [["append", "x", 2]]),
      op(5, 2, "invoke", [["r", "y", null]]),
      op(6, 3, "invoke", [["w", "z", 5]]),
      op(7, 3, "info", [["w", "z", 5]]),
    ]);
    expect(txns.map((t) => [t.status, t.invokeAt, t.completeAt])).toEqual([
      ["ok", 0, 3],
      ["fail", 2, 4],
      ["info", 6, -1],
      ["info", 5, -1],
    ]);
    expect(txns[0].mops).toEqual([{ f: "append", key: "x", value: 1 }, { f: "r", key: "x", value: [1] }]);
  });

  it("rejects a second invocation before completion and malformed micro-ops, naming the line", () => {
    expect(() => txnsFromJepsen([op(0, 0, "invoke", []), op(1, 0, "invoke", [])])).toThrow(/invoked again/);
    expect(() => txnsFromJepsen([op(0, 0, "ok", [["cas", "x", 1]])])).toThrow(/expected append, r or w/);
    let location: string | undefined;
    try {
      txnsFromJepsen([op(0, 0, "ok", [["append", "x"]])]);
    } catch (e) {
      location = (e as { location: string }).location;
    }
    expect(location).toBe("line 1");
  });
});

describe("txn-history JSON", () => {
  it("reads transactions, times and a write log", () => {
    const h = readTxnHistory(
      JSON.stringify({
        format: "dscheck-txn-history/1",
        workload: "rw-register",
        transactions: [{ status: "ok", process: 1, invokeTime: 5, completeTime: 9, ops: [{ f: "w", key: 1, value: 2 }] }, { status: "info", ops: [{ f: "r", key: 1, value: 2 }] }],
        writeLog: [{ key: 1, value: 2 }],
      }),
      "h.json",
    );
    expect(h.txns[0]).toMatchObject({ id: 0, process: 1, invokeAt: 5, completeAt: 9, mops: [{ f: "w", key: 1, value: 2 }] });
    expect(h.txns[1]).toMatchObject({ status: "info", completeAt: -1, mops: [{ f: "r", key: 1, value: null }] });
    // Keys keep their JSON type: the integer key 1 is not the string key "1".
    expect([...h.writeLog!]).toEqual([[1, [2]]]);
  });

  it("names the JSON pointer of a bad value", () => {
    const doc = { format: "dscheck-txn-history/1", workload: "list-append", transactions: [{ status: "ok", ops: [{ f: "append", key: "x", value: [1] }] }] };
    expect(() => readTxnHistory(JSON.stringify(doc), "h.json")).toThrow("h.json#/transactions/0/ops/0/value: append needs a string or integer value");
    expect(() => readTxnHistory(JSON.stringify({ ...doc, extra: 1 }), "h.json")).toThrow("h.json#: must NOT have additional properties (extra)");
  });

  it("generated types match the schema (npm run gen:types)", async () => {
    const path = resolve(import.meta.dirname, "../../traces/generated/txn-history.ts");
    expect((await generatedTypes()).get(path)).toBe(readFileSync(path, "utf8"));
  });
});

describe("write logs", () => {
  it("reads ArangoDB WAL lines and plain key/value lines in order", () => {
    const log = parseWriteLog('{"tick":"1","data":{"_key":"1","rwAttr":1}}\n\n{"key":"1","value":2}\n{"data":{"_key":"2","rwAttr":7}}\n');
    expect([...log]).toEqual([["1", [1, 2]], ["2", [7]]]);
    expect(() => parseWriteLog('{"data":{}}')).toThrow(/key/);
    expect(() => parseWriteLog("{oops")).toThrow(/not valid JSON/);
  });
});
