/**
 * Option values, validated where commander parses them: a bad value is one line naming the
 * option, and commander turns it into a usage error (exit 2), never a stack trace.
 */
import { InvalidArgumentError } from "commander";

/** Commander's accumulator for a repeatable option (`-p a=1 -p b=2`). */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** An integer in [min, max]. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const x = /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(x) || x < min || x > max) {
      throw new InvalidArgumentError(`${name} expects an integer${max === Number.MAX_SAFE_INTEGER ? ` of at least ${min}` : ` from ${min} to ${max}`}, got "${v}"`);
    }
    return x;
  };
}

/** A finite number greater than 0. */
export function positiveNumberOption(name: string) {
  return (v: string): number => {
    const x = /^\s*[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`${name} expects a positive number, got "${v}"`);
    return x;
  };
}
