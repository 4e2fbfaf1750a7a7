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
 * The first thing in valid JSON `text` that JSON.parse would take inexactly, with its 1-based
 * line, or undefined:
 * - an integer literal beyond 2^53 (a double cannot hold it);
 * - a number in decimal or exponent notation whose value is beyond 2^53 or not finite
 *   (`1180591620717411303425.0`, `1e400`): it stands for an integer JSON.parse rounds;
 * - a key repeated in one object: JSON.parse keeps the last, another reader the first, so
 *   the two would disagree on what the input says.
 * One pass over the text; `text` must already have parsed. With `numbers: false`, only
 * repeated keys (for readers with number rules of their own). With `numbers: "doubles"`, a
 * number beyond 2^53 is accepted when its text is exactly how JavaScript writes the double
 * it parses to (`100000000000000000000`, `1e+21`): that is what dscheck writes for a state
 * holding such a double, and reading it back gives the very same double.
 */
export function inexactJson(text: string, { numbers = true }: { numbers?: boolean | "doubles" } = {}): { message: string; line: number; pointer: string } | undefined {
  let line = 1;
  const n = text.length;
  // Per open container: the keys seen (objects) or null (arrays), and where in it we are
  // (the current key, or the element index) for the JSON pointer; and whether the next
  // string in an object is a key.
  const keys: (Set<string> | null)[] = [];
  const at: (string | number)[] = [];
  let expectKey = false;
  // The JSON pointer of a path of keys and indices.
  const pointer = (path: readonly (string | number)[]) => path.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 123) {
      keys.push(new Set());
      at.push("");
      expectKey = true;
    } else if (c === 91) {
      keys.push(null);
      at.push(0);
      expectKey = false;
    } else if (c === 125 || c === 93) {
      keys.pop();
      at.pop();
      expectKey = false;
    } else if (c === 44) {
      const inObject = keys.length > 0 && keys[keys.length - 1] !== null;
      if (!inObject && at.length > 0) at[at.length - 1] = (at[at.length - 1] as number) + 1;
      expectKey = inObject;
    }
    else if (c === 34) {
      const start = i;
      let escaped = false;
      for (i++; i < n && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92) {
          escaped = true;
          i++;
        } else if (text.charCodeAt(i) === 10) line++;
      }
      if (expectKey) {
        const raw = text.slice(start + 1, i);
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        const seen = keys[keys.length - 1]!;
        if (seen.has(key)) return { message: `the key ${JSON.stringify(key.length > 40 ? key.slice(0, 40) + "..." : key)} appears twice in one object; readers disagree on which one counts`, line, pointer: pointer([...at.slice(0, -1), key]) };
        seen.add(key);
        at[at.length - 1] = key;
        expectKey = false;
      }
    } else if (numbers && (c === 45 || (c >= 48 && c <= 57))) {
      const start = i;
      if (c === 45) i++;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      const intEnd = i;
      const d = text[i];
      if (d === "." || d === "e" || d === "E") {
        while (i < n && /[0-9eE+\-.]/.test(text[i])) i++;
        const v = Number(text.slice(start, i));
        if ((!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) && !(numbers === "doubles" && String(v) === text.slice(start, i))) {
          const token = text.slice(start, i);
          return { message: `the number ${token.length > 40 ? token.slice(0, 40) + "..." : token} is ${Number.isFinite(v) ? "beyond 2^53" : "too large for a double"} and JSON numbers would round it; write it as a string, or use EDN`, line, pointer: pointer(at) };
        }
      } else if (intEnd - start > 15 && !Number.isSafeInteger(Number(text.slice(start, intEnd))) && !(numbers === "doubles" && String(Number(text.slice(start, intEnd))) === text.slice(start, intEnd))) {
        return { message: unsafeIntegerMessage(text.slice(start, intEnd)), line, pointer: pointer(at) };
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

/**
 * Whether `text`, which JSON.parse read as `value`, may repeat a key; false is certain.
 * Every key in the text is followed by a colon, so the colons bound the keys written from
 * above; when they equal the keys `value` has, no key was written twice. Far cheaper than
 * `inexactJson` (a colon count and a walk), for readers that take millions of lines; a line
 * with colons inside its strings just gets the full scan.
 */
export function mayRepeatKeys(text: string, value: unknown): boolean {
  let colons = 0;
  for (let i = text.indexOf(":"); i >= 0; i = text.indexOf(":", i + 1)) colons++;
  if (colons === 0) return false;
  try {
    return colons !== keyCount(value);
  } catch {
    return true; // nested too deeply to walk: let the scan (iterative) decide
  }
}

function keyCount(v: unknown): number {
  if (v === null || typeof v !== "object") return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += keyCount(v[i]);
    return n;
  }
  for (const k of Object.keys(v)) n += 1 + keyCount((v as Record<string, unknown>)[k]);
  return n;
}
