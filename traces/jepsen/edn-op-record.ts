/**
 * A fast path for the one shape nearly every Jepsen/Knossos op record has: a map of keyword
 * keys to small integers, keywords, nil, booleans, plain strings and vectors of those, e.g.
 * `{:process 4, :type :invoke, :f :cas, :value [1 2]}`. It reads such a record straight into
 * the fields the op readers look at, without an EdnMap, a parser stack or a key array per
 * record; the general parser (edn-parse.ts) is still the definition. Anything else (another
 * key class, a comment, `#`, a backslash, a long or signed number, a token past the parser's
 * length bound, a map or set value, a duplicate key, an odd form count) answers "not mine",
 * and the general parser reads the record from the same offset: so values, offsets and
 * errors are the general parser's (test/history/fast-op-record.test.ts pins the two together).
 */
import { EdnAtom } from "../../checker/history/edn-value.ts";
import { keywordIn, MAX_TOKEN_LENGTH } from "./edn-parse.ts";

/** The fields of an op record the readers look at: each the key's value, or undefined when the key is absent. */
export interface OpRecordFields {
  type: unknown;
  f: unknown;
  process: unknown;
  value: unknown;
  index: unknown;
  time: unknown;
  key: unknown;
}

/** A fields object with every key absent (fill it with readPlainOpRecord; it is reset on each call). */
export function emptyOpRecordFields(): OpRecordFields {
  return { type: undefined, f: undefined, process: undefined, value: undefined, index: undefined, time: undefined, key: undefined };
}

const K_TYPE = EdnAtom.keyword("type");
const K_F = EdnAtom.keyword("f");
const K_PROCESS = EdnAtom.keyword("process");
const K_VALUE = EdnAtom.keyword("value");
const K_INDEX = EdnAtom.keyword("index");
const K_TIME = EdnAtom.keyword("time");
const K_KEY = EdnAtom.keyword("key");

/** CLASS[charCode]: what an ASCII character is to this path (0: anything it leaves to the parser). */
const BLANK = 1; // a space, comma, tab or line break (no \f, \v: rare, left to the parser)
const NAME = 2; // may be part of a keyword's name or a plain symbol
const CLOSE = 3; // ] ) }
const CLASS = new Uint8Array(128);
for (const c of " ,\t\n\r") CLASS[c.charCodeAt(0)] = BLANK;
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*+!-_?<>=./") CLASS[c.charCodeAt(0)] = NAME;
for (const c of "])}") CLASS[c.charCodeAt(0)] = CLOSE;

/** Whether the character at `i` ends a token for this path: a blank or a closing bracket (not the end of the text: a record needs its `}`). */
function ends(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 128 && (CLASS[c] === BLANK || CLASS[c] === CLOSE);
}

/** "Not mine". */
const LEAVE = Symbol("leave to the parser");
/** Vectors nested deeper than this are left to the parser (its own bound is far higher). */
const MAX_DEPTH = 8;
/** Where the last value read by `plainValue` ended. */
let pos = 0;
/** Elements of the vectors being read, innermost last; `top` is its height. */
const stack: unknown[] = [];
let top = 0;

/**
 * Reads the value starting at `i`: an integer of at most 15 digits (optionally after `-`),
 * a keyword, nil, true, false, a string without escapes, or a vector or list of these,
 * ending at a blank or a closing bracket. Sets `pos` after it; LEAVE for anything else.
 */
