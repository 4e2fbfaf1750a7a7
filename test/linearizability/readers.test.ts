/** History readers: each format parses, and malformed input is one InputError with a location. */
import { describe, expect, it } from "vitest";
import { readJepsenHistory, detectJepsenSyntax } from "../../traces/jepsen/read.ts";
import { readPorcupineEtcdLog } from "../../traces/porcupine/etcd-log.ts";
import { readPorcupineKvLog } from "../../traces/porcupine/kv-log.ts";
import { readDscheckHistory } from "../../traces/porcupine/dscheck-history.ts";
import { detectHistoryFormat, readHistory } from "../../traces/porcupine/read-any.ts";
import { pairEvents } from "../../checker/linearizability/pair-events.ts";
import { InputError } from "../../checker/history/input-error.ts";

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("Jepsen EDN and JSON", () => {
  const vector = `; a comment\n[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1} ; trailing\n {:process :nemesis, :type :info, :f :start, :value nil}]`;
  it("reads a vector with comments, keywords as strings, nil as null", () => {
    const ops = readJepsenHistory(vector, "h.edn");
    expect(ops.map((o) => [o.process, o.type, o.f, o.value, o.location])).toEqual([
      [0, "invoke", "write", 1, "line 2"],
      [0, "ok", "write", 1, "line 3"],
      ["nemesis", "info", "start", null, "line 4"],
    ]);
  });
  it("reads a list and one map per line the same way", () => {
    const list = readJepsenHistory(vector.replace("[", "(").replace(/]$/, ")"), "h.edn");
    const lines = readJepsenHistory(vector.replace("[", "").replace(/]$/, ""), "h.edn");
    expect(list.map((o) => o.f)).toEqual(["write", "write", "start"]);
    expect(lines.map((o) => o.location)).toEqual(["line 2", "line 3", "line 4"]);
  });
  it("reads elle-cli JSON: an array, or one object per line", () => {
    const arr = readJepsenHistory(`[{"type":"invoke","f":"read","process":1,"value":null,"index":0},{"type":"ok","f":"read","process":1,"value":3,"index":1}]`, "h.json");
    expect(arr.map((o) => [o.type, o.value, o.location])).toEqual([["invoke", null, "#/0"], ["ok", 3, "#/1"]]);
    const nd = readJepsenHistory(`{"type":"invoke","f":"read","process":1}\n\n{"type":"ok","f":"read","process":1,"value":3}\n`, "h.json");
    expect(nd.map((o) => o.location)).toEqual(["line 1", "line 3"]);
    expect(detectJepsenSyntax(`[{:type :ok}]`)).toBe("edn");
    expect(detectJepsenSyntax(`[{"type": "ok"}]`)).toBe("json");
  });
  it("reports malformed input by line or JSON pointer", () => {
    expect(inputError(() => readJepsenHistory(`[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :ok`, "h.edn")).message).toBe(
      "h.edn:line 2: '{' is never closed",
    );
    expect(inputError(() => readJepsenHistory(`[{:process 0 :type :invoke :f :read}]\n]`, "h.edn")).message).toMatch(/^h\.edn:line 2: unexpected ']'/);
    expect(inputError(() => readJepsenHistory(`{:process 0, :type :done, :f :read}`, "h.edn")).message).toMatch(/^h\.edn:line 1 \(:type\): type must be one of/);
    expect(inputError(() => readJepsenHistory(`[{"type":"ok","f":"read","process":1.5}]`, "h.json")).message).toMatch(/^h\.json#\/0\/process: process must be/);
    expect(inputError(() => readJepsenHistory(`[{"type":"ok","value":3}]`, "h.json")).message).toMatch(/^h\.json#\/0\/f: f must be/);
    // As Elle does: no :process means process 0, and a transaction without :f is :txn.
    const [op] = readJepsenHistory(`{:type :ok, :value [[:r :x 1]]}`, "h.edn");
    expect(op.process).toBe(0);
    expect(op.f).toBe("txn");
    expect(inputError(() => readJepsenHistory(`[{"type":"ok",\n"f":}]`, "h.json")).location).toBe("line 2");
    expect(inputError(() => readJepsenHistory(`{"type":"ok","f":"read","process":1}\n{"type":`, "h.json")).location).toBe("line 2");
  });
});

