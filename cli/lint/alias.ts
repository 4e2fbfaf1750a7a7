/**
 * Which expressions may share memory with a given origin (the states a spec function is
 * given, or module-level bindings), and how deep a copy stands in between. A value is
 * described by its number of fresh levels: 0 is the origin's memory itself (`s`, `s.msgs`,
 * an element of `s.msgs`), 1 a fresh container of the origin's memory (`{ ...s }`,
 * `s.msgs.slice()`: writing its own slots is fine, writing into its elements is not), and
 * so on. Flow-insensitive: a variable has the fewest fresh levels of anything assigned to it,
 * across assignments, destructuring, `for...of`, callbacks of array methods, arguments of
 * local functions and what they return. Calls it cannot see into (library code) give
 * untracked values: the analysis misses aliases through them rather than inventing any.
 */
import { ts } from "ts-morph";
import { functionDeclarationOf, isFunctionNode, type FunctionNode } from "./roles.ts";

/** Methods that return a new container of the receiver's elements. */
const COPYING = new Set(["slice", "concat", "filter", "map", "flatMap", "flat", "toSorted", "toReversed", "toSpliced", "with", "add", "union", "intersection", "difference"]);
/** Methods that return one of the receiver's elements. */
const ELEMENT = new Set(["find", "findLast", "at", "get", "pop", "shift"]);
/** Array methods whose callback receives elements: the index of the element parameter. */
const CALLBACK_ELEMENT: Record<string, number> = { forEach: 0, map: 0, filter: 0, find: 0, findIndex: 0, findLast: 0, findLastIndex: 0, some: 0, every: 0, flatMap: 0, reduce: 1, reduceRight: 1, sort: 0, toSorted: 0 };

export type Fresh = number | undefined;

const min = (a: Fresh, b: Fresh): Fresh => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const down = (t: Fresh): Fresh => (t === undefined ? undefined : Math.max(t - 1, 0));
const copy = (t: Fresh): Fresh => (t === undefined ? undefined : Math.max(t, 1));

