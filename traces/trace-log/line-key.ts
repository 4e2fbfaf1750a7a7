/**
 * Trace lines remembered by what they say, found again without parsing them.
 *
 * A log stamps every line (a sequence number, a timestamp, the host), so no two lines are
 * alike, yet a long log says the same few things again and again. When the trace mapping
 * declares which fields it reads (`lineFields`), a top-level member the line decoder keeps
 * (the event, its arguments, a logged variable, a declared field) is part of what the line
 * says and any other member is not. A line's key is then the text of its kept members, in
 * order: each run of adjacent kept members as written, runs joined by "\n" (which cannot
 * occur inside a line, so a key splits back into the same runs, which scan into the same
 * members). Without `lineFields`, the key is the whole text.
 *
 * Why a line found by its key is well-formed although it is not parsed: the kept runs are
 * the text of a line that was parsed in full (only well-formed lines are remembered), the
 * members left out are checked here to be JSON scalars under distinct names that are not
 * kept, and the text between members is checked here to be JSON's punctuation and
 * whitespace; JSON members delimit themselves, so the line parses into those members. A
 * line with a structured member the mapping does not read, a name with an escape, or
 * anything unusual has no key of its own and is remembered by its whole text (a key of
 * kept members starts with a quote or is empty, a whole line with "{", so the two never
 * meet).
 *
 * Finding a key costs a scan of the line, which is most of the cost of a line (a character
 * is a few nanoseconds here); the usual line (stamps first or last, one run of kept members
 * between) is looked up by peeling the stamps off both ends and slicing out the run between,
 * so only the stamps are read character by character. A peel that guesses wrong only misses
 * and the full scan decides.
 */

/** Lines remembered by what they say (see above), up to `maxLines` keys of at most `maxLength` characters. */
export class LineMemory<T> {
  /**
   * Keys by a tag made of their length and a few of their characters, each with the keys
   * that share it; a key is told from those by full comparison (one memcmp in V8). Hashing
   * each key read in full (a new string every line) was most of the lookup.
   */
  private readonly seen = new Map<number, { key: string; value: T }[]>();
  private size = 0;
  private readonly kept: KeptNames | undefined;

  constructor(keptNames: Iterable<string> | undefined, private readonly maxLines = 4096, private readonly maxLength = 1024) {
    this.kept = keptNames ? new KeptNames(keptNames) : undefined;
  }

  /** What a line that says what `text` says was remembered as, if one was. */
  get(text: string): T | undefined {
    const kept = this.kept;
    if (kept === undefined) return this.find(text);
    const run = peeledRun(text, kept);
    if (run !== undefined) {
      const hit = this.find(run);
      if (hit !== undefined) return hit;
    }
    return this.find(lineMeaningKey(text, kept) ?? text);
  }

  /**
   * Remembers `value` for `text`, unless it is too long or the memory is full (false). The
   * text must be well-formed: parsed in full before any line found by it is taken.
   */
  set(text: string, value: T): boolean {
    const key = this.kept === undefined ? text : (lineMeaningKey(text, this.kept) ?? text);
    if (key.length > this.maxLength || this.size >= this.maxLines) return false;
    const tag = tagOf(key);
    const bucket = this.seen.get(tag);
    if (bucket === undefined) this.seen.set(tag, [{ key, value }]);
    else bucket.push({ key, value });
    this.size++;
    return true;
  }

  private find(key: string): T | undefined {
    const bucket = this.seen.get(tagOf(key));
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) if (bucket[i].key === key) return bucket[i].value;
    return undefined;
  }
}

/**
 * A small hash of the length and of characters at a few places, most near the end, where
 * lines that say different things mostly differ (the event, its arguments). Only a tag:
 * keys are compared in full.
 */
function tagOf(key: string): number {
  const n = key.length;
  let h = n;
  for (let k = 0; k < TAG_OFFSETS.length; k++) {
    const i = n - TAG_OFFSETS[k];
    if (i < 0) break;
    h = Math.imul(h ^ key.charCodeAt(i), 0x9e3779b1);
  }
  if (n > 0) h = Math.imul(h ^ key.charCodeAt(n >> 1), 0x85ebca6b) ^ key.charCodeAt(n >> 2);
  return h >>> 8;
}

const TAG_OFFSETS = [2, 3, 4, 5, 7, 9, 12, 16, 21, 27, 34, 44];

