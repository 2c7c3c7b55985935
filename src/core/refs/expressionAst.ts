/**
 * The syntax tree of a Jinja expression. Every node keeps its source span so that unresolvable
 * arguments can be reported as written. Left-associative operator runs are kept flat (`chain`)
 * so that a long `a ~ b ~ c ~ ...` never turns into a deep tree.
 */
export type ExprNode =
  | { type: "str"; value: string; start: number; end: number }
  | { type: "num"; text: string; start: number; end: number }
  | { type: "const"; value: boolean | null; start: number; end: number }
  | { type: "name"; name: string; start: number; end: number }
  | { type: "list"; items: ExprNode[]; tuple: boolean; start: number; end: number }
  | { type: "dict"; entries: { key: ExprNode; value: ExprNode }[]; start: number; end: number }
  | { type: "attr"; object: ExprNode; name: string; start: number; end: number }
  | { type: "index"; object: ExprNode; index: ExprNode | null; start: number; end: number }
  | ({ type: "call"; callee: ExprNode } & CallArgs)
  | ({ type: "filter"; subject: ExprNode; name: string } & CallArgs)
  | ({ type: "test"; subject: ExprNode; name: string } & CallArgs)
  | { type: "unary"; op: string; operand: ExprNode; start: number; end: number }
  | { type: "chain"; operands: ExprNode[]; ops: string[]; start: number; end: number }
  | { type: "cond"; then: ExprNode; test: ExprNode; otherwise: ExprNode | null; start: number; end: number };

export interface CallArgs {
  args: ExprNode[];
  kwargs: { name: string; value: ExprNode }[];
  /** `*x` / `**x` arguments: evaluated for nested refs, but they make binding uncertain. */
  splats: ExprNode[];
  /** Span of the text between the parentheses (empty when there are none, as in `x|upper`). */
  argsStart: number;
  argsEnd: number;
  start: number;
  end: number;
}

/** Direct children of a node, in source order. */
export function childrenOf(node: ExprNode): ExprNode[] {
  switch (node.type) {
    case "str":
    case "num":
    case "const":
    case "name":
      return [];
    case "list":
      return node.items;
    case "dict":
      return node.entries.flatMap((e) => [e.key, e.value]);
    case "attr":
      return [node.object];
    case "index":
      return node.index === null ? [node.object] : [node.object, node.index];
    case "call":
      return [node.callee, ...callArgNodes(node)];
    case "filter":
    case "test":
      return [node.subject, ...callArgNodes(node)];
    case "unary":
      return [node.operand];
    case "chain":
      return node.operands;
    case "cond":
      return node.otherwise === null ? [node.then, node.test] : [node.then, node.test, node.otherwise];
  }
}

function callArgNodes(node: CallArgs): ExprNode[] {
  return [...node.args, ...node.kwargs.map((k) => k.value), ...node.splats];
}

/** Whether the tree is at most `limit` levels deep; iterative, so it is safe on any tree. */
export function isShallow(root: ExprNode, limit: number): boolean {
  const stack: [ExprNode, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > limit) return false;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return true;
}
