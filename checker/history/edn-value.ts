/**
 * Values read from histories, kept exact: EDN keywords, symbols and characters are interned
 * atoms (so `===` and Map keys work and `:kw` never equals the string "kw"), sets are EdnSet
 * (never equal to a vector), maps are EdnMap (keys of any type, `__proto__` included, are
 * data), tagged literals keep their tag, and integers beyond 2^53 are bigints. Lists and
 * vectors are both arrays, as in Clojure, where `(= '(1 2) [1 2])`.
 *
 * `canonicalText` is an injective text encoding (equal values, and only equal values, give
 * equal text) used for hashing and ordering; `showEdn` prints a value the way Jepsen does.
 * Both walk values iteratively, so a deeply nested value cannot overflow the stack.
 */

export type AtomKind = "keyword" | "symbol" | "char";

/** An interned EDN keyword, symbol or character: one object per (kind, name). */
export class EdnAtom {
  private static readonly table = new Map<string, EdnAtom>();
  private constructor(
    readonly kind: AtomKind,
    readonly name: string,
  ) {
    Object.freeze(this);
  }
  static of(kind: AtomKind, name: string): EdnAtom {
    const k = `${kind[0]}${name}`;
    let a = EdnAtom.table.get(k);
    if (!a) EdnAtom.table.set(k, (a = new EdnAtom(kind, name)));
    return a;
  }
  static keyword(name: string): EdnAtom {
    return EdnAtom.of("keyword", name);
  }
  toString(): string {
    return this.kind === "keyword" ? `:${this.name}` : this.kind === "char" ? `\\${this.name}` : this.name;
  }
}

/** An EDN set: distinct elements in canonical order. */
export class EdnSet {
  readonly items: readonly unknown[];
  constructor(items: readonly unknown[]) {
    const byText = new Map<string, unknown>();
    for (const x of items) byText.set(canonicalText(x), x);
    this.items = [...byText.keys()].sort().map((k) => byText.get(k));
    Object.freeze(this);
  }
}

/** An EDN map: entries keyed by the canonical text of their key, so any value can be a key. */
export class EdnMap {
  private readonly byText: ReadonlyMap<string, readonly [unknown, unknown]>;
  constructor(entries: readonly (readonly [unknown, unknown])[]) {
    const m = new Map<string, readonly [unknown, unknown]>();
    for (const e of entries) m.set(canonicalText(e[0]), e);
    this.byText = m;
    Object.freeze(this);
  }
  get size(): number {
    return this.byText.size;
  }
  /** Entries in canonical key order. */
  entries(): (readonly [unknown, unknown])[] {
    return [...this.byText.keys()].sort().map((k) => this.byText.get(k)!);
  }
  get(key: unknown): unknown {
    return this.byText.get(canonicalText(key))?.[1];
  }
  has(key: unknown): boolean {
    return this.byText.has(canonicalText(key));
  }
  /** The value under the keyword `:name`, or undefined. */
  kw(name: string): unknown {
    return this.get(EdnAtom.keyword(name));
  }
}

/** A tagged literal `#tag value` other than the built-in `#{}` sets. */
export class EdnTagged {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {
    Object.freeze(this);
  }
}

/** The name of a keyword or a string (the two ways Jepsen EDN and JSON spell identifiers). */
export function nameOf(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof EdnAtom && v.kind === "keyword") return v.name;
  return undefined;
}

/** A number, or a bigint when the integer is beyond 2^53 (never rounded). */
export function exactInteger(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

type Frame = { readonly parts: string[]; readonly items: readonly unknown[]; i: number; readonly open: string; readonly close: string; readonly sep: string };

/**
 * Walks `value` without recursion, calling `leaf` for scalars and building containers as
 * open + children joined by sep + close. `children` returns a container's parts or undefined.
 */
function render(value: unknown, leaf: (v: unknown) => string, container: (v: unknown) => { open: string; close: string; sep: string; items: readonly unknown[] } | undefined): string {
  const root: string[] = [];
  const stack: Frame[] = [];
  const emit = (v: unknown, into: string[]) => {
    const c = container(v);
    if (!c) into.push(leaf(v));
    else stack.push({ parts: [], items: c.items, i: 0, open: c.open, close: c.close, sep: c.sep });
  };
  emit(value, root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i < top.items.length) {
      emit(top.items[top.i++], top.parts);
      continue;
    }
    stack.pop();
    const text = top.open + top.parts.join(top.sep) + top.close;
    (stack.length > 0 ? stack[stack.length - 1].parts : root).push(text);
  }
  return root[0];
}

/** Pairs [k, v] are rendered as k followed by v; a marker class keeps them apart from vectors. */
class Pair {
  constructor(
    readonly k: unknown,
    readonly v: unknown,
    readonly sep: string,
  ) {}
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof EdnAtom) && !(v instanceof EdnSet) && !(v instanceof EdnMap) && !(v instanceof EdnTagged) && !(v instanceof Map) && !(v instanceof Pair);
}