/** The key of `text` by a full scan, or undefined when it has none (see the top). */
export function lineMeaningKey(text: string, kept: KeptNames): string | undefined {
  const n = text.length;
  let i = skipSpace(text, 0);
  if (at(text, i) !== 123 /* { */) return undefined;
  i = skipSpace(text, i + 1);
  let key: string | undefined;
  let runStart = -1, runEnd = -1;
  /** The names left out, as (start, end) offsets of their quoted text. */
  let left: number[] | undefined;
  for (;;) {
    const start = i;
    const nameEnd = plainStringEnd(text, i);
    if (nameEnd < 0) return undefined;
    const isKept = kept.has(text, i + 1, nameEnd - 1);
    i = skipSpace(text, nameEnd);
    if (at(text, i) !== 58 /* : */) return undefined;
    i = skipSpace(text, i + 1);
    let end: number;
    if (isKept) {
      end = valueEnd(text, i);
      if (end < 0) return undefined;
      if (runStart < 0) runStart = start;
      runEnd = end;
    } else {
      end = scalarEnd(text, i);
      if (end < 0) return undefined;
      if (left === undefined) left = [start, nameEnd];
      else if (repeatsName(text, left, start, nameEnd)) return undefined;
      else left.push(start, nameEnd);
      if (runStart >= 0) {
        const run = text.slice(runStart, runEnd);
        key = key === undefined ? run : key + "\n" + run;
        runStart = -1;
      }
    }
    i = skipSpace(text, end);
    const c = at(text, i);
    if (c === 44 /* , */) {
      i = skipSpace(text, i + 1);
      continue;
    }
    if (c !== 125 /* } */ || skipSpace(text, i + 1) !== n) return undefined;
    if (runStart >= 0) {
      const run = text.slice(runStart, runEnd);
      key = key === undefined ? run : key + "\n" + run;
    }
    return key ?? "";
  }
}

/**
 * The text between the stamps at the two ends of `text` (members left out, each checked
 * as `lineMeaningKey` checks them), or undefined. Leading ones are read forwards; trailing
 * ones are found backwards (a guess: a string value with an escaped quote fools it) and
 * then read forwards, so what is peeled is checked exactly.
 */
function peeledRun(text: string, kept: KeptNames): string | undefined {
  let i = skipSpace(text, 0);
  if (at(text, i) !== 123) return undefined;
  i = skipSpace(text, i + 1);
  let left: number[] | undefined;
  for (;;) {
    const nameEnd = plainStringEnd(text, i);
    if (nameEnd < 0) return undefined;
    if (kept.has(text, i + 1, nameEnd - 1)) break;
    let j = skipSpace(text, nameEnd);
    if (at(text, j) !== 58) return undefined;
    const end = scalarEnd(text, skipSpace(text, j + 1));
    if (end < 0) return undefined;
    if (left === undefined) left = [i, nameEnd];
    else if (repeatsName(text, left, i, nameEnd)) return undefined;
    else left.push(i, nameEnd);
    j = skipSpace(text, end);
    if (at(text, j) !== 44) return undefined;
    i = skipSpace(text, j + 1);
  }
  const start = i;
  let q = backSpace(text, text.length - 1);
  if (at(text, q) !== 125) return undefined;
  for (;;) {
    // Backwards: value, colon, name, comma.
    const last = backSpace(text, q - 1);
    const c = at(text, last);
    let valueStart: number;
    if (c === 34) valueStart = text.lastIndexOf('"', last - 1);
    else {
      valueStart = last;
      while (valueStart > 0 && isScalarChar(at(text, valueStart - 1))) valueStart--;
    }
    if (valueStart <= start) break;
    const colon = backSpace(text, valueStart - 1);
    if (at(text, colon) !== 58) break;
    const nameLast = backSpace(text, colon - 1);
    if (at(text, nameLast) !== 34) break;
    const nameStart = text.lastIndexOf('"', nameLast - 1);
    if (nameStart <= start) break;
    const comma = backSpace(text, nameStart - 1);
    if (at(text, comma) !== 44 || comma <= start) break;
    // Forwards, exactly: a plain name that is not kept, then a scalar ending where it did.
    if (plainStringEnd(text, nameStart) !== nameLast + 1 || kept.has(text, nameStart + 1, nameLast)) break;
    if (scalarEnd(text, valueStart) !== last + 1) break;
    if (left === undefined) left = [nameStart, nameLast + 1];
    else if (repeatsName(text, left, nameStart, nameLast + 1)) return undefined;
    else left.push(nameStart, nameLast + 1);
    q = comma;
  }
  return text.slice(start, backSpace(text, q - 1) + 1);
}

function isScalarChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 45 || c === 43 || c === 46 || c === 69;
}

