/**
 * Which functions of a spec are spec functions with a contract, and which of their
 * parameters are states. Read from the types, not the syntax: a function's role is the
 * library declaration it is contextually typed by (`update` of ActionDef, a guard, the
 * `check` of always/sometimes/atEnd, a trace view, ...), wherever the function is written
 * (inside `defineSpec({...})`, in an `action({...})`, in a separate `const trace:
 * TraceMapping<...> = {...}`), and a parameter is a state when the library names it `state`,
 * `before` or `after`. A function declaration passed by name (`always(typeOK)`) gets the
 * role of the place it is passed to.
 */
import { ts } from "ts-morph";
import { isLintedPath } from "./project.ts";

export interface Role {
  /** The library name of the position: "update", "guards", "check", "variables", ... */
  readonly name: string;
  /** Indices of the parameters that are states. */
  readonly stateParams: readonly number[];
}

/** Roles whose function must return a value on every path (falling off returns undefined). */
export const MUST_RETURN = new Set(["next", "update", "guards", "check", "init", "args", "argsFrom", "constraint", "view"]);
const STATE_PARAM_NAMES = new Set(["state", "before", "after"]);

export type FunctionNode = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;

export function isFunctionNode(n: ts.Node): n is FunctionNode {
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n);
}

/** The role of every spec function in `files`. */
export function findRoles(files: readonly ts.SourceFile[], checker: ts.TypeChecker): Map<FunctionNode, Role> {
  const roles = new Map<FunctionNode, Role>();
  const visit = (n: ts.Node): void => {
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n) || (ts.isMethodDeclaration(n) && ts.isObjectLiteralExpression(n.parent))) {
      const role = roleAt(n, checker);
      if (role) roles.set(n, role);
    } else if (ts.isIdentifier(n) && isValuePosition(n)) {
      // A function passed by name: the declaration takes the role of the position.
      const decl = functionDeclarationOf(n, checker);
      if (decl && !roles.has(decl)) {
        const role = roleAt(n, checker);
        if (role) roles.set(decl, role);
      }
    }
    ts.forEachChild(n, visit);
  };
  for (const sf of files) visit(sf);
  return roles;
}

/** An identifier used as a call argument or a property's value (where a function can be passed). */
function isValuePosition(n: ts.Identifier): boolean {
  const p = n.parent;
  return (ts.isCallExpression(p) && p.arguments.includes(n)) || (ts.isPropertyAssignment(p) && p.initializer === n) || ts.isShorthandPropertyAssignment(p);
}

/** The function an identifier names, when it is declared in a linted file (a function declaration or a const bound to a function). */
export function functionDeclarationOf(id: ts.Identifier, checker: ts.TypeChecker): FunctionNode | undefined {
  let sym = ts.isShorthandPropertyAssignment(id.parent) ? checker.getShorthandAssignmentValueSymbol(id.parent) : checker.getSymbolAtLocation(id);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  const d = sym?.valueDeclaration;
  if (!d || !isLintedPath(d.getSourceFile().fileName)) return undefined;
  if (ts.isFunctionDeclaration(d)) return d;
  if (ts.isVariableDeclaration(d) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) return d.initializer;
  return undefined;
}

/** The role given by the contextual type of `node` when that type is declared by the library. */
function roleAt(node: ts.Expression | ts.MethodDeclaration, checker: ts.TypeChecker): Role | undefined {
  let type: ts.Type | undefined;
  if (!ts.isMethodDeclaration(node)) type = checker.getContextualType(node);
  else {
    // A method `update(s) { ... }` in an object literal: its property's contextual type.
    const obj = node.parent as ts.ObjectLiteralExpression;
    const objType = checker.getContextualType(obj);
    const prop = objType && ts.isIdentifier(node.name) ? checker.getPropertyOfType(objType.getNonNullableType(), node.name.text) : undefined;
    type = prop ? checker.getTypeOfSymbol(prop) : undefined;
  }
  if (!type) return undefined;
  for (const t of type.isUnion() ? type.types : [type]) {
    const decl = t.getSymbol()?.declarations?.[0];
    if (!decl || isLintedPath(decl.getSourceFile().fileName)) continue;
    const name = libraryNameOf(decl);
    if (!name) continue;
    const sig = t.getCallSignatures()[0];
    if (!sig) continue;
    const stateParams = sig.parameters.flatMap((p, i) => (STATE_PARAM_NAMES.has(p.name) ? [i] : []));
    return { name, stateParams };
  }
  return undefined;
}

/** The name of the property or parameter a library function type is declared for (`update`, `guards`, `check`, ...). */
function libraryNameOf(decl: ts.Declaration): string | undefined {
  for (let n: ts.Node | undefined = decl; n; n = n.parent) {
    if ((ts.isPropertySignature(n) || ts.isParameter(n) || ts.isPropertyDeclaration(n)) && ts.isIdentifier(n.name)) return n.name.text;
    if (ts.isInterfaceDeclaration(n) || ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}
