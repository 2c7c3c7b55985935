import { isShallow, type CallArgs, type ExprNode } from "./expressionAst.js";
import type { Token } from "./token.js";

/**
 * Thrown when tokens are not an expression we understand; `at` is the token index reached.
 * Deliberately not an Error: broken input can fail thousands of parse attempts, and capturing a
 * stack trace for each one dominated the running time.
 */
export class ParseError {
  constructor(
    readonly message: string,
    readonly at: number,
    /** The input nests beyond any real code: not worth trying to recover from. */
    readonly tooDeep = false,
  ) {}
}

/** Nesting deeper than this is not real dbt code; refusing it keeps recursion bounded. */
const MAX_NESTING = 100;
const COMPARE_OPS = new Set(["==", "!=", "<", ">", "<=", ">="]);
/** Binary operators by precedence, loosest first, as in Jinja: or, and, comparisons, + -, ~, * / // %, **. */
const LEVELS: ReadonlySet<string>[] = [new Set(["or"]), new Set(["and"]), COMPARE_OPS, new Set(["+", "-"]), new Set(["~"]), new Set(["*", "/", "//", "%"]), new Set(["**"])];
const TEST_ARG_START = new Set(["(", "[", "{"]);
/** The operator tokens of every level from comparisons to `**` (`or`, `and`, `in`, `not in` are names). */
const LEVEL_OPS: ReadonlySet<string> = new Set(LEVELS.slice(2).flatMap((level) => [...level]));

/**
 * A recursive-descent parser for Jinja's expression language (the grammar of Jinja 3's parser:
 * conditional, or/and/not, comparisons and `in`, `+ -`, `~`, `* / // %`, `**`, unary signs,
 * filters, tests, attribute/subscript/call postfixes, literals). Statement tags drive it piecewise
 * through the public methods, so one instance reads one token list from left to right. After a
 * ParseError an instance must not be used again.
 */
export class ExpressionParser {
  pos = 0;
  private nesting = 0;

  constructor(
    private readonly tokens: Token[],
    /**
     * Descend through every precedence level for every operand (the tests compare it with the
     * default, which returns an operand at once when no binary operator follows it: see `parseOr`).
     */
    private readonly fullDescent = false,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  atEnd(): boolean {
    return this.peek().type === "eof";
  }

  isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "op" && t.value === value;
  }

  isName(value?: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "name" && (value === undefined || t.value === value);
  }

  /** Takes the name `value` when it comes next; says whether it did. */
  skipName(value: string): boolean {
    if (!this.isName(value)) return false;
    this.next();
    return true;
  }

  skipOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.next();
    return true;
  }

  expectOp(value: string): Token {
    if (!this.isOp(value)) this.fail(`expected '${value}'`);
    return this.next();
  }

  expectName(): Token {
    if (!this.isName()) this.fail("expected a name");
    return this.next();
  }

  fail(message: string): never {
    throw new ParseError(message, this.pos);
  }

  private tooDeep(): never {
    throw new ParseError("expression nested too deeply", this.pos, true);
  }

  /** A whole expression list as `{{ }}` holds it: `a`, or an unparenthesized tuple `a, b`. */
  parseTuple(noCond = false): ExprNode {
    const first = this.parseExpression(noCond);
    if (!this.isOp(",")) return first;
    const items = [first];
    while (this.skipOp(",")) {
      if (!this.startsExpression()) break;
      items.push(this.parseExpression(noCond));
    }
    return { type: "list", items, tuple: true, start: first.start, end: this.lastEnd() };
  }

  /** Parses one expression and checks the resulting tree is shallow enough to walk recursively. */
  parseExpression(noCond = false): ExprNode {
    this.enter();
    const node = this.parseConditional(noCond);
    this.nesting--;
    if (this.nesting === 0 && !isShallow(node, MAX_NESTING * 2)) this.tooDeep();
    return node;
  }

  /** A primary with its postfixes only, e.g. `ref('a', v=1)`: used to recover calls from broken code. */
  parseCallSite(): ExprNode {
    const node = this.parsePostfix(this.parsePrimary());
    if (!isShallow(node, MAX_NESTING * 2)) this.tooDeep();
    return node;
  }

  startsExpression(): boolean {
    const t = this.peek();
    if (t.type === "eof") return false;
    if (t.type === "op") return ["(", "[", "{", "-", "+"].includes(t.value);
    return true;
  }

  // Counted by hand, not with try/finally: after a ParseError the parser is abandoned, and
  // unwinding a hundred finally blocks per failed attempt made broken input measurably slow.
  private enter(): void {
    if (++this.nesting > MAX_NESTING) this.tooDeep();
  }

  private lastEnd(): number {
    return (this.tokens[Math.max(0, this.pos - 1)] as Token).end;
  }

  private parseConditional(noCond: boolean): ExprNode {
    const then = this.parseOr();
    if (noCond || !this.isName("if")) return then;
    this.next();
    const test = this.parseOr();
    const otherwise = this.skipName("else") ? this.parseExpression() : null;
    return { type: "cond", then, test, otherwise, start: then.start, end: this.lastEnd() };
  }

  /**
   * A left-associative run `a op b op c` at one precedence level, kept flat. Levels are numbered
   * from `or` (0) to `**` (6); each level's operands are the next level up.
   */
  private parseLevel(level: number, leaf?: ExprNode): ExprNode {
    const first = this.parseOperand(level, leaf);
    let operands: ExprNode[] | null = null;
    let ops: string[] | null = null;
    for (let op = this.readLevelOp(level); op !== null; op = this.readLevelOp(level)) {
      ops ??= [];
      operands ??= [first];
      ops.push(op);
      operands.push(this.parseOperand(level));
    }
    if (operands === null || ops === null) return first;
    return { type: "chain", operands, ops, start: first.start, end: this.lastEnd() };
  }

  /** `leaf`: the operand parseUnary already read where the descent would reach it. */
  private parseOperand(level: number, leaf?: ExprNode): ExprNode {
    if (level === 1) return leaf === undefined ? this.parseNot() : this.parseLevel(2, leaf);
    if (level === LEVELS.length - 1) return leaf ?? this.parseUnary();
    return this.parseLevel(level + 1, leaf);
  }

  private readLevelOp(level: number): string | null {
    const t = this.peek();
    if (level === 2) {
      if (t.type === "op" && COMPARE_OPS.has(t.value)) return this.next().value;
      if (this.isName("in")) return this.next().value;
      if (this.isName("not") && this.isName("in", 1)) {
        this.next();
        this.next();
        return "not in";
      }
      return null;
    }
    const ops = LEVELS[level] as ReadonlySet<string>;
    const wanted = level < 2 ? t.type === "name" : t.type === "op";
    return wanted && ops.has(t.value) ? this.next().value : null;
  }

  /**
   * `or` level and below. Most operands (an argument, a name, a call) have no binary operator after
   * them: the descent through the seven levels (and `not`) to parseUnary, and back up checking each
   * level's operators, then only hands back the operand. So the operand is read first and returned
   * when no level's operator follows; otherwise the descent runs with that operand as its first
   * leaf, which is what it would have read there (no level takes a token before its first operand,
   * only `not`, which goes the whole way).
   */
  private parseOr(): ExprNode {
    if (this.fullDescent || this.isName("not")) return this.parseLevel(0);
    const operand = this.parseUnary();
    return this.levelOpAhead() ? this.parseLevel(0, operand) : operand;
  }

  /** Whether `readLevelOp` would take the next token at some level. */
  private levelOpAhead(): boolean {
    const t = this.peek();
    if (t.type === "name") return t.value === "or" || t.value === "and" || t.value === "in" || (t.value === "not" && this.isName("in", 1));
    return t.type === "op" && LEVEL_OPS.has(t.value);
  }

  private parseNot(): ExprNode {
    if (!this.isName("not")) return this.parseLevel(2);
    const start = this.next().start;
    this.enter();
    const operand = this.parseNot();
    this.nesting--;
    return { type: "unary", op: "not", operand, start, end: operand.end };
  }

  private parseUnary(): ExprNode {
    if (this.isOp("-") || this.isOp("+")) {
      const op = this.next();
      this.enter();
      const operand = this.parseUnary();
      this.nesting--;
      return { type: "unary", op: op.value, operand, start: op.start, end: operand.end };
    }
    return this.parseFilters(this.parsePostfix(this.parsePrimary()));
  }

  private parsePrimary(): ExprNode {
    const t = this.peek();
    if (t.type === "name") {
      this.next();
      if (t.value === "true" || t.value === "True") return { type: "const", value: true, start: t.start, end: t.end };
      if (t.value === "false" || t.value === "False") return { type: "const", value: false, start: t.start, end: t.end };
      if (t.value === "none" || t.value === "None") return { type: "const", value: null, start: t.start, end: t.end };
      return { type: "name", name: t.value, start: t.start, end: t.end };
    }
    if (t.type === "string") {
      let value = "";
      let end = t.start;
      // Jinja, like Python, joins adjacent string literals.
      while (this.peek().type === "string") {
        const s = this.next();
        value += s.value;
        end = s.end;
      }
      return { type: "str", value, start: t.start, end };
    }
    if (t.type === "number") {
      this.next();
      return { type: "num", text: t.value, start: t.start, end: t.end };
    }
    if (this.isOp("(")) return this.parseParenthesized();
    if (this.isOp("[")) return this.parseList();
    if (this.isOp("{")) return this.parseDict();
    return this.fail(`unexpected '${t.value || "end of expression"}'`);
  }

  private parseParenthesized(): ExprNode {
    const open = this.next();
    if (this.isOp(")")) return { type: "list", items: [], tuple: true, start: open.start, end: this.next().end };
    const first = this.parseExpression();
    if (this.isOp(")")) {
      this.next();
      return first;
    }
    const items = [first];
    while (this.skipOp(",")) {
      if (this.isOp(")")) break;
      items.push(this.parseExpression());
    }
    const close = this.expectOp(")");
    return { type: "list", items, tuple: true, start: open.start, end: close.end };
  }

  private parseList(): ExprNode {
    const open = this.next();
    const items: ExprNode[] = [];
    while (!this.isOp("]")) {
      items.push(this.parseExpression());
      if (!this.skipOp(",")) break;
    }
    const close = this.expectOp("]");
    return { type: "list", items, tuple: false, start: open.start, end: close.end };
  }

  private parseDict(): ExprNode {
    const open = this.next();
    const entries: { key: ExprNode; value: ExprNode }[] = [];
    while (!this.isOp("}")) {
      const key = this.parseExpression();
      this.expectOp(":");
      entries.push({ key, value: this.parseExpression() });
      if (!this.skipOp(",")) break;
    }
    const close = this.expectOp("}");
    return { type: "dict", entries, start: open.start, end: close.end };
  }

  private parsePostfix(node: ExprNode): ExprNode {
    for (let links = 0; ; links++) {
      if (links > MAX_NESTING) this.tooDeep();
      if (this.isOp(".")) {
        this.next();
        const t = this.next();
        if (t.type !== "name" && t.type !== "number") this.fail("expected an attribute name");
        node = { type: "attr", object: node, name: t.value, start: node.start, end: t.end };
      } else if (this.isOp("[")) {
        node = this.parseSubscript(node);
      } else if (this.isOp("(")) {
        const callee = node;
        node = { type: "call", callee, ...this.parseCallArgs(callee.start) };
      } else {
        return node;
      }
    }
  }

  private parseSubscript(object: ExprNode): ExprNode {
    this.next();
    let index: ExprNode | null = null;
    let slice = false;
    while (!this.isOp("]")) {
      if (this.skipOp(":")) slice = true;
      else if (this.skipOp(",")) slice = true;
      else index = this.parseExpression();
      if (this.atEnd()) break;
    }
    const close = this.expectOp("]");
    return { type: "index", object, index: slice ? null : index, start: object.start, end: close.end };
  }

  /** `(a, b, k=v, *rest, **more)`; the caller has not consumed the parenthesis. */
  parseCallArgs(start: number): CallArgs {
    const open = this.expectOp("(");
    const args: ExprNode[] = [];
    const kwargs: { name: string; value: ExprNode }[] = [];
    const splats: ExprNode[] = [];
    while (!this.isOp(")")) {
      if (this.isOp("*") || this.isOp("**")) {
        this.next();
        splats.push(this.parseExpression());
      } else if (this.isName() && this.isOp("=", 1)) {
        const name = this.next().value;
        this.next();
        kwargs.push({ name, value: this.parseExpression() });
      } else {
        args.push(this.parseExpression());
      }
      if (!this.skipOp(",")) break;
    }
    const close = this.expectOp(")");
    return { args, kwargs, splats, argsStart: open.end, argsEnd: close.start, start, end: close.end };
  }

  private parseFilters(node: ExprNode): ExprNode {
    for (let links = 0; ; links++) {
      if (links > MAX_NESTING) this.tooDeep();
      if (this.isOp("|")) {
        this.next();
        const name = this.parseDottedName();
        const args = this.isOp("(") ? this.parseCallArgs(node.start) : this.noArgs(node.start);
        node = { type: "filter", subject: node, name, ...args };
      } else if (this.isName("is")) {
        this.next();
        const negated = this.skipName("not");
        const name = this.parseDottedName();
        let args = this.noArgs(node.start);
        if (this.isOp("(")) args = this.parseCallArgs(node.start);
        else if (this.startsTestArgument()) {
          const arg = this.parsePostfix(this.parsePrimary());
          args = { ...args, args: [arg], end: arg.end };
        }
        const test: ExprNode = { type: "test", subject: node, name, ...args };
        node = negated ? { type: "unary", op: "not", operand: test, start: test.start, end: test.end } : test;
      } else if (this.isOp("(")) {
        const callee = node;
        node = { type: "call", callee, ...this.parseCallArgs(callee.start) };
      } else {
        return node;
      }
    }
  }

  private startsTestArgument(): boolean {
    const t = this.peek();
    if (t.type === "name") return !["else", "or", "and", "if", "in", "not", "is"].includes(t.value);
    if (t.type === "string" || t.type === "number") return true;
    return t.type === "op" && TEST_ARG_START.has(t.value);
  }

  private parseDottedName(): string {
    let name = this.expectName().value;
    while (this.isOp(".") && this.isName(undefined, 1)) {
      this.next();
      name += `.${this.next().value}`;
    }
    return name;
  }

  private noArgs(start: number): CallArgs {
    const end = this.lastEnd();
    return { args: [], kwargs: [], splats: [], argsStart: end, argsEnd: end, start, end };
  }
}
