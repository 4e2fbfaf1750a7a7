/**
 * TypeScript types to JSON Schema (draft-07, as ajv's default and traces/schemas/ use),
 * for values as a trace writes them: JSON read through the ITF decoding of
 * checker/trace/line.ts. So a `ValueSet<E>` is `{"#set": [E, ...]}` and a `ValueMap<K, V>`
 * is `{"#map": [[K, V], ...]}` (plain JSON has no sets or maps; a plain list is a list), a
 * tuple may also be `{"#tup": [...]}`, a number may be `{"#bigint": "..."}` and a plain JSON
 * number must be within 2^53 (the reader refuses a larger integer). Records are objects with
 * exactly their properties (an extra field can never equal a state's value); an index
 * signature allows any key; `unknown`, `any` and what JSON cannot hold are `{}` (anything).
 * Named object types go to `definitions`, which also makes recursive types finite.
 */
import { ts } from "ts-morph";

export type Schema = Record<string, unknown> | boolean;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const BIGINT_REF = "#/definitions/bigint";
export const BIGINT_DEF = {
  description: "ITF's big integer: a string of digits (it must still fit in 2^53 to be a state value)",
  type: "object", required: ["#bigint"], additionalProperties: false,
  properties: { "#bigint": { type: "string", pattern: "^-?[0-9]{1,16}$" } },
};

/** Whether a declaration belongs to the dscheck library (not to the spec). */
export type LibraryTest = (decl: ts.Declaration) => boolean;

export class ValueSchemas {
  /** Named object types, by definition name. */
  readonly definitions: Record<string, Schema> = { bigint: BIGINT_DEF };
  private readonly named = new Map<ts.Type, string>();
  /** The types whose schema is being built (to see recursion). */
  private readonly building = new Set<ts.Type>();

  constructor(
    readonly checker: ts.TypeChecker,
    private readonly isLibrary: LibraryTest,
  ) {}

  /** `ValueSet` / `ValueMap` of the library, with their type arguments. */
  collection(t: ts.Type): { kind: "set"; element: ts.Type } | { kind: "map"; key: ts.Type; value: ts.Type } | undefined {
    const sym = t.getSymbol();
    const decl = sym?.declarations?.[0];
    if (!sym || !decl || !this.isLibrary(decl) || !(t.flags & ts.TypeFlags.Object)) return undefined;
    const args = this.checker.getTypeArguments(t as ts.TypeReference);
    if (sym.name === "ValueSet" && args.length === 1) return { kind: "set", element: args[0] };
    if (sym.name === "ValueMap" && args.length === 2) return { kind: "map", key: args[0], value: args[1] };
    return undefined;
  }

  isArray(t: ts.Type): boolean {
    return this.checker.isArrayType(t);
  }

  isTuple(t: ts.Type): boolean {
    return this.checker.isTupleType(t);
  }

  /** The members of a union, `undefined` left out (it is never in JSON), or the type itself. */
  members(t: ts.Type): ts.Type[] {
    const all = t.isUnion() ? t.types : [t];
    return all.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
  }

  /**
   * The schema of a value of type `t`. A type met again while its schema is being built (a
   * recursive alias through a union, tuple or array) becomes a definition, referred to.
   */
  value(t: ts.Type): Schema {
    const known = this.named.get(t);
    if (known) return { $ref: `#/definitions/${known}` };
    if (this.building.has(t)) {
      const name = this.uniqueName(definitionName(t) ?? "Recursive");
      this.named.set(t, name);
      this.definitions[name] = true; // taken while it is being built
      return { $ref: `#/definitions/${name}` };
    }
    this.building.add(t);
    try {
      const schema = this.valueBody(t);
      const name = this.named.get(t);
      if (name === undefined || (typeof schema === "object" && schema.$ref === `#/definitions/${name}`)) return schema;
      this.definitions[name] = schema;
      return { $ref: `#/definitions/${name}` };
    } finally {
      this.building.delete(t);
    }
  }

