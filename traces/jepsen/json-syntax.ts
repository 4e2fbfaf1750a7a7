/**
 * Finds where JSON text stops being valid, as a 1-based line. Node 20's JSON.parse often
 * names no position ("Unexpected token '}'"), so a small syntax-only scanner locates it.
 */

/** The 1-based line of the first syntax error in `text`, or undefined when it is valid JSON. */
export function jsonErrorLine(text: string): number | undefined {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

class Stop {
  constructor(readonly at: number) {}
}

function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new Stop(Math.min(i, text.length));
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\n") fail();
      i += text[i] === "\\" ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.at;
    throw e;
  }
}

/** A parser's error message on one line (V8 quotes the offending text, newlines included). */
export function oneLineMessage(e: unknown): string {
  return String((e as Error)?.message ?? e).replace(/\r?\n/g, "\\n");
}

/**
 * The first integer literal of JSON `text` that a double cannot hold exactly (beyond 2^53),
 * with its 1-based line, or undefined. JSON.parse would round it silently.
 */
export function unsafeJsonInteger(text: string): { token: string; line: number } | undefined {
  let line = 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      // A string: skip to its closing quote.
      for (i++; i < n && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92) i++;
        else if (text.charCodeAt(i) === 10) line++;
      }
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      const intEnd = i;
      const d = text[i];
      if (d === "." || d === "e" || d === "E") {
        while (i < n && /[0-9eE+\-.]/.test(text[i])) i++;
      } else if (intEnd - start > 15 && !Number.isSafeInteger(Number(text.slice(start, intEnd)))) {
        return { token: text.slice(start, intEnd), line };
      }
      i--;
    }
  }
  return undefined;
}

/** The message for an integer JSON cannot carry exactly. */
export function unsafeIntegerMessage(token: string): string {
  return `the integer ${token.length > 40 ? token.slice(0, 40) + "..." : token} is beyond 2^53 and JSON numbers would round it; write it as a string, or use EDN (${token.length > 40 ? "..." : token}N)`;
}
