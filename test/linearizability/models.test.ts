/** Built-in model semantics on hand-made cases, and the user-defined model API. */
import { describe, expect, it } from "vitest";
import { builtinModel, BUILTIN_MODELS } from "../../checker/linearizability/models/registry.ts";
import { defineModel, ILLEGAL } from "../../checker/linearizability/model.ts";
import { checkHistory } from "../../checker/linearizability/check.ts";
import type { Operation, OpCall } from "../../checker/linearizability/history.ts";

const m = (name: string, init?: unknown, nilReadMatchesAny?: boolean) => builtinModel(name, { init, nilReadMatchesAny })!;
const call = (f: string, value: unknown = null, key?: string): OpCall => (key === undefined ? { f, value } : { f, value, key });

/** Sequential history: op i runs in [2i, 2i+1]. */
function seq(entries: [OpCall, unknown][], completion: "ok" | "info" = "ok"): Operation<OpCall, unknown>[] {
  return entries.map(([input, output], id) => ({ id, process: 0, input, output, call: 2 * id, ret: 2 * id + 1, completion }));
}

describe("built-in models", () => {
  it("lists every model the brief names", () => {
    expect([...BUILTIN_MODELS].sort()).toEqual(["cas-register", "counter", "kv", "multi-register", "mutex", "queue", "register", "set"]);
  });
  it("cas-register: success needs the old value, false output needs a different one", () => {
    const r = m("cas-register", 1, false);
    expect(r.step(1, call("cas", [1, 2]), [1, 2])).toBe(2);
    expect(r.step(3, call("cas", [1, 2]), [1, 2])).toBe(ILLEGAL);
    expect(r.step(3, call("cas", [1, 2]), false)).toBe(3);
    expect(r.step(1, call("cas", [1, 2]), false)).toBe(ILLEGAL);
    expect(r.step(1, call("cas", [1, 2]), undefined)).toBe(2);
    expect(r.step(3, call("cas", [1, 2]), undefined)).toBe(3);
  });
  it("an ok read of nil matches anything in Knossos semantics, only nil in Porcupine's", () => {
    expect(m("cas-register", 0, true).step(5, call("read"), null)).toBe(5);
    expect(m("cas-register", 0, false).step(5, call("read"), null)).toBe(ILLEGAL);
    expect(m("register", 0, false).step(null, call("read"), null)).toBe(null);
  });
  it("multi-register: reads check each named register, writes update it", () => {
    const r = m("multi-register", { x: 0, y: 0 });
    const init = r.init();
    const after = r.step(init, call("txn", [["write", "x", 2]]), [["write", "x", 2]]);
    expect(after).toEqual(new Map([["x", 2], ["y", 0]]));
    expect(r.step(after, call("txn", [["read", "x", null]]), [["read", "x", 0]])).toBe(ILLEGAL);
    // A register named __proto__ is a register like any other.
    const proto = r.step(init, call("txn", [["write", "__proto__", 1]]), [["write", "__proto__", 1]]);
    expect(r.step(proto, call("txn", [["read", "__proto__", 1]]), [["read", "__proto__", 1]])).not.toBe(ILLEGAL);
    expect(r.step(proto, call("txn", [["read", "__proto__", 2]]), [["read", "__proto__", 2]])).toBe(ILLEGAL);
  });
  it("mutex: no double acquire, no release when free", () => {
    const h = seq([[call("acquire"), null], [call("acquire"), null]]);
    expect(checkHistory(m("mutex"), h).status).toBe("violation");
    expect(checkHistory(m("mutex"), seq([[call("acquire"), null], [call("release"), null]])).status).toBe("ok");
  });
  it("kv: missing key reads \"\", append concatenates, keys are partitions", () => {
    const h = seq([
      [call("get", null, "a"), ""],
      [call("append", "x", "a"), null],
      [call("append", "y", "a"), null],
      [call("get", null, "b"), ""],
      [call("get", null, "a"), "xy"],
    ]);
    const r = checkHistory(m("kv"), h);
    expect(r.status).toBe("ok");
    expect(r.partitionCount).toBe(2);
  });
  it("queue is FIFO, set reads the whole set, counter sums", () => {
    expect(checkHistory(m("queue"), seq([[call("enqueue", 1), null], [call("enqueue", 2), null], [call("dequeue"), 2]])).status).toBe("violation");
    expect(checkHistory(m("queue"), seq([[call("enqueue", 1), null], [call("enqueue", 2), null], [call("dequeue"), 1]])).status).toBe("ok");
    expect(checkHistory(m("set"), seq([[call("add", 1), null], [call("add", 2), null], [call("read"), [2, 1]]])).status).toBe("ok");
    expect(checkHistory(m("set"), seq([[call("add", 1), null], [call("read"), [1, 2]]])).status).toBe("violation");
    expect(checkHistory(m("counter"), seq([[call("add", 2), null], [call("add", 3), null], [call("read"), 5]])).status).toBe("ok");
    expect(checkHistory(m("counter"), seq([[call("add", 2), null], [call("read"), 3]])).status).toBe("violation");
  });
  it("checkInput names unknown functions and bad arguments", () => {
    expect(m("cas-register").checkInput(call("incr"))).toMatch(/no function "incr"/);
    expect(m("cas-register").checkInput(call("cas", 3))).toMatch(/\[old new\]/);
    expect(m("kv").checkInput(call("get"))).toMatch(/needs a key/);
  });
});

