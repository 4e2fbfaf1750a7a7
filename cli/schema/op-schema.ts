/**
 * The schema of one update operation `{op, path, args}` on a logged variable of a given
 * type, following checker/trace/ops.ts: `path` leads into the variable (record fields, list
 * indices, map keys) and the operation must fit the value there (AddElement on a set,
 * AppendElement on a list, Add on a number, UpdateRec on a record, ...) with arguments of
 * the right types. Positions are enumerated to a depth of MAX_PATH steps; deeper paths are
 * accepted with any operation (ops.ts still checks them when the trace is validated).
 */
import { ts } from "ts-morph";
import { OPERATIONS } from "../../checker/trace/ops.ts";
import type { Schema, ValueSchemas } from "./value-schema.ts";

const MAX_PATH = 4;
const ANY_ARGS = { type: "array" };

interface Position {
  readonly steps: readonly Schema[];
  readonly type: ts.Type;
}

/** The schema of one entry of a logged variable's list of operations. */
export function opSchema(values: ValueSchemas, type: ts.Type, options: { mapArgs: boolean }): Schema {
  const alternatives: Schema[] = [];
  const { list, cut } = positions(values, type);
  for (const pos of list) {
    for (const [ops, args, minArgs] of opsAt(values, pos.type)) alternatives.push(alternative(ops, pos.steps, args, minArgs));
  }
  // Beyond the enumerated depth (only where there is more to enter): any operation we know.
  if (cut) alternatives.push({ type: "object", required: ["op", "path"], properties: { op: { enum: [...OPERATIONS] }, path: { type: "array", minItems: MAX_PATH + 1 }, args: ANY_ARGS } });
  // With the mapping's mapArgs, an op with a `map` has its args rewritten: they can be anything.
  if (options.mapArgs) alternatives.push({ type: "object", required: ["op", "map"], properties: { op: { enum: [...OPERATIONS] }, path: { type: "array" }, args: ANY_ARGS } });
  return { anyOf: alternatives };
}

function alternative(ops: readonly string[], steps: readonly Schema[], args: readonly Schema[] | undefined, minArgs: number): Schema {
  const required = ["op", ...(steps.length ? ["path"] : []), ...(minArgs ? ["args"] : [])];
  return {
    type: "object", required,
    properties: {
      op: ops.length === 1 ? { const: ops[0] } : { enum: ops },
      path: steps.length ? { type: "array", items: steps, minItems: steps.length, maxItems: steps.length } : { type: "array", maxItems: 0 },
      // Exactly the arguments the operation reads (the validator would ignore more; a logger writing more is confused).
      args: args ? { type: "array", items: args, minItems: minArgs, maxItems: args.length } : ANY_ARGS,
    },
    // An op with a `map` goes through the mapping's mapArgs (its own alternative, when there is one).
    not: { required: ["map"], properties: { map: {} } },
  };
}

/** Every place a path can lead to, the root first (depth-limited; a type already on the path is not entered again). */
function positions(values: ValueSchemas, root: ts.Type): { list: Position[]; cut: boolean } {
  const list: Position[] = [];
  let cut = false;
  const walk = (t: ts.Type, steps: Schema[], onPath: ts.Type[]) => {
    list.push({ steps, type: t });
    const next = children(values, t);
    if (steps.length >= MAX_PATH || onPath.includes(t)) {
      cut ||= next.length > 0;
      return;
    }
    for (const [step, child] of next) walk(child, [...steps, step], [...onPath, t]);
  };
  walk(root, [], []);
  return { list, cut };
}

/** The path steps into a value of type `t`, with the type each leads to. */
function children(values: ValueSchemas, t: ts.Type): [Schema, ts.Type][] {
  const checker = values.checker;
  const out: [Schema, ts.Type][] = [];
  for (const m of values.members(t)) {
    if (!(m.flags & ts.TypeFlags.Object)) continue;
    const c = values.collection(m);
    if (c?.kind === "map") out.push([values.value(c.key), c.value]);
    else if (c?.kind === "set") continue;
    else if (values.isTuple(m)) checker.getTypeArguments(m as ts.TypeReference).forEach((e, i) => out.push([{ const: i }, e]));
    else if (values.isArray(m)) out.push([{ type: "integer", minimum: 0 }, m.getNumberIndexType()!]);
    else if (!m.getCallSignatures().length) {
      for (const p of checker.getPropertiesOfType(m)) out.push([{ const: p.name }, checker.getTypeOfSymbol(p)]);
      const index = m.getStringIndexType();
      if (index) out.push([{ type: "string" }, index]);
    }
  }
  return out;
}

/** The operations that fit a value of type `t`: [names, argument schemas (undefined: any), how many arguments are required]. */
function opsAt(values: ValueSchemas, t: ts.Type): [string[], Schema[] | undefined, number][] {
  const out: [string[], Schema[] | undefined, number][] = [
    [["Init", "Unchanged"], undefined, 0],
    [["Update", "Replace"], [values.value(t)], 1],
  ];
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [[[...OPERATIONS], undefined, 0]];
  for (const m of values.members(t)) {
    if (m.flags & ts.TypeFlags.NumberLike) out.push([["Add", "AddInteger", "Sub", "SubInteger"], [values.value(values.checker.getNumberType())], 1]);
    if (!(m.flags & ts.TypeFlags.Object)) continue;
    const c = values.collection(m);
    if (c?.kind === "set") {
      const e = values.value(c.element);
      out.push([["AddElement", "RemoveElement"], [e], 1], [["AddElements"], [{ anyOf: [{ type: "array", items: e }, values.value(m)] }], 1], [["Clear"], undefined, 0]);
    } else if (c?.kind === "map") {
      const k = values.value(c.key);
      out.push([["ClearBag"], undefined, 0], [["SetKey"], [k, values.value(c.value)], 2], [["ResetKey", "RemoveKey"], [k], 1]);
      if (values.members(c.value).some((v) => v.flags & ts.TypeFlags.NumberLike)) out.push([["AddElementToBag", "AddToBag", "RemoveElementFromBag", "RemoveFromBag"], [k], 1]);
    } else if (values.isArray(m) || values.isTuple(m)) {
      const e = values.isArray(m) ? values.value(m.getNumberIndexType()!) : {};
      if (values.isArray(m)) out.push([["AppendElement"], [e], 1]);
      out.push([["SetKey"], [{ type: "integer", minimum: 0 }, e], 2], [["ResetKey", "RemoveKey"], [{ type: "integer", minimum: 0 }], 1]);
    } else if (!m.getCallSignatures().length) {
      // Records: a partial record merges into the existing fields (other keys are ignored).
      const props = values.checker.getPropertiesOfType(m);
      const index = m.getStringIndexType();
      const fields = Object.fromEntries(props.map((p) => [p.name, values.value(values.checker.getTypeOfSymbol(p))]));
      const partial = { type: "object", properties: fields, ...(index ? { additionalProperties: values.value(index) } : {}) };
      const key = index ? { type: "string" } : { enum: props.map((p) => p.name) };
      out.push([["UpdateRec", "InitWithValue"], [partial], 1], [["InitRec"], undefined, 0], [["SetKey"], [key, index ? values.value(index) : {}], 2], [["ResetKey", "RemoveKey"], [key], 1]);
    }
  }
  return out;
}
