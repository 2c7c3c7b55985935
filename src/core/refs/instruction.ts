import type { ExprNode } from "./expressionAst.js";

/** Where a `{% set %}` or `{% for %}` puts its values. */
export type AssignTarget = { type: "name"; name: string } | { type: "tuple"; items: AssignTarget[] } | { type: "attr"; object: string; name: string };

/**
 * One step of a compiled template. Templates become flat instruction lists (not trees) so that the
 * interpreter runs with an explicit stack: ten thousand nested `{% if %}` cost no recursion.
 */
export type Instruction =
  /** Evaluate for its effects (the refs it calls): `{{ }}`, `{% do %}`, macro calls, unknown tags. */
  | { op: "eval"; node: ExprNode; output?: true }
  /** Plain template text inside a `{% set x %}...{% endset %}` block (offsets into the source; -1: text not known). */
  | { op: "text"; from: number; to: number }
  /** Start of `{% set x %}...{% endset %}`: what follows is rendered into x. */
  | { op: "capture"; filter: string | null }
  /** A ref/source call that could not be parsed: reported as dynamic with its text. */
  | { op: "hint"; call: "ref" | "source"; text: string; at: number }
  | { op: "set"; target: AssignTarget; node: ExprNode | null }
  /** End of `{% set x %}...{% endset %}`: x holds the rendered text when it is known. */
  | { op: "endset"; target: AssignTarget }
  /** `next`: the index of the branch's following elif/else/endif (where a false condition goes). */
  | { op: "if"; cond: ExprNode | null; next: number }
  | { op: "elif"; cond: ExprNode | null; next: number }
  | { op: "else"; next: number }
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
