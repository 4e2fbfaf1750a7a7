/** The lint rules' names and what each finds (kept apart from the rules, which load the compiler). */
export type RuleName = "random" | "clock" | "io" | "module-state" | "state-mutation" | "missing-return";

export const RULE_DESCRIPTIONS: Readonly<Record<RuleName, string>> = {
  random: "randomness (Math.random, crypto's random values): successors must be a function of the state",
  clock: "reading a clock (Date.now, new Date(), performance.now)",
  io: "I/O inside a spec function (fs, net, child_process, fetch, process, console, ...)",
  "module-state": "module-level mutable state read or written by a spec function",
  "state-mutation": "mutation of a state the function is given (or of something reached from it)",
  "missing-return": "a block-bodied action, guard or property that can reach its end without returning",
};

/** One finding: where (1-based line and column), which rule, and a one-line message. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: RuleName;
  readonly message: string;
}
