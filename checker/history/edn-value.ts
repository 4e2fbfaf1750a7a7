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
  private static readonly tables: Record<AtomKind, Map<string, EdnAtom>> = { keyword: new Map(), symbol: new Map(), char: new Map() };
  /** Its canonicalText, computed once (atoms are map keys in every op record). */
  readonly text: string;
  private constructor(
    readonly kind: AtomKind,
    readonly name: string,
  ) {
    this.text = `${kind === "keyword" ? ":" : kind === "symbol" ? "'" : "\\"}${JSON.stringify(name)}`;
    Object.freeze(this);
  }
  static of(kind: AtomKind, name: string): EdnAtom {
    const table = EdnAtom.tables[kind];
    let a = table.get(name);
    if (!a) table.set(name, (a = new EdnAtom(kind, name)));
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

/**
 * An EDN map: entries keyed by the canonical text of their key, so any value can be a key.
 * A later entry with an equal key replaces the earlier one. Small maps (every op record)
 * are searched linearly, which costs far less than building a Map per record.
 */
export class EdnMap {
  /** Canonical texts of the keys; undefined when every key is an atom (atoms are interned: identity is equality). */
  private readonly keyTexts: readonly string[] | undefined;
  private readonly keys: readonly unknown[];
  private readonly values: readonly unknown[];
  private readonly index: ReadonlyMap<string, number> | undefined;
  /**
   * The map of keys[i] to values[i]. The arrays are kept, not copied (the reader hands over
   * two fresh ones per record): do not change them afterwards.
   */
  constructor(keys: readonly unknown[], values: readonly unknown[]) {
    const n = keys.length;
    let atoms = n <= 16;
    for (let i = 0; i < n && atoms; i++) atoms = keys[i] instanceof EdnAtom && keys.indexOf(keys[i]) === i;
    if (atoms) {
      this.keyTexts = undefined;
      this.keys = keys;
      this.values = values;
      this.index = undefined;
    } else {
      // The later of two equal keys replaces the earlier one, in its place.
      const byText = new Map<string, number>();
      const ks: unknown[] = [];
      const vs: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const text = canonicalText(keys[i]);
        const at = byText.get(text);
        if (at !== undefined) {
          ks[at] = keys[i];
          vs[at] = values[i];
        } else {
          byText.set(text, ks.length);
          ks.push(keys[i]);
          vs.push(values[i]);
        }
      }
      this.keyTexts = [...byText.keys()];
      this.keys = ks;
      this.values = vs;
      this.index = byText;
    }
    Object.freeze(this);
  }
  /** The map of `[key, value]` pairs. */
  static of(entries: readonly (readonly [unknown, unknown])[]): EdnMap {
    return new EdnMap(
      entries.map((e) => e[0]),
      entries.map((e) => e[1]),
    );
  }
  get size(): number {
    return this.keys.length;
  }
  /** Entries in canonical key order. */
  entries(): (readonly [unknown, unknown])[] {
    const texts = this.keyTexts ?? this.keys.map(canonicalText);
    return texts
      .map((text, i) => [text, i] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, i]) => [this.keys[i], this.values[i]] as const);
  }
  /** The i-th key and value in the order they were read (0 <= i < size), for walks where order does not matter. */
  keyAt(i: number): unknown {
    return this.keys[i];
  }
  valueAt(i: number): unknown {
    return this.values[i];
  }
  private find(key: unknown): number {
    if (this.index === undefined) return key instanceof EdnAtom ? this.keys.indexOf(key) : -1;
    return this.index.get(canonicalText(key)) ?? -1;
  }
  get(key: unknown): unknown {
    const at = this.find(key);
    return at < 0 ? undefined : this.values[at];
  }
  has(key: unknown): boolean {
    return this.find(key) >= 0;
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
  // Scalars and atoms, most of what is hashed and compared, without the walk.
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : String(value);
    case "bigint":
      return `${value}N`;
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "undefined";
  }
  if (value === null) return "null";
  if (value instanceof EdnAtom) return value.text;
  return render(
    value,
    (v) => {
      if (v instanceof Raw) return v.text;
      if (v === undefined) return "undefined";
      if (typeof v === "bigint") return `${v}N`;
      if (v instanceof EdnAtom) return v.text;
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

/** A scalar as showEdn prints it, or undefined for a collection (the common values of every op, without the walk). */
function shownScalar(x: unknown): string | undefined {
  if (x === null || x === undefined) return "nil";
  switch (typeof x) {
    case "number":
    case "boolean":
      return String(x);
    case "string":
      return JSON.stringify(x);
    case "bigint":
      return `${x}N`;
  }
  return x instanceof EdnAtom ? x.toString() : undefined;
}

/** A value as Jepsen prints it: nil, 3, "a", :kw, [1 2], #{1 2}, {:k 1}. */
export function showEdn(value: unknown): string {
  const scalar = shownScalar(value);
  if (scalar !== undefined) return scalar;
  if (Array.isArray(value) && value.length <= 8) {
    // A short vector of scalars ([1 2], a cas): as the walk below prints it.
    let text = "[";
    for (let k = 0; k < value.length; k++) {
      const item = shownScalar(value[k]);
      if (item === undefined) break;
      text += k === 0 ? item : ` ${item}`;
      if (k === value.length - 1) return text + "]";
    }
    if (value.length === 0) return "[]";
  }
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
