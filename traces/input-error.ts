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
    super(`${file}${location ? `${location.startsWith("#") ? "" : ":"}${location}` : ""}: ${detail}`);
    this.name = "InputError";
  }
}
