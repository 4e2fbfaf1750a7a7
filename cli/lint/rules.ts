/**
 * The lint rules: what makes a spec impure or non-deterministic, found statically in the
 * spec's files. Each finding is a place in the source (file, line, column, 1-based), a rule
 * and a one-line message. The rules under-approximate: what they cannot see through (calls
 * into library code, computed method names) they do not guess about, so a finding is always
 * a real occurrence of what its message says.
 */
import { ts } from "ts-morph";
import { AliasAnalysis } from "./alias.ts";
import { findRoles, isFunctionNode, MUST_RETURN, type FunctionNode, type Role } from "./roles.ts";
import type { Finding, RuleName } from "./rule-names.ts";

export type { Finding, RuleName };

/** Node's built-in modules whose use is I/O (or reads the environment). */
const IO_MODULES = new Set(["fs", "fs/promises", "net", "http", "https", "http2", "child_process", "dgram", "dns", "dns/promises", "os", "readline", "readline/promises", "tls", "worker_threads", "cluster", "process", "inspector", "v8", "repl", "tty"]);
const CRYPTO_RANDOM = new Set(["randomUUID", "getRandomValues", "randomBytes", "randomInt", "randomFill", "randomFillSync"]);
const ARRAY_MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"]);
const COLLECTION_MUTATORS = new Set(["set", "add", "delete", "clear"]);
const MUTABLE_LIB_TYPES = new Set(["Array", "Map", "Set", "WeakMap", "WeakSet"]);
const OBJECT_MUTATORS: Record<string, Set<string>> = { Object: new Set(["assign", "defineProperty", "defineProperties", "setPrototypeOf"]), Reflect: new Set(["set", "defineProperty", "deleteProperty", "setPrototypeOf"]) };

