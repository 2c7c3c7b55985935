import type { MacroDefinition } from "../types.js";
import type { ExpressionParser } from "./expressionParser.js";

export interface MacroSignature {
  name: string;
  params: MacroDefinition["params"];
}

/**
 * Reads `name(a, b='x', c=[])` after the `macro` keyword. Defaults are kept as source text, which is
 * what `MacroDefinition` stores; they are parsed again when a call leaves the parameter out.
 */
export function parseMacroSignature(parser: ExpressionParser, source: string): MacroSignature {
  const name = parser.expectName().value;
  const params: MacroDefinition["params"] = [];
  if (parser.skipOp("(")) {
    while (!parser.isOp(")")) {
      const param = parser.expectName().value;
      let defaultText: string | null = null;
      if (parser.skipOp("=")) {
        const value = parser.parseExpression();
        defaultText = source.slice(value.start, value.end);
      }
      params.push({ name: param, default: defaultText });
      if (!parser.skipOp(",")) break;
    }
    parser.expectOp(")");
  }
  return { name, params };
}
