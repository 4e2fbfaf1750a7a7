/**
 * Resolving a spec's parameters: declared defaults, overridden by name. Overrides arrive as
 * strings (from a command line) or as typed values (from code); both are validated against
 * the declaration, and every problem names the valid parameters.
 */
import type { ParamDecl, ParamDecls } from "../../spec/spec.ts";

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamError";
  }
}

interface Normalised {
  kind: "number" | "string" | "boolean";
  default: number | string | boolean;
  min?: number;
  max?: number;
  integer?: boolean;
  choices?: readonly string[];
  description?: string;
}

function normalise(decl: ParamDecl): Normalised {
  if (typeof decl !== "object") return { kind: typeof decl as Normalised["kind"], default: decl, integer: typeof decl === "number" && Number.isInteger(decl) };
  const kind = typeof decl.default as Normalised["kind"];
  return { ...decl, kind, integer: "integer" in decl ? decl.integer : kind === "number" && Number.isInteger(decl.default) };
}

/** One line per parameter: `name: type = default (constraints)`. */
export function describeParams(decls: ParamDecls): string[] {
  return Object.entries(decls).map(([name, d]) => {
    const n = normalise(d);
    const type = n.choices ? n.choices.map((c) => JSON.stringify(c)).join(" | ") : n.integer ? "integer" : n.kind;
    const range = n.min !== undefined || n.max !== undefined ? ` in [${n.min ?? "-inf"}, ${n.max ?? "inf"}]` : "";
    return `${name}: ${type}${range} = ${JSON.stringify(n.default)}${n.description ? `  (${n.description})` : ""}`;
  });
}

function validList(decls: ParamDecls): string {
  const names = Object.keys(decls);
  return names.length ? `valid params: ${describeParams(decls).join("; ")}` : "this spec has no params";
}

/** Defaults merged with overrides; throws ParamError on an unknown name or a bad value. */
export function resolveParams(decls: ParamDecls, overrides: Record<string, unknown> = {}): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [name, d] of Object.entries(decls)) out[name] = normalise(d).default;
  if (overrides === null || typeof overrides !== "object") throw new ParamError("params must be a record of name: value");
  for (const [name, raw] of Object.entries(overrides)) {
    if (!Object.prototype.hasOwnProperty.call(decls, name)) throw new ParamError(`unknown param "${name}"; ${validList(decls)}`);
    const n = normalise(decls[name]);
    out[name] = coerce(name, n, raw, decls);
  }
  return out;
}

function coerce(name: string, n: Normalised, raw: unknown, decls: ParamDecls): number | string | boolean {
  const bad = (why: string) => new ParamError(`param ${name}=${String(raw)}: ${why}; ${validList(decls)}`);
  if (n.kind === "number") {
    const v = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
    if (!Number.isFinite(v)) throw bad("expected a number");
    if (n.integer && !Number.isInteger(v)) throw bad("expected an integer");
    if (n.min !== undefined && v < n.min) throw bad(`must be at least ${n.min}`);
    if (n.max !== undefined && v > n.max) throw bad(`must be at most ${n.max}`);
    return v;
  }
  if (n.kind === "boolean") {
    if (typeof raw === "boolean") return raw;
    if (raw === "true") return true;
    if (raw === "false") return false;
    throw bad("expected true or false");
  }
  const v = String(raw);
  if (n.choices && !n.choices.includes(v)) throw bad(`expected one of ${n.choices.join(", ")}`);
  return v;
}

/** Parses CLI `k=v` pairs into an override record (values stay strings until resolved). */
export function parseParamAssignments(pairs: readonly string[]): Record<string, string> {
  // No prototype: `--param __proto__=1` must be an unknown name, not a prototype assignment.
  const out: Record<string, string> = Object.create(null);
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new ParamError(`--param expects name=value, got "${p}"`);
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return out;
}