function plainValue(s: string, i: number, depth: number): unknown {
  const c = s.charCodeAt(i);
  if (c === 58) {
    // :keyword
    let end = i + 1;
    while (end < s.length && s.charCodeAt(end) < 128 && CLASS[s.charCodeAt(end)] === NAME) end++;
    if (end === i + 1 || end - (i + 1) > MAX_TOKEN_LENGTH || !ends(s, end)) return LEAVE;
    pos = end;
    return keywordIn(s, i + 1, end);
  }
  if ((c >= 48 && c <= 57) || c === 45) {
    const first = c === 45 ? i + 1 : i;
    let n = 0;
    let end = first;
    for (; end < s.length; end++) {
      const d = s.charCodeAt(end) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (end === first || end - first > 15 || !ends(s, end)) return LEAVE;
    pos = end;
    return c === 45 ? -n : n;
  }
  if (c === 91 || c === 40) {
    // [ ... ] or ( ... ): an array, as the parser reads both
    if (depth >= MAX_DEPTH) return LEAVE;
    const close = c === 91 ? 93 : 41;
    // Elements gather on one shared stack and leave it as an array of their exact size.
    const base = top;
    let k = i + 1;
    for (;;) {
      while (k < s.length && s.charCodeAt(k) < 128 && CLASS[s.charCodeAt(k)] === BLANK) k++;
      const e = s.charCodeAt(k);
      if (e === close) break;
      const v = e < 128 && CLASS[e] === CLOSE ? LEAVE : plainValue(s, k, depth + 1);
      if (v === LEAVE) {
        top = base;
        return LEAVE;
      }
      if (top === stack.length) stack.push(v);
      else stack[top] = v;
      top++;
      k = pos;
    }
    const items = stack.slice(base, top);
    top = base;
    if (!ends(s, k + 1)) return LEAVE;
    pos = k + 1;
    return items;
  }
  if (c === 34) {
    // "a string" without escapes
    let end = i + 1;
    for (; end < s.length; end++) {
      const e = s.charCodeAt(end);
      if (e === 34) break;
      if (e === 92) return LEAVE;
    }
    if (end >= s.length || !ends(s, end + 1)) return LEAVE;
    pos = end + 1;
    return s.slice(i + 1, end);
  }
  if (c === 110 || c === 116 || c === 102) {
    // nil, true, false (any other symbol is left to the parser)
    let end = i;
    while (end < s.length && s.charCodeAt(end) < 128 && CLASS[s.charCodeAt(end)] === NAME) end++;
    if (!ends(s, end)) return LEAVE;
    pos = end;
    if (end - i === 3 && s.startsWith("nil", i)) return null;
    if (end - i === 4 && s.startsWith("true", i)) return true;
    if (end - i === 5 && s.startsWith("false", i)) return false;
    return LEAVE;
  }
  return LEAVE;
}

/**
 * Reads the op record map at `at` when it has the plain shape (see the file comment): fills
 * `out` (every other field undefined) and returns the offset after its `}`.
 * Returns -1 for any other text, which the general parser must then read; `out` is then
 * meaningless. Never throws for any input.
 */
export function readPlainOpRecord(s: string, at: number, out: OpRecordFields): number {
  out.type = out.f = out.process = out.value = out.index = out.time = out.key = undefined;
  if (s.charCodeAt(at) !== 123) return -1;
  let seen = 0;
  let others: EdnAtom[] | undefined;
  let i = at + 1;
  for (;;) {
    while (i < s.length && s.charCodeAt(i) < 128 && CLASS[s.charCodeAt(i)] === BLANK) i++;
    const c = s.charCodeAt(i);
    if (c === 125) return i + 1;
    if (c !== 58) return -1;
    // The key: a keyword followed by a blank (a value must follow it).
    let end = i + 1;
    while (end < s.length && s.charCodeAt(end) < 128 && CLASS[s.charCodeAt(end)] === NAME) end++;
    const after = s.charCodeAt(end);
    if (end === i + 1 || end - (i + 1) > MAX_TOKEN_LENGTH || !(after < 128 && CLASS[after] === BLANK)) return -1;
    const key = keywordIn(s, i + 1, end);
    i = end + 1;
    while (i < s.length && s.charCodeAt(i) < 128 && CLASS[s.charCodeAt(i)] === BLANK) i++;
    const value = plainValue(s, i, 0);
    if (value === LEAVE) return -1;
    i = pos;
    const bit =
      key === K_PROCESS ? 1 : key === K_TYPE ? 2 : key === K_F ? 4 : key === K_VALUE ? 8 : key === K_TIME ? 16 : key === K_INDEX ? 32 : key === K_KEY ? 64 : 0;
    if (bit === 0) {
      // Kept only to tell a duplicate key (the parser's error) apart.
      if (others === undefined) others = [key];
      else if (others.includes(key)) return -1;
      else others.push(key);
      continue;
    }
    if ((seen & bit) !== 0) return -1;
    seen |= bit;
    if (bit === 1) out.process = value;
    else if (bit === 2) out.type = value;
    else if (bit === 4) out.f = value;
    else if (bit === 8) out.value = value;
    else if (bit === 16) out.time = value;
    else if (bit === 32) out.index = value;
    else out.key = value;
  }
}
