/**
 * The CI flags every checking command takes (`--junit`, `--shard i/N`; what they do is said in
 * cli/ci.ts) and the shard split, apart from the writing of JUnit files and GitHub output
 * (cli/ci.ts): a command imports these at start-up and loads ci.ts only when CI output is
 * asked for (it brings the XML builder, the Markdown renderer and the atomic writer).
 */
import { relative, resolve, sep } from "node:path";
import { InvalidArgumentError, Option } from "commander";
import type { CaseStatus } from "../report/render/junit.ts";

export interface CiFlags {
  junit?: string;
  shard?: Shard;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `--junit <out.xml>`; `unit` names what one test case is. */
export function junitOption(unit: string): Option {
  return new Option("--junit <out.xml>", `also write a JUnit XML report, one test case per ${unit}`);
}

/** `--shard <i/N>`, for the commands that take many inputs. */
export function shardOption(): Option {
  return new Option("--shard <i/N>", "check only shard i of N (1 <= i <= N) of the inputs, split by path: the same split on every machine").argParser(parseShard);
}

/** A checker's verdict as a test case's status ("unknown": a history check out of budget). */
export function caseStatus(v: "ok" | "violation" | "incomplete" | "unknown" | "error"): CaseStatus {
  return v === "unknown" ? "incomplete" : v;
}

export function parseShard(v: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || count > 100_000 || index < 1 || index > count) {
    throw new InvalidArgumentError(`--shard expects i/N with 1 <= i <= N (e.g. 2/4), got "${v}"`);
  }
  return { index, count };
}

/** The key a file is sorted by: its path relative to the working directory, with `/`. */
export function shardKey(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, file));
  return (rel === "" ? "." : rel).split(sep).join("/");
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The inputs shard `shard` checks, in the order given; all of them without a shard. */
export function selectShard<T extends string>(files: readonly T[], shard: Shard | undefined, cwd = process.cwd()): T[] {
  if (!shard || shard.count === 1) return [...files];
  const keys = [...new Set(files.map((f) => shardKey(f, cwd)))].sort(byCodeUnit);
  const mine = new Set(keys.filter((_, i) => i % shard.count === shard.index - 1));
  return files.filter((f) => mine.has(shardKey(f, cwd)));
}

/** The line number in a message such as `file:line 3: ...` or `file:12:5: ...`. */
export function lineIn(message: string | undefined): number | undefined {
  const m = message ? (/:line (\d+)\b/.exec(message) ?? /:(\d+)(?::\d+)?: /.exec(message)) : null;
  return m ? Number(m[1]) : undefined;
}

/** Said on stderr when a shard has nothing to check (more shards than inputs). */
export function emptyShardNote(shard: Shard | undefined, total: number): string | undefined {
  return shard ? `dscheck: shard ${shard.index}/${shard.count} has no inputs (${total} in all): nothing to check\n` : undefined;
}