function backSpace(text: string, i: number): number {
  for (;;) {
    const c = at(text, i);
    if (c === 32 || c === 9 || c === 13 || c === 10) i--;
    else return i;
  }
}

/**
 * The names of the members that say something, looked up without making a string of each
 * name read (a slice and a hash a member were most of the time): by length, then compared in
 * place.
 */
export class KeptNames {
  private readonly byLength: string[][] = [];

  constructor(names: Iterable<string>) {
    for (const name of names) (this.byLength[name.length] ??= []).push(name);
  }

  /** Whether text[from, to) is one of the names (compared a character at a time: names are short, and startsWith is a call). */
  has(text: string, from: number, to: number): boolean {
    const list = this.byLength[to - from];
    if (list === undefined) return false;
    next: for (let k = 0; k < list.length; k++) {
      const name = list[k];
      for (let c = 0; c < name.length; c++) if (name.charCodeAt(c) !== text.charCodeAt(from + c)) continue next;
      return true;
    }
    return false;
  }
}

/** Whether the quoted name at text[start, end) is one of the (start, end) pairs in `left`. */
function repeatsName(text: string, left: readonly number[], start: number, end: number): boolean {
  for (let k = 0; k < left.length; k += 2) if (left[k + 1] - left[k] === end - start && text.startsWith(text.slice(start, end), left[k])) return true;
  return false;
}

// Every read is bounds-checked: charCodeAt outside the text is NaN, and one NaN among the
// character codes makes V8 compile these loops for doubles.
function at(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : -1;
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = at(text, i);
    if (c === 32 || c === 9 || c === 13 || c === 10) i++;
    else return i;
  }
}

/** The index after a string at `i` with no escape (a member name), or -1. */
function plainStringEnd(text: string, i: number): number {
  if (at(text, i) !== 34) return -1;
  for (let j = i + 1; j < text.length; j++) {
    const c = at(text, j);
    if (c === 34) return j + 1;
    if (c === 92 || c < 32) return -1;
  }
  return -1;
}

/**
 * The index after the JSON value at `i`, found by nesting and strings only: it need not
 * check the value, whose text a remembered key must match exactly (see the top), only find
 * where it ends, the same way every time (a string with a bad escape has no end: no key).
 */
function valueEnd(text: string, i: number): number {
  const c = at(text, i);
  if (c === 34) return stringEnd(text, i);
  if (c !== 123 && c !== 91) return scalarEnd(text, i);
  let depth = 0;
  for (let j = i; j < text.length; ) {
    const d = text.charCodeAt(j);
    if (d === 34) {
      j = stringEnd(text, j);
      if (j < 0) return -1;
      continue;
    }
    if (d === 123 || d === 91) depth++;
    else if ((d === 125 || d === 93) && --depth === 0) return j + 1;
    j++;
  }
  return -1;
}

/** The index after a well-formed JSON string at `i` (escapes checked), or -1. */
function stringEnd(text: string, i: number): number {
  if (at(text, i) !== 34) return -1;
  for (let j = i + 1; j < text.length; j++) {
    const c = at(text, j);
    if (c === 34) return j + 1;
    if (c < 32) return -1;
    if (c === 92) {
      const e = at(text, ++j);
      if (e === 117 /* u */) {
        for (let k = 1; k <= 4; k++) if (!isHex(at(text, j + k))) return -1;
        j += 4;
      } else if (!(e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) return -1;
    }
  }
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** The index after a well-formed JSON scalar at `i` (string, number, true, false, null), or -1 (also for an object or a list). */
function scalarEnd(text: string, i: number): number {
  const c = at(text, i);
  if (c === 34) return stringEnd(text, i);
  if (c === 116) return text.startsWith("true", i) ? i + 4 : -1;
  if (c === 102) return text.startsWith("false", i) ? i + 5 : -1;
  if (c === 110) return text.startsWith("null", i) ? i + 4 : -1;
  return numberEnd(text, i);
}

/** JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function numberEnd(text: string, i: number): number {
  let j = i;
  if (at(text, j) === 45) j++;
  const first = at(text, j);
  if (first === 48) j++;
  else if (first >= 49 && first <= 57) while (isDigit(at(text, j))) j++;
  else return -1;
  if (at(text, j) === 46) {
    j++;
    if (!isDigit(at(text, j))) return -1;
    while (isDigit(at(text, j))) j++;
  }
  const e = at(text, j);
  if (e === 101 || e === 69) {
    j++;
    const s = at(text, j);
    if (s === 43 || s === 45) j++;
    if (!isDigit(at(text, j))) return -1;
    while (isDigit(at(text, j))) j++;
  }
  return j;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
