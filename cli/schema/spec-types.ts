/**
 * The types a trace schema is made of, read from a spec's source with the type checker:
 * the state type `S` (from `init`'s return type), each action's argument tuple (from the
 * second parameter of its `update`/`next`/guards, or the element of what `args` returns),
 * and each trace-mapping variable's view type (what its function returns). Found by
 * following the spec's default export to its object literal; a part written in a way the
 * source does not show (an action list built by a call, a computed mapping) has no type
 * here, and the schema then accepts any value for it.
 */
import { ts } from "ts-morph";

export interface SpecTypes {
  readonly state: ts.Type;
  /** Argument tuple types by action name. */
  readonly actionArgs: ReadonlyMap<string, ts.Type>;
  /** Return types of the trace mapping's views, by variable name. */
  readonly views: ReadonlyMap<string, ts.Type>;
  /** A node of the spec file, for type queries. */
  readonly at: ts.Node;
}

export class SpecTypeError extends Error {}

export function specTypes(sf: ts.SourceFile, checker: ts.TypeChecker): SpecTypes {
  const mod = checker.getSymbolAtLocation(sf);
  const exports = mod ? checker.getExportsOfModule(mod) : [];
  const exported = exports.find((s) => s.name === "default") ?? exports.find((s) => s.name === "spec");
  if (!exported) throw new SpecTypeError(`${sf.fileName} has no default export (or \`spec\`) to read the spec's types from`);
  const sym = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const decl = exported.declarations?.[0];
  const expr = decl && ts.isExportAssignment(decl) ? decl.expression : sym.valueDeclaration && ts.isVariableDeclaration(sym.valueDeclaration) ? sym.valueDeclaration.initializer : undefined;
  if (!expr) throw new SpecTypeError(`${sf.fileName}: cannot find the spec's definition`);
  // S as defineSpec inferred it (Spec<S, D>'s first type argument), else what init returns.
  const specType = checker.getTypeAtLocation(expr);
  const typeArgs = specType.flags & ts.TypeFlags.Object && (specType as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference ? checker.getTypeArguments(specType as ts.TypeReference) : [];
  const init = specType.getProperty("init");
  const initType = init && checker.getTypeOfSymbolAtLocation(init, expr);
  const literal = objectLiteralOf(expr, checker);
  // The state type as written: the annotation of an action's state parameter (`(s: State) =>`);
  // else S as defineSpec inferred it, else what init returns. (An inferred S can be the
  // widened type of init's literal, with `any` for an empty list's elements.)
  const state = declaredStateType(literal, checker) ?? typeArgs[0] ?? initType?.getCallSignatures()[0]?.getReturnType().getNumberIndexType();
  if (!state) throw new SpecTypeError(`${sf.fileName}: the spec's init does not return a list of states whose type can be read`);
  return { state, actionArgs: actionArgs(literal, checker), views: views(literal, checker), at: expr };
}

/** Follows identifiers, `defineSpec(...)`, `as`, `satisfies` and parentheses to an object literal. */
function objectLiteralOf(e: ts.Expression | undefined, checker: ts.TypeChecker, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!e || depth > 10) return undefined;
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) return objectLiteralOf(e.expression, checker, depth + 1);
  if (ts.isCallExpression(e) && e.arguments.length === 1) return objectLiteralOf(e.arguments[0], checker, depth + 1);
  if (ts.isIdentifier(e)) {
    let s = checker.getSymbolAtLocation(e);
    if (s && s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
    const d = s?.valueDeclaration;
    if (d && ts.isVariableDeclaration(d)) return objectLiteralOf(d.initializer, checker, depth + 1);
  }
  return undefined;
}

