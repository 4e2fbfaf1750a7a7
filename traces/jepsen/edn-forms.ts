/**
 * Splits EDN text into top-level forms with the line each starts on, so that every record
 * of a malformed history can be parsed on its own and reported by line (valid histories
 * are read in one pass, edn-parse.ts parseEdnRecords, which leaves anything it is not sure
 * of to this path). The structure (brackets, strings, comments) is checked here first.
 */

/** One EDN form as source text and the 1-based line where it starts. */
export interface EdnForm {
  readonly text: string;
  readonly line: number;
  /** Character offset of the form in the scanned text. */
  readonly offset: number;
}

/** A structural problem found while splitting: what and on which 1-based line. */
export class EdnStructureError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "EdnStructureError";
  }
}

const OPENERS: Record<string, string> = { "[": "]", "(": ")", "{": "}" };

/** What each ASCII character is to the scanner; everything else is part of a token. */
const OTHER = 0;
const SPACE = 1;
const OPEN = 2;
const CLOSE = 3;
const QUOTE = 4;
const BACKSLASH = 5;
const SEMICOLON = 6;
const NEWLINE = 7;
const KIND = new Uint8Array(128);
for (const c of " \t\r,\f\v") KIND[c.charCodeAt(0)] = SPACE;
for (const c of "[({") KIND[c.charCodeAt(0)] = OPEN;
for (const c of "])}") KIND[c.charCodeAt(0)] = CLOSE;
KIND['"'.charCodeAt(0)] = QUOTE;
KIND["\\".charCodeAt(0)] = BACKSLASH;
KIND[";".charCodeAt(0)] = SEMICOLON;
KIND["\n".charCodeAt(0)] = NEWLINE;
const kindAt = (text: string, i: number): number => {
  const c = text.charCodeAt(i);
  return c < 128 ? KIND[c] : OTHER;
};

/**
 * Returns the top-level forms of `text` (comments and whitespace between them dropped).
 * When `unwrapOne` is true and the text is a single vector or list, returns its elements
 * instead. Throws EdnStructureError for unbalanced brackets or an unterminated string.
 */
export function splitEdnForms(text: string, unwrapOne: boolean): EdnForm[] {
  const top = scan(text, 0, text.length, 1);
  if (unwrapOne && top.length === 1) {
    const only = top[0];
    const open = only.text[0];
    if (open === "[" || open === "(") {
      return scan(text, only.offset + 1, only.offset + only.text.length - 1, only.line);
    }
  }
  return top;
}

/** Scans text[from, to) for forms at depth 0 of that range; `line` is the line at `from`. */
function scan(text: string, from: number, to: number, line: number): EdnForm[] {
  const forms: EdnForm[] = [];
  const stack: { close: string; line: number }[] = [];
  let formStart = -1;
  let formLine = line;
  let i = from;
  const endAtom = (end: number) => {
    if (formStart >= 0 && stack.length === 0) {
      forms.push({ text: text.slice(formStart, end), line: formLine, offset: formStart });
      formStart = -1;
    }
  };
  while (i < to) {
    const kind = kindAt(text, i);
    if (kind === NEWLINE) line++;
    if (kind === SEMICOLON) {
      endAtom(i);
      while (i < to && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (kind === SPACE || kind === NEWLINE) {
      endAtom(i);
      i++;
      continue;
    }
    if (formStart < 0) {
      formStart = i;
      formLine = line;
    }
    if (kind === QUOTE) {
      const strLine = line;
      i++;
      for (let k = kindAt(text, i); i < to && k !== QUOTE; k = kindAt(text, i)) {
        if (k === BACKSLASH) i++;
        else if (k === NEWLINE) line++;
        i++;
      }
      if (i >= to) throw new EdnStructureError(strLine, "unterminated string");
      i++;
      continue;
    }
    if (kind === BACKSLASH) {
      // A character literal such as \a or \( must not count as a bracket; it ends where the
      // parser's tokens end.
      i += 2;
      for (let k = kindAt(text, i); i < to && (k === OTHER || k === BACKSLASH); k = kindAt(text, i)) i++;
      continue;
    }
    if (kind === OPEN) {
      if (stack.length === 0 && formStart !== i) {
        endAtom(i);
        formStart = i;
        formLine = line;
      }
      stack.push({ close: OPENERS[text[i]], line });
      i++;
      continue;
    }
    if (kind === CLOSE) {
      const c = text[i];
      const open = stack.pop();
      if (!open) throw new EdnStructureError(line, `unexpected '${c}'`);
      if (open.close !== c) throw new EdnStructureError(line, `expected '${open.close}' but found '${c}' (opened on line ${open.line})`);
      i++;
      if (stack.length === 0) endAtom(i);
      continue;
    }
    i++;
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new EdnStructureError(open.line, `'${OPENERS_BY_CLOSE[open.close]}' is never closed`);
  }
  endAtom(to);
  return forms;
}

const OPENERS_BY_CLOSE: Record<string, string> = { "]": "[", ")": "(", "}": "{" };