/**
 * Injective text of a value: JSON for JSON values (object keys sorted), and distinct
 * spellings for what JSON has not: `123N` (bigint), `:"kw"` (keyword), `'"sym"`, `\"c"`,
 * `#{...}` (set), `m{k:v,...}` (EDN map), `#"tag" v`, `M{...}` (JS Map), `undefined`.
 */
export function canonicalText(value: unknown): string {
  return render(
    value,
    (v) => {
      if (v instanceof Raw) return v.text;
      if (v === undefined) return "undefined";
      if (typeof v === "bigint") return `${v}N`;
      if (v instanceof EdnAtom) return `${v.kind === "keyword" ? ":" : v.kind === "symbol" ? "'" : "\\"}${JSON.stringify(v.name)}`;
      if (typeof v === "number") return Number.isFinite(v) ? JSON.stringify(v) : String(v);
      return JSON.stringify(v) ?? String(v);
    },
    (v) => {
      if (v === null || typeof v !== "object" || v instanceof Raw) return undefined;
      if (v instanceof Pair) return { open: "", close: "", sep: v.sep, items: [v.k, v.v] };
      if (Array.isArray(v)) return { open: "[", close: "]", sep: ",", items: v };
      if (v instanceof EdnSet) return { open: "#{", close: "}", sep: ",", items: v.items };
      if (v instanceof EdnMap) return { open: "m{", close: "}", sep: ",", items: v.entries().map(([k, x]) => new Pair(k, x, ":")) };
      if (v instanceof EdnTagged) return { open: `#${JSON.stringify(v.tag)} `, close: "", sep: "", items: [v.value] };
      if (v instanceof EdnAtom) return undefined;
      if (v instanceof Map) {
        const items = [...v.entries()].map(([k, x]) => [canonicalText(k), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        return { open: "M{", close: "}", sep: ",", items: items.map(([k, x]) => new Pair(new Raw(k), x, ":")) };
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      return { open: "{", close: "}", sep: ",", items: keys.map((k) => new Pair(new Raw(JSON.stringify(k)), o[k], ":")) };
    },
  );
}

/** Text already rendered. */
class Raw {
  constructor(readonly text: string) {}
}
const rawLeaf = (v: unknown, leaf: (v: unknown) => string) => (v instanceof Raw ? v.text : leaf(v));

/** A value as Jepsen prints it: nil, 3, "a", :kw, [1 2], #{1 2}, {:k 1}. */
export function showEdn(value: unknown): string {
  return render(
    value,
    (v) =>
      rawLeaf(v, (x) => {
        if (x === null || x === undefined) return "nil";
        if (typeof x === "bigint") return `${x}N`;
        if (x instanceof EdnAtom) return x.toString();
        return typeof x === "string" ? JSON.stringify(x) : String(x);
      }),
    (v) => {
      if (v === null || typeof v !== "object" || v instanceof EdnAtom || v instanceof Raw) return undefined;
      if (v instanceof Pair) return { open: "", close: "", sep: " ", items: [v.k, v.v] };
      if (Array.isArray(v)) return { open: "[", close: "]", sep: " ", items: v };
      if (v instanceof EdnSet) return { open: "#{", close: "}", sep: " ", items: v.items };
      if (v instanceof EdnMap) return { open: "{", close: "}", sep: ", ", items: v.entries().map(([k, x]) => new Pair(k, x, " ")) };
      if (v instanceof EdnTagged) return { open: `#${v.tag} `, close: "", sep: "", items: [v.value] };
      if (v instanceof Map) return { open: "{", close: "}", sep: ", ", items: [...v.entries()].map(([k, x]) => new Pair(k, x, " ")) };
      const o = v as Record<string, unknown>;
      return { open: "{", close: "}", sep: ", ", items: Object.keys(o).map((k) => new Pair(k, o[k], " ")) };
    },
  );
}

/** Structural equality by canonical text (exact: types, bigints, atoms, sets, maps). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || (typeof a !== "object" && typeof b !== "object")) {
    // Distinct primitives (or a primitive against null) are never equal; bigints are canonical.
    return false;
  }
  return canonicalText(a) === canonicalText(b);
}

/** How deeply `value` nests (1 for a scalar), counted without recursion; stops at `limit` + 1. */
export function nestingDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (v === null || typeof v !== "object" || v instanceof EdnAtom) continue;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (v instanceof EdnSet) for (const x of v.items) stack.push([x, d + 1]);
    else if (v instanceof EdnMap) for (const [k, x] of v.entries()) stack.push([k, d + 1], [x, d + 1]);
    else if (v instanceof EdnTagged) stack.push([v.value, d + 1]);
    else if (v instanceof Map) for (const [k, x] of v) stack.push([k, d + 1], [x, d + 1]);
    else for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], d + 1]);
  }
  return max;
}

/** Values nested deeper than this are rejected by the readers (Jepsen values are shallow). */
export const MAX_VALUE_DEPTH = 1000;