export function lintFiles(files: readonly ts.SourceFile[], checker: ts.TypeChecker, display: (file: string) => string): Finding[] {
  const out: Finding[] = [];
  const at = (node: ts.Node, rule: RuleName, message: string) => {
    const sf = node.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ file: display(sf.fileName), line: line + 1, column: character + 1, rule, message });
  };
  const roles = findRoles(files, checker);
  const state = new AliasAnalysis(checker, files, stateSeeds(roles, checker));
  const moduleLevel = moduleBindings(files, checker);
  const module = new AliasAnalysis(checker, files, new Map([...moduleLevel.keys()].map((s) => [s, 0])));
  const text = (n: ts.Node) => {
    const t = n.getText().replace(/\s+/g, " ");
    return t.length > 40 ? t.slice(0, 37) + "..." : t;
  };

  const visit = (node: ts.Node, inFunction: boolean): void => {
    // Randomness and clocks make a spec non-deterministic wherever they are read.
    const global = (id: ts.Expression, name: string) => ts.isIdentifier(id) && id.text === name && state.isGlobal(id);
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      if (global(node.expression, "Math") && name === "random") at(node, "random", "Math.random(): a spec's successors, initial states and checks must not depend on chance");
      else if ((global(node.expression, "crypto") || importedFrom(node.expression, checker, "crypto")) && CRYPTO_RANDOM.has(name)) at(node, "random", `crypto.${name}: a spec must not depend on chance`);
      else if (global(node.expression, "Date") && name === "now") at(node, "clock", "Date.now() reads the clock: a spec must not depend on time");
      else if (global(node.expression, "performance") && name === "now") at(node, "clock", "performance.now() reads the clock: a spec must not depend on time");
    }
    if (ts.isNewExpression(node) && global(node.expression, "Date") && (node.arguments?.length ?? 0) === 0) at(node, "clock", "new Date() reads the clock: a spec must not depend on time");
    if (ts.isCallExpression(node) && global(node.expression, "Date")) at(node, "clock", "Date() reads the clock: a spec must not depend on time");
    if (ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node.parent) && CRYPTO_RANDOM.has(node.text) && importedFrom(node, checker, "crypto") && !isDeclarationName(node)) at(node, "random", `${node.text} (node:crypto): a spec must not depend on chance`);

    if (inFunction) {
      if (ts.isPropertyAccessExpression(node) && (global(node.expression, "process") || global(node.expression, "console"))) {
        at(node, "io", `${text(node)} inside a spec function: ${(node.expression as ts.Identifier).text === "console" ? "printing is I/O" : "the process's environment and I/O are outside the state"}`);
      } else if (ts.isCallExpression(node) && global(node.expression, "fetch")) at(node, "io", "fetch() inside a spec function: network I/O");
      else if (ts.isIdentifier(node) && !isDeclarationName(node)) {
        const mod = ioModuleOf(node, checker);
        if (mod) at(node, "io", `${node.text} (from "${mod}") inside a spec function: I/O`);
        const sym = resolved(node, checker);
        const decl = sym && moduleLevel.get(sym);
        if (decl && isMutableDeclaration(decl) && !isPropertyName(node)) at(node, "module-state", `reads or writes module-level \`${declarationKind(decl)} ${node.text}\`: a spec function's result must depend only on its arguments (make it a const, or part of the state)`);
      }
      const m = mutation(node, checker);
      if (m) {
        if (state.fresh(m.target) === 0) at(node, "state-mutation", `${m.what} \`${text(m.target)}\`, which is (part of) a state it was given: build a new value instead ({ ...s, f }, setAt, [...xs, x])`);
        else if (module.fresh(m.target) === 0) at(node, "module-state", `${m.what} \`${text(m.target)}\`, module-level data shared by every call: a spec function must not change it`);
      }
    }
    const nowInFunction = inFunction || isFunctionNode(node);
    ts.forEachChild(node, (c) => visit(c, nowInFunction));
  };
  for (const sf of files) visit(sf, false);

  for (const [f, role] of roles) {
    // A generator (`argsFrom: function* (s) { ... }`) ends by falling off: that is its return.
    if (!MUST_RETURN.has(role.name) || !f.body || !ts.isBlock(f.body) || (!ts.isArrowFunction(f) && f.asteriskToken)) continue;
    if (f.flags & ts.NodeFlags.HasImplicitReturn) at(f, "missing-return", `${describeRole(f, role)} can reach the end of its body without a return (it then returns undefined)`);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

/** The parameters the library calls states, as seeds for the alias analysis (destructured names included). */
function stateSeeds(roles: ReadonlyMap<FunctionNode, Role>, checker: ts.TypeChecker): Map<ts.Symbol, number> {
  const seeds = new Map<ts.Symbol, number>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) {
      const s = checker.getSymbolAtLocation(name);
      if (s) seeds.set(s, 0);
    } else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const [f, role] of roles) for (const i of role.stateParams) if (f.parameters[i]) bind(f.parameters[i].name);
  return seeds;
}

/** Every binding declared at the top level of a linted file, with its declaration. */
function moduleBindings(files: readonly ts.SourceFile[], checker: ts.TypeChecker): Map<ts.Symbol, ts.VariableDeclaration> {
  const out = new Map<ts.Symbol, ts.VariableDeclaration>();
  const bind = (name: ts.BindingName, decl: ts.VariableDeclaration) => {
    if (ts.isIdentifier(name)) {
      const s = checker.getSymbolAtLocation(name);
      if (s) out.set(s, decl);
    } else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name, decl);
  };
  for (const sf of files) for (const st of sf.statements) if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name, d);
  return out;
}