export class AliasAnalysis {
  private readonly symbols = new Map<ts.Symbol, number>();
  private readonly returns = new Map<FunctionNode, number>();
  private changed = false;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly files: readonly ts.SourceFile[],
    seeds: ReadonlyMap<ts.Symbol, number>,
  ) {
    for (const [s, t] of seeds) this.symbols.set(s, t);
    // To a fixpoint: every pass can only lower a level, and levels start small.
    for (let pass = 0; pass < 20; pass++) {
      this.changed = false;
      for (const f of files) this.propagate(f);
      if (!this.changed) break;
    }
  }

  /** The fresh levels of an expression's value, or undefined when it does not come from the origin. */
  fresh(e: ts.Expression): Fresh {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) return this.fresh(e.expression);
    if (ts.isIdentifier(e)) {
      const s = this.symbolOf(e);
      return s ? this.symbols.get(s) : undefined;
    }
    if (ts.isPropertyAccessExpression(e)) {
      const own = this.literalProperty(e);
      if (own) return this.fresh(own);
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return down(this.fresh(e.expression));
    if (ts.isConditionalExpression(e)) return min(this.fresh(e.whenTrue), this.fresh(e.whenFalse));
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      if (k === ts.SyntaxKind.BarBarToken || k === ts.SyntaxKind.QuestionQuestionToken || k === ts.SyntaxKind.AmpersandAmpersandToken) return min(this.fresh(e.left), this.fresh(e.right));
      if (k === ts.SyntaxKind.EqualsToken || k === ts.SyntaxKind.CommaToken) return this.fresh(e.right);
      return undefined;
    }
    if (ts.isArrayLiteralExpression(e)) {
      let t: Fresh;
      for (const x of e.elements) t = min(t, ts.isSpreadElement(x) ? copy(this.fresh(x.expression)) : inc(this.fresh(x)));
      return t;
    }
    if (ts.isObjectLiteralExpression(e)) {
      let t: Fresh;
      for (const p of e.properties) {
        if (ts.isSpreadAssignment(p)) t = min(t, copy(this.fresh(p.expression)));
        else if (ts.isPropertyAssignment(p)) t = min(t, inc(this.fresh(p.initializer)));
        else if (ts.isShorthandPropertyAssignment(p)) {
          const s = this.checker.getShorthandAssignmentValueSymbol(p);
          t = min(t, inc(s ? this.symbols.get(s) : undefined));
        }
      }
      return t;
    }
    if (ts.isCallExpression(e)) return this.callFresh(e);
    return undefined;
  }

  /**
   * `c.f` where `c` is a const bound to an object literal that sets `f` itself after its
   * last spread (`const c = { ...s, f: [...s.f] }`): the value written there, not `s.f`.
   */
  private literalProperty(e: ts.PropertyAccessExpression): ts.Expression | undefined {
    if (!ts.isIdentifier(e.expression)) return undefined;
    const d = this.symbolOf(e.expression)?.valueDeclaration;
    if (!d || !ts.isVariableDeclaration(d) || !(ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) || !d.initializer) return undefined;
    let init: ts.Expression = d.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
    if (!ts.isObjectLiteralExpression(init)) return undefined;
    let found: ts.Expression | undefined;
    for (const p of init.properties) {
      if (ts.isSpreadAssignment(p)) found = undefined;
      else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === e.name.text) found = p.initializer;
    }
    return found;
  }

  private callFresh(e: ts.CallExpression): Fresh {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const recv = callee.expression;
      if (ts.isIdentifier(recv) && (recv.text === "Object" || recv.text === "Array") && this.isGlobal(recv)) {
        const arg = e.arguments[0] && this.fresh(e.arguments[0]);
        if (recv.text === "Array" && name === "from") return copy(arg);
        if (recv.text === "Object" && name === "values") return copy(arg);
        if (recv.text === "Object" && name === "entries") return arg === undefined ? undefined : Math.max(arg, 2);
        if (recv.text === "Object" && name === "assign") return this.fresh(e.arguments[0]);
        return undefined;
      }
      const t = this.fresh(recv);
      if (t !== undefined) {
        if (COPYING.has(name)) return copy(t);
        if (ELEMENT.has(name)) return down(t);
        return undefined;
      }
    }
    if (ts.isIdentifier(callee)) {
      const f = functionDeclarationOf(callee, this.checker);
      if (f) return this.returns.get(f);
    }
    return undefined;
  }

  /** A global of the standard library (not a local binding that shadows it). */
  isGlobal(id: ts.Identifier): boolean {
    const d = this.symbolOf(id)?.declarations?.[0];
    return d === undefined || d.getSourceFile().isDeclarationFile;
  }

  symbolOf(id: ts.Identifier): ts.Symbol | undefined {
    let s = ts.isShorthandPropertyAssignment(id.parent) ? this.checker.getShorthandAssignmentValueSymbol(id.parent) : this.checker.getSymbolAtLocation(id);
    if (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
    return s;
  }

  private lower(s: ts.Symbol | undefined, t: Fresh): void {
    if (!s || t === undefined) return;
    const cur = this.symbols.get(s);
    if (cur === undefined || t < cur) {
      this.symbols.set(s, t);
      this.changed = true;
    }
  }

  /** Binds the names of a declaration target (identifier or destructuring pattern) to `t`. */
  private bind(name: ts.BindingName, t: Fresh): void {
    if (t === undefined) return;
    if (ts.isIdentifier(name)) return this.lower(this.symbolOf(name), t);
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) continue;
      // A rest element is a fresh container of the remaining parts.
      this.bind(el.name, el.dotDotDotToken ? copy(t) : down(t));
    }
  }

  private propagate(node: ts.Node): void {
    if (ts.isVariableDeclaration(node) && node.initializer) this.bind(node.name, this.fresh(node.initializer));
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) this.lower(this.symbolOf(node.left), this.fresh(node.right));
    else if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
      for (const d of node.initializer.declarations) this.bind(d.name, down(this.fresh(node.expression)));
    } else if (ts.isCallExpression(node)) this.propagateCall(node);
    else if (ts.isReturnStatement(node) && node.expression) {
      const f = enclosingFunction(node);
      if (f) this.lowerReturn(f, this.fresh(node.expression));
    } else if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) this.lowerReturn(node, this.fresh(node.body));
    ts.forEachChild(node, (c) => this.propagate(c));
  }

  private lowerReturn(f: FunctionNode, t: Fresh): void {
    if (t === undefined) return;
    const cur = this.returns.get(f);
    if (cur === undefined || t < cur) {
      this.returns.set(f, t);
      this.changed = true;
    }
  }

  private propagateCall(e: ts.CallExpression): void {
    const callee = e.expression;
    // Callbacks of array methods receive the receiver's elements.
    if (ts.isPropertyAccessExpression(callee) && Object.hasOwn(CALLBACK_ELEMENT, callee.name.text)) {
      const t = down(this.fresh(callee.expression));
      const cb = e.arguments[0] && this.functionOf(e.arguments[0]);
      const i = CALLBACK_ELEMENT[callee.name.text];
      if (cb && t !== undefined) {
        const params = cb.parameters;
        if (params[i]) this.bind(params[i].name, t);
        if (callee.name.text === "sort" || callee.name.text === "toSorted") if (params[1]) this.bind(params[1].name, t);
      }
    }
    // Arguments of local functions flow into their parameters.
    if (ts.isIdentifier(callee)) {
      const f = functionDeclarationOf(callee, this.checker);
      if (f) e.arguments.forEach((a, i) => f.parameters[i] && !f.parameters[i].dotDotDotToken && this.bind(f.parameters[i].name, this.fresh(a)));
    }
  }

  private functionOf(e: ts.Expression): FunctionNode | undefined {
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
    if (ts.isIdentifier(e)) return functionDeclarationOf(e, this.checker);
    return undefined;
  }
}

/** One more fresh level: a literal holding a value. */
function inc(t: Fresh): Fresh {
  return t === undefined ? undefined : t + 1;
}

export function enclosingFunction(n: ts.Node): FunctionNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionNode(p)) return p;
  return undefined;
}
