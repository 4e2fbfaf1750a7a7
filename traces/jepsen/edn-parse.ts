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

/** DELIMITER[charCode] is 1 for the characters that end a token, 2 for a backslash (which does not). */
const DELIMITER = new Uint8Array(128);
for (const c of " \t\n\r,()[]{}\";\f\v") DELIMITER[c.charCodeAt(0)] = 1;
DELIMITER[92] = 2;
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

/** The value starting at `at` (no blanks before it) and the offset after it, read as a record is (tests compare readers with it). */
export function parseEdnValueAt(text: string, at: number): { value: unknown; end: number; backslash: boolean } {
  const p = new Parser(text);
  p.i = at;
  const value = p.value(1);
  // backslash: a character literal or a backslash outside a string was read (parseEdnRecords then leaves the text to splitEdnForms).
  return { value, end: p.i, backslash: p.backslash };
}

/**
 * The records of a history text in one pass: its top-level forms, or (`unwrapOne`) the
 * elements of its one vector or list, each handed to `record` with its offset as soon as it
 * is read (so its parsed form can die young). False when the text is anything else or not
 * valid EDN: the caller then takes the slower path that says where it is wrong.
 *
 * `fast`, when given, is offered each record that starts with `{` first: it returns the
 * offset after the record when it has read it itself (edn-op-record.ts), or -1 to leave it
 * to the parser (and then `record` gets it).
 */
export function parseEdnRecords(text: string, unwrapOne: boolean, record: (value: unknown, offset: number) => void, fast?: (offset: number) => number): boolean {
  const p = new Parser(text);
  // Records are cut where splitEdnForms cuts them, or the text is left to it: no `#` form
  // (`#_`, `#{}`, tags) at record level, no backslash outside strings (the splitter takes it
  // for a character literal anywhere), and an atom or string ends at a space, a comment, a
  // bracket or the end (the splitter reads `:a"b"` as one form, the parser as two).
  const next = (close: string | undefined, at: number): boolean => {
    if (p.backslash) return false;
    p.blank();
    if (p.i >= text.length || text[p.i] === close) return true;
    if (text[p.i] === "#") return false;
    const opened = text[at] === "[" || text[at] === "(" || text[at] === "{";
    return opened || p.i > p.lastBlank || "[({".includes(text[p.i]);
  };
  try {
    p.blank();
    if (text[p.i] === "#") return false;
    const open = text[p.i];
    if (unwrapOne && (open === "[" || open === "(")) {
      const close = open === "[" ? "]" : ")";
      p.i++;
      p.blank();
      if (text[p.i] === "#") return false;
      while (p.i < text.length && text[p.i] !== close) {
        const at = p.i;
        const end = fast !== undefined && text.charCodeAt(at) === 123 ? fast(at) : -1;
        if (end >= 0) p.i = end;
        else record(p.value(1), at);
        if (!next(close, at)) return false;
      }
      if (p.i >= text.length) return false;
      p.i++;
      p.blank();
      return p.i >= text.length;
    }
    while (p.i < text.length) {
      const at = p.i;
      const end = fast !== undefined && text.charCodeAt(at) === 123 ? fast(at) : -1;
      if (end >= 0) p.i = end;
      else record(p.value(0), at);
      if (!next(undefined, at)) return false;
    }
    return true;
  } catch (e) {
    if (e instanceof EdnSyntaxError) return false;
    throw e;
  }
}

