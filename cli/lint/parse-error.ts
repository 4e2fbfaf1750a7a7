/** A spec file that is missing or does not parse: one line naming file:line:col (exit 2). */
export class SpecParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecParseError";
  }
}
