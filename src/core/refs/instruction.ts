import type { ExprNode } from "./expressionAst.js";

/** Where a `{% set %}` or `{% for %}` puts its values. */
export type AssignTarget =
  | { type: "name"; name: string }
  | { type: "tuple"; items: AssignTarget[] }
  | { type: "attr"; object: string; name: string };

/**
 * One step of a compiled template. Templates become flat instruction lists (not trees) so that the
 * interpreter runs with an explicit stack: ten thousand nested `{% if %}` cost no recursion.
 */
export type Instruction =
  /** Evaluate for its effects (the refs it calls): `{{ }}`, `{% do %}`, macro calls, unknown tags. */
  | { op: "eval"; node: ExprNode }
  /** A ref/source call that could not be parsed: reported as dynamic with its text. */
  | { op: "hint"; call: "ref" | "source"; text: string; at: number }
  | { op: "set"; target: AssignTarget; node: ExprNode | null }
  /** End of `{% set x %}...{% endset %}`: x holds rendered text the evaluator does not know. */
  | { op: "endset"; target: AssignTarget }
  | { op: "if"; cond: ExprNode | null }
  | { op: "elif"; cond: ExprNode | null }
  | { op: "else" }
  | { op: "endif" }
  | { op: "for"; target: AssignTarget | null; iter: ExprNode | null; filter: ExprNode | null; elseAt: number; end: number }
  | { op: "forelse"; end: number }
  | { op: "endfor"; start: number }
  /** `{% with %}` opens a scope whose assignments end at `endscope`. */
  | { op: "scope" }
  | { op: "endscope" }
  /** Skips a `{% macro %}` body, which only runs when called (-1: do not skip, run it in place). */
  | { op: "jump"; to: number }
  | { op: "endmacro" };
