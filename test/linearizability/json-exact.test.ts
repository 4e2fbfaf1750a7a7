// JSON inputs (histories, saved results) are read exactly or refused: a key repeated in one
// object (JSON.parse keeps the last, other readers the first) and numbers JSON.parse would
// round (integers beyond 2^53 in any notation, values too large for a double) are bad input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inexactJson, mayRepeatKeys } from "../../traces/jepsen/json-syntax.ts";
import { parseJsonExact } from "../../traces/jepsen/read.ts";
import { InputError } from "../../checker/history/input-error.ts";

type Tree = { obj: [string, Tree][] } | { arr: Tree[] } | { num: number } | { str: string };

/** A key written plainly or with every character as a \u escape (the same key either way). */
function keyText(key: string, escaped: boolean): string {
  return escaped ? `"${[...key].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"` : JSON.stringify(key);
}

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small" },
    fc.record({ num: fc.integer({ min: -1000, max: 1000 }) }),
    fc.record({ str: fc.constantFrom("a", "b", "x,y", "{", "\"q\"") }),
    fc.record({ arr: fc.array(tie("t"), { maxLength: 3 }) }),
    fc.record({ obj: fc.array(fc.tuple(fc.constantFrom("a", "b", "c", "a\"b", "é"), tie("t")), { maxLength: 4 }) }),
  ),
})).t;

function render(t: Tree, escape: () => boolean): string {
  if ("num" in t) return String(t.num);
  if ("str" in t) return JSON.stringify(t.str);
  if ("arr" in t) return `[ ${t.arr.map((x) => render(x, escape)).join(" ,\n")} ]`;
  return `{${t.obj.map(([k, v]) => `${keyText(k, escape())} : ${render(v, escape)}`).join(",")}}`;
}

/** The oracle's pointer to the first repeated key in text order (a key comes before its value), or undefined. */
function firstDuplicate(t: Tree, path = ""): string | undefined {
  if ("arr" in t) {
    for (let i = 0; i < t.arr.length; i++) {
      const d = firstDuplicate(t.arr[i], `${path}/${i}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (!("obj" in t)) return undefined;
  const seen = new Set<string>();
  for (const [k, v] of t.obj) {
    const at = `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (seen.has(k)) return at;
    seen.add(k);
    const d = firstDuplicate(v, at);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** The oracle: does any object of the tree repeat a key? */
function hasDuplicate(t: Tree): boolean {
  if ("arr" in t) return t.arr.some(hasDuplicate);
  if (!("obj" in t)) return false;
  const keys = t.obj.map(([k]) => k);
  return new Set(keys).size !== keys.length || t.obj.some(([, v]) => hasDuplicate(v));
}

describe("exact JSON", () => {
  it("a repeated key is found exactly when some object repeats one, however the keys are escaped", () => {
    fc.assert(
      fc.property(tree, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), (t, bits) => {
        let k = 0;
        const text = render(t, () => bits[k++ % bits.length]);
        JSON.parse(text); // the generator writes valid JSON
        expect(inexactJson(text) !== undefined).toBe(hasDuplicate(t));
        expect(inexactJson(text)?.pointer).toBe(firstDuplicate(t));
        // The cheap pre-check never clears a text that repeats a key.
        if (hasDuplicate(t)) expect(mayRepeatKeys(text, JSON.parse(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("numbers beyond 2^53 in any notation, and too large for a double, are refused with their line", () => {
    for (const [text, line] of [
      ['{"v": 9007199254740993}', 1],
      ['{"v":\n 1180591620717411303425.0}', 2],
      ['[1, 2,\n\n 1.2e30]', 3],
      ['{"v": 1e400}', 1],
      ['{"v": -1e400}', 1],
    ] as const) {
      expect(inexactJson(text)?.line, text).toBe(line);
      expect(() => parseJsonExact(text, "h.json")).toThrow(InputError);
    }
    for (const ok of ['{"v": 9007199254740991}', '{"v": 1.5}', '{"v": -2.5e3}', '{"a": 1, "b": {"a": 2}}', '[{"a": 1}, {"a": 2}]', '{"a": "a", "b": "a"}']) expect(inexactJson(ok), ok).toBeUndefined();
  });

  it("the pre-check clears the usual line at once and scans one with colons in its strings", () => {
    const plain = '{"msgs": [{"op": "AddElement", "path": [], "args": [{"type": "Prepared", "rm": "rm-0"}]}], "event": "RMPrepare"}';
    expect(mayRepeatKeys(plain, JSON.parse(plain))).toBe(false);
    const colon = '{"at": "12:00", "event": "x"}';
    expect(mayRepeatKeys(colon, JSON.parse(colon))).toBe(true);
    expect(inexactJson(colon)).toBeUndefined();
  });

  it("a history line with a repeated key is one line of bad input naming the line", () => {
    const text = '{"type":"invoke","f":"read","process":0,"value":null}\n{"type":"ok","type":"fail","f":"read","process":0,"value":1}\n';
    const lines = text.trim().split("\n");
    expect(() => parseJsonExact(lines[1], "h.jsonl", 1)).toThrow(/line 2.*appears twice/);
  });
});
