/**
 * An exact EDN reader for one form (as splitEdnForms cuts them): linear in the input length,
 * nesting bounded, and every value kept as itself (checker/history/edn-value.ts): keywords,
 * symbols and characters are atoms, `#{}` a set, maps are EdnMap (a `:__proto__` key is data),
 * integers beyond 2^53 and `N` integers bigints, `M` decimals tagged. Throws EdnSyntaxError.
 */
import { EdnAtom, EdnMap, EdnSet, EdnTagged, exactInteger, MAX_VALUE_DEPTH } from "../../checker/history/edn-value.ts";

export class EdnSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the parsed text. */
    readonly offset: number,
  ) {
    super(message);
    this.name = "EdnSyntaxError";
  }
}

const DELIMITERS = new Set([" ", "\t", "\n", "\r", ",", "(", ")", "[", "]", "{", "}", '"', ";", "\f", "\v"]);
const CHAR_NAMES: Record<string, string> = { newline: "\n", space: " ", tab: "\t", return: "\r", backspace: "\b", formfeed: "\f" };
const INT = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/;
const RATIO = /^[+-]?\d+\/\d+$/;

/** Tokens longer than this are rejected (no history needs a 64 KB symbol). */
export const MAX_TOKEN_LENGTH = 1 << 16;

/** Parses exactly one EDN value from `text` (comments, whitespace and `#_` forms around it allowed). */
export function parseEdnValue(text: string): unknown {
  const p = new Parser(text);
  p.skip();
  if (p.i >= text.length) throw new EdnSyntaxError("no value", p.i);
  const v = p.value(0);
  p.skip();
  if (p.i < text.length) throw new EdnSyntaxError(`unexpected ${JSON.stringify(text[p.i])} after the value`, p.i);
  return v;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(message: string, at = this.i): never {
    throw new EdnSyntaxError(message, at);
  }

  /** Skips whitespace, commas, comments and `#_` discarded forms. */
  skip(): void {
    const s = this.s;
    for (;;) {
      while (this.i < s.length) {
        const c = s[this.i];
        if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "," || c === "\f" || c === "\v") this.i++;
        else if (c === ";") {
          while (this.i < s.length && s[this.i] !== "\n") this.i++;
        } else break;
      }
      if (s[this.i] === "#" && s[this.i + 1] === "_") {
        this.i += 2;
        this.skip();
        this.value(0);
        continue;
      }
      return;
    }
  }

  token(): string {
    const s = this.s;
    const start = this.i;
    while (this.i < s.length && !DELIMITERS.has(s[this.i])) this.i++;
    if (this.i - start > MAX_TOKEN_LENGTH) this.fail(`a token of ${this.i - start} characters (at most ${MAX_TOKEN_LENGTH})`, start);
    return s.slice(start, this.i);
  }

  value(depth: number): unknown {
    if (depth >= MAX_VALUE_DEPTH) this.fail(`nested deeper than ${MAX_VALUE_DEPTH} levels`);
    const s = this.s;
    if (this.i >= s.length) this.fail("unexpected end of input");
    const c = s[this.i];
    switch (c) {
      case "[":
      case "(":
        this.i++;
        return this.items(c === "[" ? "]" : ")", depth);
      case "{": {
        this.i++;
        const at = this.i;
        const items = this.items("}", depth);
        if (items.length % 2 !== 0) this.fail("a map needs an even number of forms", at);
        const entries: [unknown, unknown][] = [];
        for (let k = 0; k < items.length; k += 2) entries.push([items[k], items[k + 1]]);
        const m = new EdnMap(entries);
        if (m.size !== entries.length) this.fail("a map has a duplicate key", at);
        return m;
      }
      case ")":
      case "]":
      case "}":
        return this.fail(`unexpected '${c}'`);
      case '"':
        return this.string();
      case "\\":
        return this.char();
      case "#":
        return this.dispatch(depth);
      case ":": {
        this.i++;
        const name = this.token();
        if (name === "" || name.startsWith(":") && name.length === 1) this.fail("an empty keyword");
        return EdnAtom.keyword(name);
      }
      default: {
        const at = this.i;
        const t = this.token();
        if (t === "") this.fail(`unexpected ${JSON.stringify(c)}`);
        return this.atom(t, at);
      }
    }
  }

  items(close: string, depth: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.s.length) this.fail(`'${close}' expected before the end`);
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value(depth + 1));
    }
  }

  dispatch(depth: number): unknown {
    const s = this.s;
    const next = s[this.i + 1];
    if (next === "{") {
      this.i += 2;
      const at = this.i;
      const items = this.items("}", depth);
      const set = new EdnSet(items);
      if (set.items.length !== items.length) this.fail("a set has a duplicate element", at);
      return set;
    }
    this.i++;
    const at = this.i;
    const tag = this.token();
    if (!/^[A-Za-z]/.test(tag)) this.fail(`'#${tag}' is not a tag EDN knows`, at - 1);
    this.skip();
    return new EdnTagged(tag, this.value(depth + 1));
  }

  atom(t: string, at: number): unknown {
    if (t === "nil") return null;
    if (t === "true") return true;
    if (t === "false") return false;
    const c = t[0];
    if ((c >= "0" && c <= "9") || ((c === "-" || c === "+") && t.length > 1 && t[1] >= "0" && t[1] <= "9")) {
      if (INT.test(t)) return exactInteger(t.endsWith("N") ? t.slice(0, -1).replace(/^\+/, "") : t.replace(/^\+/, ""));
      if (FLOAT.test(t)) {
        if (t.endsWith("M")) return new EdnTagged("bigdec", t.slice(0, -1).replace(/^\+/, ""));
        const x = Number(t);
        if (!Number.isFinite(x)) this.fail(`the number ${t} is out of range`, at);
        return x;
      }
      if (RATIO.test(t)) return new EdnTagged("ratio", t.replace(/^\+/, ""));
      this.fail(`${JSON.stringify(t.slice(0, 40))} is not a number`, at);
    }
    return EdnAtom.of("symbol", t);
  }

  string(): string {
    const s = this.s;
    const start = ++this.i;
    let out = "";
    let chunk = start;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '"') {
        out += s.slice(chunk, this.i);
        this.i++;
        return out;
      }
      if (c === "\\") {
        out += s.slice(chunk, this.i);
        const e = s[this.i + 1];
        const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\" };
        if (e in simple) {
          out += simple[e];
          this.i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else this.fail(`unknown escape \\${e ?? ""} in a string`);
        chunk = this.i;
        continue;
      }
      this.i++;
    }
    return this.fail("unterminated string", start - 1);
  }

  char(): EdnAtom {
    const at = this.i;
    this.i++;
    if (this.i >= this.s.length) this.fail("a character literal without a character", at);
    // One character, then any further non-delimiters make a named character.
    const first = this.s[this.i++];
    const rest = this.token();
    const name = first + rest;
    if (name.length === 1) return EdnAtom.of("char", name);
    if (name in CHAR_NAMES) return EdnAtom.of("char", CHAR_NAMES[name]);
    if (/^u[0-9a-fA-F]{4}$/.test(name)) return EdnAtom.of("char", String.fromCharCode(parseInt(name.slice(1), 16)));
    return this.fail(`unknown character literal \\${name.slice(0, 20)}`, at);
  }
}
