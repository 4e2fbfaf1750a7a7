/**
 * Malformed untrusted input (a trace or history file). The CLI prints `message` as one line
 * and exits 2. `location` is "line N" or a JSON pointer such as "#/3/value".
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly location: string | undefined,
    readonly detail: string,
  ) {
    super(printable(`${file}${location ? `${location.startsWith("#") ? "" : ":"}${location}` : ""}: ${detail}`));
    this.name = "InputError";
  }
}

/**
 * `text` with its control characters escaped (`\n`, `\u001b`): a message quoting hostile
 * input (a parser echoing the text, a key, a file name) stays one line and writes no
 * terminal escape sequences.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const j = JSON.stringify(c);
    return j.length > 3 ? j.slice(1, -1) : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/**
 * Runs a reader, turning a stack overflow (input nested far deeper than any history) into an
 * InputError, so that hostile input ends with a message and exit 2, not a crash.
 */
export function guardedRead<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new InputError(file, undefined, "nested too deeply to read (is this a history file?)");
    throw e;
  }
}
