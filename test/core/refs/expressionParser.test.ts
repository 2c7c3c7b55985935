import { describe, expect, it } from "vitest";
import type { ExprNode } from "../../../src/core/refs/expressionAst.js";
import { lexExpression } from "../../../src/core/refs/expressionLexer.js";
import { ExpressionParser, ParseError } from "../../../src/core/refs/expressionParser.js";

function parse(text: string): ExprNode {
  const parser = new ExpressionParser(lexExpression(text, 0, text.length));
  const node = parser.parseTuple();
  if (!parser.atEnd()) throw new Error(`left over: ${parser.peek().value}`);
  return node;
}

/** A compact rendering of the tree, enough to check structure and precedence. */
function show(node: ExprNode): string {
  switch (node.type) {
    case "str":
      return JSON.stringify(node.value);
    case "num":
      return node.text;
    case "const":
      return String(node.value);
    case "name":
      return node.name;
    case "list":
      return `${node.tuple ? "(" : "["}${node.items.map(show).join(", ")}${node.tuple ? ")" : "]"}`;
    case "dict":
      return `{${node.entries.map((e) => `${show(e.key)}: ${show(e.value)}`).join(", ")}}`;
    case "attr":
      return `${show(node.object)}.${node.name}`;
    case "index":
      return `${show(node.object)}[${node.index === null ? ":" : show(node.index)}]`;
    case "call":
      return `${show(node.callee)}(${[...node.args.map(show), ...node.kwargs.map((k) => `${k.name}=${show(k.value)}`)].join(", ")})`;
    case "filter":
      return `(${show(node.subject)} | ${node.name}${node.args.length > 0 ? `(${node.args.map(show).join(", ")})` : ""})`;
    case "test":
      return `(${show(node.subject)} is ${node.name}${node.args.map((a) => ` ${show(a)}`).join("")})`;
    case "unary":
      return `(${node.op} ${show(node.operand)})`;
    case "chain":
      return `(${node.operands.map(show).reduce((acc, o, i) => `${acc} ${node.ops[i - 1]} ${o}`)})`;
    case "cond":
      return `(${show(node.then)} if ${show(node.test)} else ${node.otherwise === null ? "-" : show(node.otherwise)})`;
  }
}

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("ExpressionParser", () => {
  it("parses literals, joining adjacent strings", () => {
    expect(show(parse(`'a' "b"`))).toBe('"ab"');
    expect(show(parse("[1, 2.5, True, none, {'k': (3,)}]"))).toBe('[1, 2.5, true, null, {"k": (3)}]');
  });

  it("follows Jinja's precedence: ~ binds tighter than +, and comparisons are looser", () => {
    expect(show(parse("a + b ~ c * d"))).toBe("(a + (b ~ (c * d)))");
    expect(show(parse("a == b + 1 and not c or d"))).toBe("(((a == (b + 1)) and (not c)) or d)");
    expect(show(parse("x not in y"))).toBe("(x not in y)");
  });

  it("keeps left-associative runs flat", () => {
    const node = parse("'a' ~ b ~ 'c' ~ d");
    expect(node.type === "chain" && node.operands.length).toBe(4);
  });

  it("parses calls with positional, keyword and splat arguments, and records the argument span", () => {
    const text = "ref('pkg', 'm', v=2)";
    const node = parse(text);
    expect(show(node)).toBe('ref("pkg", "m", v=2)');
    expect(node.type === "call" && text.slice(node.argsStart, node.argsEnd)).toBe("'pkg', 'm', v=2");
    expect(show(parse("f(*a, **b)"))).toBe("f()");
  });

  it("parses postfixes, filters and tests", () => {
    expect(show(parse("a.b[0].c(1)[1:2]"))).toBe("a.b[0].c(1)[:]");
    expect(show(parse("x | lower | replace('a', 'b')"))).toBe('((x | lower) | replace("a", "b"))');
    expect(show(parse("x is not defined"))).toBe("(not (x is defined))");
    expect(show(parse("x is divisibleby 3"))).toBe("(x is divisibleby 3)");
  });

  it("parses conditional expressions and unparenthesized tuples", () => {
    expect(show(parse("'a' if x else 'b'"))).toBe('("a" if x else "b")');
    expect(show(parse("a, b"))).toBe("(a, b)");
  });

  it("rejects broken input with a ParseError", () => {
    for (const text of ["ref(", "a +", "[1, 2", "{'a' 1}", "a.", ")"]) {
      const error = thrownBy(() => parse(text));
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).tooDeep).toBe(false);
    }
  });

  it("rejects absurd nesting instead of overflowing the stack", () => {
    const error = thrownBy(() => new ExpressionParser(lexExpression("(".repeat(10_000), 0, 10_000)).parseExpression());
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).tooDeep).toBe(true);
  });
});
