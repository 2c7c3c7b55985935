import { ExpressionParser, ParseError } from "./expressionParser.js";
import type { Instruction } from "./instruction.js";
import type { Token } from "./token.js";

const MAX_HINT_LENGTH = 120;

/**
 * Last resort for Jinja code the parser rejects: finds each `ref(` / `source(` in the tokens and
 * parses just that call. A call that still cannot be parsed becomes a `hint` (reported as dynamic)
 * so that broken code sends a model to "needs investigation" instead of silently dropping its refs.
 * Each attempt resumes where the previous one stopped, which keeps the whole scan linear.
 * Instructions are appended to `out` one by one (a spread of a huge array would overflow).
 */
export function recoverCallSites(tokens: Token[], from: number, source: string, out: Instruction[]): void {
  let i = from;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    const next = tokens[i + 1];
    const isCall = token.type === "name" && (token.value === "ref" || token.value === "source") && next?.type === "op" && next.value === "(";
    if (!isCall) {
      i++;
      continue;
    }
    const parser = new ExpressionParser(tokens);
    parser.pos = i;
    try {
      out.push({ op: "eval", node: parser.parseCallSite() });
      i = Math.max(i + 1, parser.pos);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      const end = (tokens[Math.max(i, error.at)] ?? token).end;
      const text = source.slice(token.start, Math.min(end, token.start + MAX_HINT_LENGTH));
      out.push({ op: "hint", call: token.value as "ref" | "source", text, at: token.start });
      // Absurd nesting (say a megabyte of `ref(`) would fail the same way at every later site;
      // one dynamic hint already marks the model, so stop here.
      if (error.tooDeep) break;
      i = Math.max(i + 1, error.at);
    }
  }
}