describe("pairing invocations with completions", () => {
  const ev = (process: number, type: "invoke" | "ok" | "fail" | "info", f: string, value: unknown, line: number) => ({ process, type, f, value, location: `line ${line}` });
  it("pairs per process, drops nothing, leaves pending ops indeterminate", () => {
    const ops = pairEvents([ev(0, "invoke", "write", 1, 1), ev(1, "invoke", "read", null, 2), ev(0, "ok", "write", 1, 3)], "h");
    expect(ops.map((o) => [o.input.f, o.completion, o.call, o.ret])).toEqual([["write", "ok", 0, 2], ["read", "info", 1, Infinity]]);
  });
  it("rejects a completion without invocation, a double invoke and a changed function", () => {
    expect(inputError(() => pairEvents([ev(0, "ok", "write", 1, 7)], "h")).message).toBe("h:line 7: ok write for process 0 has no matching invoke");
    expect(inputError(() => pairEvents([ev(0, "invoke", "write", 1, 1), ev(0, "invoke", "read", null, 2)], "h")).location).toBe("line 2");
    expect(inputError(() => pairEvents([ev(0, "invoke", "write", 1, 1), ev(0, "ok", "read", 1, 2)], "h")).message).toMatch(/completes read but invoked write/);
  });
});

describe("Porcupine formats", () => {
  it("etcd log: tabs or spaces, fail cas is a definite false, info indeterminate", () => {
    const log = "INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]\nsomething else\nINFO  jepsen.util - 0   :fail   :cas    [1 2]\nINFO  jepsen.util - 1\t:invoke\t:write\t3\nINFO  jepsen.util - 1\t:info\t:write\t:timed-out\n";
    const events = readPorcupineEtcdLog(log, "e.log");
    expect(events.map((e) => [e.type, e.f, e.value, e.location])).toEqual([
      ["invoke", "cas", [1, 2], "line 1"],
      ["ok", "cas", false, "line 3"],
      ["invoke", "write", 3, "line 4"],
      ["info", "write", null, "line 5"],
    ]);
    expect(inputError(() => readPorcupineEtcdLog("INFO  jepsen.util - 0\t:invoke\t:write\t{}\n", "e.log")).location).toBe("line 1");
  });
  it("kv log: keys and string values", () => {
    const events = readPorcupineKvLog(`{:process 0, :type :invoke, :f :get, :key "5", :value nil}\n{:process 0, :type :ok, :f :get, :key "5", :value ""}\n`, "kv.txt");
    expect(events.map((e) => [e.key, e.value])).toEqual([["5", null], ["5", ""]]);
    expect(inputError(() => readPorcupineKvLog(`{:process 0, :type :ok, :f :get, :value ""}`, "kv.txt")).message).toBe("kv.txt:line 1: :key must be a string");
  });
});

describe("dscheck JSON history", () => {
  const good = { model: "register", init: 0, ops: [{ process: 0, f: "write", input: 1, invoke: 0, complete: 1, status: "ok" }, { process: 1, f: "read", output: 1, invoke: 2, status: "info" }] };
  it("reads operations with times, pending as indeterminate", () => {
    const h = readDscheckHistory(JSON.stringify(good), "h.json");
    expect(h.model).toBe("register");
    expect(h.ops.map((o) => [o.completion, o.ret, o.output])).toEqual([["ok", 1, null], ["info", Infinity, undefined]]);
  });
  it("reports schema errors with a JSON pointer", () => {
    const bad = { ...good, ops: [{ ...good.ops[0], status: "done" }] };
    expect(inputError(() => readDscheckHistory(JSON.stringify(bad), "h.json")).location).toBe("#/ops/0/status");
    const extra = { ...good, ops: [{ ...good.ops[0], colour: 1 }] };
    expect(inputError(() => readDscheckHistory(JSON.stringify(extra), "h.json")).message).toMatch(/^h\.json#\/ops\/0: must NOT have additional properties \(colour\)/);
    const backwards = { ops: [{ process: 0, f: "read", invoke: 5, complete: 1, status: "ok" }] };
    expect(inputError(() => readDscheckHistory(JSON.stringify(backwards), "h.json")).location).toBe("#/ops/0/complete");
    expect(inputError(() => readDscheckHistory("{\n  \"ops\": [,]\n}", "h.json")).location).toBe("line 2");
  });
  it("detects every format from content", () => {
    expect(detectHistoryFormat(JSON.stringify(good))).toBe("dscheck");
    expect(detectHistoryFormat("INFO  jepsen.util - 0\t:invoke\t:read\tnil\n")).toBe("porcupine-etcd");
    expect(detectHistoryFormat(`{:process 0, :type :invoke, :f :get, :key "5", :value nil}`)).toBe("porcupine-kv");
    expect(detectHistoryFormat(`[{:process 0, :type :invoke, :f :read}]`)).toBe("jepsen-edn");
    expect(detectHistoryFormat(`[{"process": 0, "type": "invoke", "f": "read"}]`)).toBe("jepsen-json");
    expect(readHistory(`[{"process": 0, "type": "invoke", "f": "read"}]`, "x").ops).toHaveLength(1);
  });
});
