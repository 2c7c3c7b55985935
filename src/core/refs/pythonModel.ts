import type { DependencyCollector } from "./dependencyCollector.js";
import type { ExprNode } from "./expressionAst.js";
import { ExpressionParser, ParseError } from "./expressionParser.js";
import { Interpreter } from "./interpreter.js";
import { LineIndex } from "./lineIndex.js";
import { lexPython } from "./pythonLexer.js";
import { Scope } from "./scope.js";
import type { Token } from "./token.js";

const DBT_CALLS = new Set(["ref", "source", "config"]);

/**
 * Reads a Python model: every `dbt.ref(...)`, `dbt.source(...)` and `dbt.config(...)` call outside
 * comments and strings. Like dbt, which requires literal arguments here, anything else is reported
 * as dynamic. Only the call itself is parsed, so the Python around it may be anything.
 */
export function extractPythonDependencies(text: string, collector: DependencyCollector): void {
  const tokens = lexPython(text);
  const lines = new LineIndex(text);
  const interpreter = new Interpreter({ collector, macros: new Map(), projectName: undefined, modelLines: lines, python: true });
  const frame = {
    program: { source: text, instructions: [], macros: new Map(), warnings: [] },
    source: text,
    scope: new Scope(),
    callLine: null,
    via: [],
  };
  for (let i = 0; i < tokens.length; i++) {
    if (!isDbtCall(tokens, i)) continue;
    const dbt = tokens[i] as Token;
    const member = tokens[i + 2] as Token;
    const parser = new ExpressionParser(tokens);
    parser.pos = i + 3;
    try {
      const callee: ExprNode = {
        type: "attr",
        object: { type: "name", name: "dbt", start: dbt.start, end: dbt.end },
        name: member.value,
        start: dbt.start,
        end: member.end,
      };
      interpreter.evaluator.eval({ type: "call", callee, ...parser.parseCallArgs(dbt.start) }, frame);
      i = parser.pos - 1;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      if (member.value !== "config") {
        const end = (tokens[Math.max(i, error.at)] ?? dbt).end;
        collector.add({
          type: "dynamic",
          call: member.value as "ref" | "source",
          expression: text
            .slice(dbt.start, Math.min(end, dbt.start + 120))
            .replace(/\s+/g, " ")
            .trim(),
          line: lines.lineAt(dbt.start),
          via: [],
        });
      }
      i = Math.max(i, error.at - 1);
    }
  }
}

/** `dbt . ref (` (or source/config), not preceded by `.` (which would make it someone else's `dbt`). */
function isDbtCall(tokens: Token[], i: number): boolean {
  const [previous, name, dot, member, open] = [tokens[i - 1], tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
  return (
    name?.type === "name" &&
    name.value === "dbt" &&
    !(previous?.type === "op" && previous.value === ".") &&
    dot?.type === "op" &&
    dot.value === "." &&
    member?.type === "name" &&
    DBT_CALLS.has(member.value) &&
    open?.type === "op" &&
    open.value === "("
  );
}
