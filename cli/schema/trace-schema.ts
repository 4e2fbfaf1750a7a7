/**
 * The JSON Schema (draft-07) of one trace line of a spec, in the two line formats
 * `dscheck trace validate` streams:
 *
 * - `ndjson`, the TLA+ trace-validation template's event log (checker/trace/line.ts): an
 *   optional `event` (the trace mapping's event names and the spec's action names; any
 *   string when the mapping picks events with `eventOf`), optional `event_args` (typed by
 *   the action's argument tuple when the event is an action the mapping does not list),
 *   optional `clock`, and per logged variable a list of update operations typed by the
 *   variable (op-schema.ts); another key holding what looks like a list of operations is an
 *   error, as in the reader (a misspelt variable), other keys are the mapping's business.
 * - `states`: one snapshot per line, each key a logged variable with its whole value.
 *
 * Names come from the spec as loaded (the validator's own variable names, the mapping's
 * events, the actions); types from its source, read with the type checker (spec-types.ts):
 * with a trace mapping, each variable is the type its view returns, without one it is the
 * state field's type.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ts } from "ts-morph";
import { TraceValidator, type ParamDecls, type Spec, type TraceMapping } from "../../checker/index.ts";
import { loadSpec, SpecLoadError } from "../load-spec.ts";
import { isLintedPath, loadSpecProject } from "../lint/project.ts";
import { SpecParseError } from "../lint/parse-error.ts";
import { opSchema } from "./op-schema.ts";
import { specTypes, SpecTypeError } from "./spec-types.ts";
import { ValueSchemas, type Schema } from "./value-schema.ts";

export class SchemaError extends Error {}

export type LineFormat = "ndjson" | "states";

/** Keys that hold what the reader takes for a list of update operations. */
const OPS_LIKE = { type: "array", minItems: 1, items: { type: "object", required: ["op"], properties: { op: {} } } };

export async function traceSchema(specFile: string, format: LineFormat): Promise<Record<string, unknown>> {
  const abs = resolve(specFile);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new SchemaError(`${specFile}: no such file`);
  let spec: Spec<unknown, ParamDecls>;
  try {
    spec = await loadSpec(specFile, { typecheck: false });
  } catch (e) {
    if (e instanceof SpecLoadError) throw new SchemaError(e.message);
    throw e;
  }
  const mapping = (spec.trace ?? {}) as TraceMapping<unknown, unknown, unknown>;
  const variableNames = [...new TraceValidator(spec).variableNames];

  let loaded;
  try {
    loaded = loadSpecProject([abs]);
  } catch (e) {
    if (e instanceof SpecParseError) throw new SchemaError(e.message);
    throw e;
  }
  const sf = loaded.filesOf.get(abs)![0];
  let types;
  try {
    types = specTypes(sf, loaded.checker);
  } catch (e) {
    if (e instanceof SpecTypeError) throw new SchemaError(e.message);
    throw e;
  }
  const checker = loaded.checker;
  const values = new ValueSchemas(checker, (d) => !isLintedPath(d.getSourceFile().fileName));
  const variableType = (name: string) => {
    if (mapping.variables) return types.views.get(name);
    const p = checker.getPropertyOfType(types.state, name);
    return p && checker.getTypeOfSymbolAtLocation(p, types.at);
  };
  const unknownType = checker.getUnknownType();

  const header = mapping.header ?? 0;
  const headerNote = header ? ` The first ${header} line(s) of a trace are header lines (configuration for the mapping's \`config\`): validate those against #/definitions/header.` : "";
  const base = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${spec.name} trace line (${format === "ndjson" ? "NDJSON event log" : "state snapshot"})`,
  };
  if (format === "states") {
    const properties: Record<string, Schema> = { "#meta": {} };
    for (const v of variableNames) properties[v] = values.value(variableType(v) ?? unknownType);
    return {
      ...base,
      description: `One line of a states trace of spec ${spec.name}: a snapshot of some or all of its logged variables (the first line is the initial state).${headerNote}`,
      type: "object", properties, additionalProperties: false,
      definitions: { ...values.definitions, header: { type: "object" } },
    };
  }

  const properties: Record<string, Schema> = {};
  const eventNames = [...new Set([...Object.keys(mapping.events ?? {}), ...spec.actions.map((a) => a.name)])];
  properties.event = mapping.eventOf ? { type: "string", description: "read by the mapping's eventOf" } : { enum: eventNames };
  properties.event_args = { type: "array" };
  properties.clock = {};
  for (const v of variableNames) properties[v] = { type: "array", items: opSchema(values, variableType(v) ?? unknownType, { mapArgs: mapping.mapArgs !== undefined }) };
  // An event the mapping does not list is its action, whose arguments the logged ones are (a prefix).
  const typedEvents: Schema[] = [];
  for (const a of spec.actions) {
    if (mapping.eventOf || (mapping.events && Object.hasOwn(mapping.events, a.name))) continue;
    const t = types.actionArgs.get(a.name);
    if (!t || !checker.isTupleType(t)) continue;
    const items = checker.getTypeArguments(t as ts.TypeReference).map((e) => values.value(e));
    // Any prefix of the arguments (the ones not logged match any instance).
    const prefixes = items.map((_, k) => ({ type: "array", items: items.slice(0, k + 1), minItems: k + 1, maxItems: k + 1 }));
    typedEvents.push({ if: { required: ["event"], properties: { event: { const: a.name } } }, then: { properties: { event_args: { anyOf: [{ type: "array", maxItems: 0 }, ...prefixes] } } } });
  }
  return {
    ...base,
    description: `One line of an NDJSON event log of spec ${spec.name}, as \`dscheck trace validate\` reads it.${headerNote}`,
    type: "object", properties,
    additionalProperties: { not: OPS_LIKE },
    ...(typedEvents.length ? { allOf: typedEvents } : {}),
    definitions: { ...values.definitions, header: { type: "object" } },
  };
}