/** s[from, to) as a number when it is a plain decimal integer of at most 15 digits (exact), else undefined. */
function smallInteger(s: string, from: number, to: number): number | undefined {
  const negative = s.charCodeAt(from) === 45; // "-"
  const first = negative ? from + 1 : from;
  if (to - first > 15 || to === first) return undefined;
  let n = 0;
  for (let k = first; k < to; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/** The keywords read last, by a hash of their spelling: a history uses a handful, over and over. */
const RECENT_KEYWORDS: (EdnAtom | undefined)[] = new Array(256).fill(undefined);

/** The keyword named s[start, end) (not empty); the few names of a history are found without a copy. */
export function keywordIn(s: string, start: number, end: number): EdnAtom {
  const slot = ((end - start) * 31 + (s.charCodeAt(start) | 0) * 7 + (s.charCodeAt(start + 1) | 0) * 3 + (s.charCodeAt(end - 1) | 0)) & 255;
  const cached = RECENT_KEYWORDS[slot];
  if (cached !== undefined && cached.name.length === end - start && s.startsWith(cached.name, start)) return cached;
  const atom = EdnAtom.keyword(s.slice(start, end));
  RECENT_KEYWORDS[slot] = atom;
  return atom;
}

class Parser {
  i = 0;
  /**
   * Elements of the collections being read, innermost last: one stack, not one growing array
   * per collection. `top` is its height (setting an array's length would free its storage).
   */
  private readonly work: unknown[] = [];
  private top = 0;
  /** Where the last blank() started, to tell whether it skipped anything. */
  lastBlank = -1;
  /** Set once a character literal or a backslash outside a string was read (splitEdnForms reads those its own way). */
  backslash = false;
  constructor(readonly s: string) {}

  fail(message: string, at = this.i): never {
    throw new EdnSyntaxError(message, at);
  }

  /** Skips whitespace, commas and comments only (not `#_` forms), remembering where it started. */
  blank(): void {
    this.lastBlank = this.i;
    this.whitespace();
  }

  /** Whitespace, commas and comments. */
  private whitespace(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "," || c === "\f" || c === "\v") this.i++;
      else if (c === ";") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
      } else break;
    }
  }

  /** Skips whitespace, commas, comments and `#_` discarded forms. */
  skip(): void {
    const s = this.s;
    for (;;) {
      this.whitespace();
      if (s[this.i] === "#" && s[this.i + 1] === "_") {
        this.i += 2;
        this.skip();
        this.value(0);
        continue;
      }
      return;
    }
  }

  /** Where the token starting at `i` ends (bounded length). */
  tokenEnd(): number {
    const s = this.s;
    const start = this.i;
    let end = start;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (c < 128 && DELIMITER[c] !== 0) {
        if (DELIMITER[c] === 1) break;
        this.backslash = true;
      }
      end++;
    }
    if (end - start > MAX_TOKEN_LENGTH) this.fail(`a token of ${end - start} characters (at most ${MAX_TOKEN_LENGTH})`, start);
    return end;
  }

  token(): string {
    const start = this.i;
    this.i = this.tokenEnd();
    return this.s.slice(start, this.i);
  }

  /** The keyword whose name starts at `i`; the few names of a history are found without a copy. */
  keyword(): EdnAtom {
    const s = this.s;
    const start = this.i;
    const end = this.tokenEnd();
    this.i = end;
    if (end === start || (end === start + 1 && s[start] === ":")) this.fail("an empty keyword");
    return keywordIn(s, start, end);
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
        const base = this.top;
        for (;;) {
          this.skip();
          if (this.i >= s.length) this.fail("'}' expected before the end");
          if (s[this.i] === "}") break;
          this.push(this.value(depth + 1));
          this.skip();
          if (this.i >= s.length) this.fail("'}' expected before the end");
          if (s[this.i] === "}") this.fail("a map needs an even number of forms", at);
          this.push(this.value(depth + 1));
        }
        this.i++;
        const work = this.work;
        const n = (this.top - base) / 2;
        const keys: unknown[] = new Array(n);
        const values: unknown[] = new Array(n);
        for (let k = 0; k < n; k++) {
          keys[k] = work[base + 2 * k];
          values[k] = work[base + 2 * k + 1];
        }
        this.top = base;
        const m = new EdnMap(keys, values);
        if (m.size !== n) this.fail("a map has a duplicate key", at);
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
        return this.keyword();
      }
      default: {
        const at = this.i;
        const end = this.tokenEnd();
        const small = smallInteger(s, at, end);
        if (small !== undefined || (end - at === 3 && s.startsWith("nil", at))) {
          this.i = end;
          return small ?? null;
        }
        const t = this.token();
        if (t === "") this.fail(`unexpected ${JSON.stringify(c)}`);
        return this.atom(t, at);
      }
    }
  }

  private push(v: unknown): void {
    if (this.top === this.work.length) this.work.push(v);
    else this.work[this.top] = v;
    this.top++;
  }

  /** The elements up to `close`, in an array of their exact size (they gather on `work` first). */
  items(close: string, depth: number): unknown[] {
    const base = this.top;
    for (;;) {
      this.skip();
      if (this.i >= this.s.length) this.fail(`'${close}' expected before the end`);
      if (this.s[this.i] === close) {
        this.i++;
        const out = this.work.slice(base, this.top);
        this.top = base;
        return out;
      }
      this.push(this.value(depth + 1));
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
    this.backslash = true;
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