function isMutableDeclaration(d: ts.VariableDeclaration): boolean {
  return (ts.getCombinedNodeFlags(d) & (ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) === 0;
}
function declarationKind(d: ts.VariableDeclaration): string {
  return ts.getCombinedNodeFlags(d) & ts.NodeFlags.Let ? "let" : "var";
}

/** A write into the object `target` (a property assignment, a mutating method, delete). */
function mutation(node: ts.Node, checker: ts.TypeChecker): { target: ts.Expression; what: string } | undefined {
  const access = (e: ts.Expression) => ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e);
  if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind) && access(node.left)) return { target: (node.left as ts.PropertyAccessExpression).expression, what: "assigns a property of" };
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) && access(node.operand)) {
    return { target: (node.operand as ts.PropertyAccessExpression).expression, what: "increments or decrements a property of" };
  }
  if (ts.isDeleteExpression(node) && access(node.expression)) return { target: (node.expression as ts.PropertyAccessExpression).expression, what: "deletes a property of" };
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const { name, expression: recv } = node.expression;
    const owner = libraryOwner(node.expression, checker);
    if (ARRAY_MUTATORS.has(name.text) && (owner === undefined ? true : MUTABLE_LIB_TYPES.has(owner))) return { target: recv, what: `calls ${name.text}() on` };
    if (COLLECTION_MUTATORS.has(name.text) && owner !== undefined && MUTABLE_LIB_TYPES.has(owner)) return { target: recv, what: `calls ${name.text}() on` };
    if (ts.isIdentifier(recv) && Object.hasOwn(OBJECT_MUTATORS, recv.text) && OBJECT_MUTATORS[recv.text].has(name.text) && node.arguments[0]) return { target: node.arguments[0], what: `${recv.text}.${name.text}() changes` };
  }
  return undefined;
}

function isAssignment(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/**
 * The standard-library interface a method is declared in ("Array", "Map", ...), "" for a
 * method declared elsewhere (ValueSet's `add` returns a new set), undefined when the
 * receiver is untyped (`any`).
 */
function libraryOwner(access: ts.PropertyAccessExpression, checker: ts.TypeChecker): string | undefined {
  const sym = checker.getSymbolAtLocation(access.name);
  const decl = sym?.declarations?.[0];
  if (!decl) return checker.getTypeAtLocation(access.expression).flags & ts.TypeFlags.Any ? undefined : "";
  const owner = decl.parent;
  if (!decl.getSourceFile().isDeclarationFile || !ts.isInterfaceDeclaration(owner)) return "";
  return /[/\\]lib\.[\w.]*\.d\.ts$/.test(decl.getSourceFile().fileName) ? owner.name.text : "";
}

function resolved(id: ts.Identifier, checker: ts.TypeChecker): ts.Symbol | undefined {
  let s = ts.isShorthandPropertyAssignment(id.parent) ? checker.getShorthandAssignmentValueSymbol(id.parent) : checker.getSymbolAtLocation(id);
  if (s && s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
  return s;
}

/** The I/O module an identifier's import comes from, if any ("fs", "child_process", ...). */
function ioModuleOf(id: ts.Identifier, checker: ts.TypeChecker): string | undefined {
  const mod = importModuleOf(id, checker);
  const bare = mod?.replace(/^node:/, "");
  return bare !== undefined && IO_MODULES.has(bare) ? mod : undefined;
}

function importedFrom(e: ts.Expression, checker: ts.TypeChecker, module: string): boolean {
  return ts.isIdentifier(e) && importModuleOf(e, checker)?.replace(/^node:/, "") === module;
}

function importModuleOf(id: ts.Identifier, checker: ts.TypeChecker): string | undefined {
  const s = checker.getSymbolAtLocation(id);
  const d = s?.declarations?.[0];
  if (!d || !(s!.flags & ts.SymbolFlags.Alias)) return undefined;
  let n: ts.Node = d;
  while (n && !ts.isImportDeclaration(n)) n = n.parent;
  return n && ts.isStringLiteral(n.moduleSpecifier) ? n.moduleSpecifier.text : undefined;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p) || ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) && (p as { name?: ts.Node }).name === id;
}

function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id);
}

function describeRole(f: FunctionNode, role: Role): string {
  const what = role.name === "guards" ? "guard" : role.name === "check" ? "property" : role.name;
  const name = role.name === "check" ? undefined : actionName(f);
  return name ? `${what} of action "${name}"` : `this ${what}`;
}

/** The `name` of the action object a function is written in (directly, or in its `guards`), if it is one. */
function actionName(f: ts.Node): string | undefined {
  let objects = 0;
  for (let n: ts.Node | undefined = f.parent; n && !ts.isSourceFile(n) && objects < 2; n = n.parent) {
    if (!ts.isObjectLiteralExpression(n)) continue;
    objects++;
    for (const p of n.properties) if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "name" && ts.isStringLiteralLike(p.initializer)) return p.initializer.text;
  }
  return undefined;
}
