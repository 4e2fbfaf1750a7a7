/**
 * Splits EDN text into top-level forms with the line each starts on, so that every record
 * of a history can be parsed on its own and a malformed one reported by line. `edn-data`
 * alone silently accepts unterminated input and ignores trailing forms, so the structure
 * (brackets, strings, comments) is checked here first.
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
const CLOSERS = new Set(["]", ")", "}"]);

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",";
}

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
    const c = text[i];
    if (c === "\n") line++;
    if (c === ";") {
      endAtom(i);
      while (i < to && text[i] !== "\n") i++;
      continue;
    }
    if (isSpace(c)) {
      endAtom(i);
      i++;
      continue;
    }
    if (formStart < 0) {
      formStart = i;
      formLine = line;
    }
    if (c === '"') {
      const strLine = line;
      i++;
      while (i < to && text[i] !== '"') {
        if (text[i] === "\\") i++;
        else if (text[i] === "\n") line++;
        i++;
      }
      if (i >= to) throw new EdnStructureError(strLine, "unterminated string");
      i++;
      continue;
    }
    if (c === "\\") {
      // A character literal such as \a or \( must not count as a bracket.
      i += 2;
      while (i < to && !isSpace(text[i]) && !CLOSERS.has(text[i]) && !(text[i] in OPENERS)) i++;
      continue;
    }
    if (c in OPENERS) {
      if (stack.length === 0 && formStart !== i) {
        endAtom(i);
        formStart = i;
        formLine = line;
      }
      stack.push({ close: OPENERS[c], line });
      i++;
      continue;
    }
    if (CLOSERS.has(c)) {
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