describe("user-defined models", () => {
  it("defineModel fills hash, equality and descriptions; the checker uses them", () => {
    // A register of sets, only the required callbacks given.
    const model = defineModel<{ items: number[] }, OpCall, unknown>({
      name: "bag",
      init: () => ({ items: [] }),
      step: (s, input, output) => {
        if (input.f === "put") return { items: [...s.items, input.value as number].sort() };
        return output === undefined || JSON.stringify(output) === JSON.stringify(s.items) ? s : ILLEGAL;
      },
    });
    expect(model.partitioned).toBe(false);
    expect(model.hash({ items: [1] })).toBe(model.hash({ items: [1] }));
    expect(model.equal({ items: [1] }, { items: [2] })).toBe(false);
    expect(model.describeOperation(call("put", 1), undefined)).toContain("?");
    expect(model.checkInput(call("put", 1))).toBeUndefined();
    const ops: Operation<OpCall, unknown>[] = [
      { id: 0, process: 0, input: call("put", 2), output: null, call: 0, ret: 10, completion: "ok" },
      { id: 1, process: 1, input: call("put", 1), output: null, call: 1, ret: 2, completion: "ok" },
      { id: 2, process: 1, input: call("look"), output: [1], call: 3, ret: 4, completion: "ok" },
    ];
    expect(checkHistory(model, ops).status).toBe("ok");
    expect(checkHistory(model, [...ops, { id: 3, process: 1, input: call("look"), output: [1], call: 11, ret: 12, completion: "ok" }]).status).toBe("violation");
  });
});

describe("completions", () => {
  it("fail never took effect; info may take effect late or never", () => {
    const ops: Operation<OpCall, unknown>[] = [
      { id: 0, process: 0, input: call("write", 1), output: undefined, call: 0, ret: 1, completion: "fail" },
      { id: 1, process: 1, input: call("read"), output: 0, call: 2, ret: 3, completion: "ok" },
      { id: 2, process: 2, input: call("write", 2), output: undefined, call: 4, ret: 5, completion: "info" },
      { id: 3, process: 3, input: call("read"), output: 0, call: 6, ret: 7, completion: "ok" },
      { id: 4, process: 4, input: call("read"), output: 2, call: 20, ret: 21, completion: "ok" },
    ];
    expect(checkHistory(m("register", 0, false), ops).status).toBe("ok");
    const reversed = ops.map((o) => (o.id === 4 ? { ...o, output: 1 } : o));
    expect(checkHistory(m("register", 0, false), reversed).status).toBe("violation");
  });
});