function property(o: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | ts.MethodDeclaration | undefined {
  for (const p of o?.properties ?? []) {
    if (!p.name || (!ts.isIdentifier(p.name) && !ts.isStringLiteral(p.name)) || p.name.text !== name) continue;
    if (ts.isPropertyAssignment(p)) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
    if (ts.isMethodDeclaration(p)) return p;
  }
  return undefined;
}

/** The action object literals of the spec's `actions` list (following an identifier to its array literal). */
function actionLiterals(spec: ts.ObjectLiteralExpression | undefined, checker: ts.TypeChecker): ts.ObjectLiteralExpression[] {
  let list = property(spec, "actions");
  for (let i = 0; list && ts.isIdentifier(list) && i < 10; i++) {
    let s = checker.getSymbolAtLocation(list);
    if (s && s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
    list = s?.valueDeclaration && ts.isVariableDeclaration(s.valueDeclaration) ? s.valueDeclaration.initializer : undefined;
  }
  if (!list || !ts.isArrayLiteralExpression(list)) return [];
  return list.elements.flatMap((el) => objectLiteralOf(el as ts.Expression, checker) ?? []);
}

function actionArgs(spec: ts.ObjectLiteralExpression | undefined, checker: ts.TypeChecker): Map<string, ts.Type> {
  const out = new Map<string, ts.Type>();
  for (const a of actionLiterals(spec, checker)) {
    const name = property(a, "name");
    if (!name || !ts.isStringLiteralLike(name)) continue;
    const t = argsType(a, checker);
    if (t) out.set(name.text, t);
  }
  return out;
}

function declaredStateType(spec: ts.ObjectLiteralExpression | undefined, checker: ts.TypeChecker): ts.Type | undefined {
  for (const a of actionLiterals(spec, checker)) {
    for (const f of [property(a, "update"), property(a, "next"), ...guardFunctions(property(a, "guards"))]) {
      if (f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f) || ts.isMethodDeclaration(f)) && f.parameters[0]?.type) return checker.getTypeFromTypeNode(f.parameters[0].type);
    }
  }
  return undefined;
}

/**
 * An action's argument tuple: the annotated second parameter of update/next (or a guard),
 * else the element type of what `args` or `argsFrom` returns, else the second parameter's
 * type as inferred (the action list erases it to `any` unless written).
 */
function argsType(a: ts.ObjectLiteralExpression, checker: ts.TypeChecker): ts.Type | undefined {
  const fns = [property(a, "update"), property(a, "next"), ...guardFunctions(property(a, "guards"))].filter(
    (f): f is ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration => !!f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f) || ts.isMethodDeclaration(f)),
  );
  const candidates: (ts.Type | undefined)[] = fns.map((f) => (f.parameters[1]?.type ? checker.getTypeFromTypeNode(f.parameters[1].type) : undefined));
  for (const name of ["args", "argsFrom"]) {
    const f = property(a, name);
    if (f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f))) candidates.push(checker.getTypeAtLocation(f).getCallSignatures()[0]?.getReturnType().getNumberIndexType());
  }
  candidates.push(...fns.map((f) => (f.parameters[1] ? checker.getTypeAtLocation(f.parameters[1]) : undefined)));
  return candidates.find((t) => t !== undefined && checker.isTupleType(t));
}

function guardFunctions(g: ts.Expression | ts.MethodDeclaration | undefined): (ts.Expression | ts.MethodDeclaration)[] {
  if (!g || !ts.isObjectLiteralExpression(g)) return [];
  return g.properties.flatMap((p): (ts.Expression | ts.MethodDeclaration)[] => (ts.isPropertyAssignment(p) ? [p.initializer] : ts.isMethodDeclaration(p) ? [p] : []));
}

function views(spec: ts.ObjectLiteralExpression | undefined, checker: ts.TypeChecker): Map<string, ts.Type> {
  const out = new Map<string, ts.Type>();
  const trace = objectLiteralOf(property(spec, "trace") as ts.Expression | undefined, checker);
  const vars = objectLiteralOf(property(trace, "variables") as ts.Expression | undefined, checker);
  for (const p of vars?.properties ?? []) {
    if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    const node = ts.isPropertyAssignment(p) ? p.initializer : ts.isMethodDeclaration(p) || ts.isShorthandPropertyAssignment(p) ? p : undefined;
    const ret = node && checker.getTypeAtLocation(ts.isShorthandPropertyAssignment(node) ? node.name : node).getCallSignatures()[0]?.getReturnType();
    if (ret) out.set(p.name.text, ret);
  }
  return out;
}