  private valueBody(t: ts.Type): Schema {
    const f = t.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (t.isUnion()) {
      const members = this.members(t);
      const bools = members.filter((m) => m.flags & ts.TypeFlags.BooleanLiteral);
      const literals = members.filter((m) => m.isStringLiteral() || m.isNumberLiteral() || m.flags & ts.TypeFlags.Null || m.flags & ts.TypeFlags.BooleanLiteral);
      if (literals.length === members.length) {
        if (bools.length === 2 && members.length === 2) return { type: "boolean" };
        return { enum: literals.map((m) => literalValue(m, this.checker)) };
      }
      // `boolean` is the union true | false: keep it one schema.
      const rest = members.filter((m) => !(bools.length === 2 && m.flags & ts.TypeFlags.BooleanLiteral));
      const parts = [...(bools.length === 2 ? [{ type: "boolean" }] : []), ...rest.map((m) => this.value(m))];
      return parts.length === 1 ? parts[0] : { anyOf: parts };
    }
    if (t.isStringLiteral() || t.isNumberLiteral() || f & ts.TypeFlags.BooleanLiteral) return { const: literalValue(t, this.checker) };
    if (f & ts.TypeFlags.NumberLike) return { anyOf: [{ type: "number", minimum: -MAX_SAFE, maximum: MAX_SAFE }, { $ref: BIGINT_REF }] };
    if (f & ts.TypeFlags.StringLike) return { type: "string" };
    if (f & ts.TypeFlags.BooleanLike) return { type: "boolean" };
    if (f & ts.TypeFlags.Null) return { type: "null" };
    if (!(f & ts.TypeFlags.Object) && !t.isIntersection()) return {};
    const c = this.collection(t);
    if (c?.kind === "set") return tag("#set", { type: "array", items: this.value(c.element) });
    if (c?.kind === "map") return tag("#map", { type: "array", items: { type: "array", items: [this.value(c.key), this.value(c.value)], minItems: 2, maxItems: 2 } });
    if (this.isTuple(t)) {
      const list = { type: "array", items: this.checker.getTypeArguments(t as ts.TypeReference).map((e) => this.value(e)), ...tupleLength(t as ts.TypeReference) };
      return { anyOf: [list, tag("#tup", list)] };
    }
    if (this.isArray(t)) {
      const list = { type: "array", items: this.value(t.getNumberIndexType()!) };
      return { anyOf: [list, tag("#tup", list)] };
    }
    if (t.getCallSignatures().length) return {};
    // JavaScript's own classes (Map, Set, Date, ...): no trace line holds one; their methods are no record.
    const decl = t.getSymbol()?.declarations?.[0];
    if (decl && t.getSymbol()!.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class) && this.isLibrary(decl)) return {};
    return this.record(t);
  }

  /** A record type: its properties (named types become definitions, so recursion ends). */
  private record(t: ts.Type): Schema {
    const name = definitionName(t);
    if (name) {
      const known = this.named.get(t);
      if (known) return { $ref: `#/definitions/${known}` };
      const unique = this.uniqueName(name);
      this.named.set(t, unique);
      this.definitions[unique] = true; // taken while it is being built
      this.definitions[unique] = this.recordBody(t);
      return { $ref: `#/definitions/${unique}` };
    }
    return this.recordBody(t);
  }

  private uniqueName(name: string): string {
    let unique = name;
    for (let i = 2; unique in this.definitions; i++) unique = `${name}${i}`;
    return unique;
  }

  private recordBody(t: ts.Type): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const p of this.checker.getPropertiesOfType(t)) {
      const pt = this.checker.getTypeOfSymbol(p);
      if (pt.getCallSignatures().length && !(pt.flags & ts.TypeFlags.Object && this.checker.getPropertiesOfType(pt).length)) continue; // methods are not data
      properties[p.name] = this.value(pt);
      if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.name);
    }
    const index = t.getStringIndexType();
    return {
      type: "object", properties, ...(required.length ? { required } : {}),
      additionalProperties: index ? this.value(index) : false,
    };
  }
}

function tag(name: string, inner: Schema): Schema {
  return { type: "object", required: [name], additionalProperties: false, properties: { [name]: inner } };
}

function tupleLength(t: ts.TypeReference): { minItems: number; maxItems?: number } {
  const target = t.target as ts.TupleType;
  return { minItems: target.minLength, ...(target.hasRestElement ? {} : { maxItems: target.fixedLength }) };
}

function literalValue(t: ts.Type, checker: ts.TypeChecker): unknown {
  if (t.isStringLiteral() || t.isNumberLiteral()) return t.value;
  if (t.flags & ts.TypeFlags.Null) return null;
  return checker.typeToString(t) === "true";
}

/** The name of an interface or type alias (not of an anonymous object type). */
function definitionName(t: ts.Type): string | undefined {
  const alias = t.aliasSymbol?.name;
  if (alias && /^[A-Za-z_$][\w$]*$/.test(alias) && !["Readonly", "Record", "Partial", "Pick", "Omit"].includes(alias)) return alias;
  const sym = t.getSymbol();
  if (sym && sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class) && !/^__/.test(sym.name)) return sym.name;
  return undefined;
}
