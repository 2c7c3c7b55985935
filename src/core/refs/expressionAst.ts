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

/**
 * Whether the tree is at most `limit` levels deep; iterative, so it is safe on any tree. Children
 * are pushed straight onto the stack (every top-level expression of every model passes through
 * here: building `childrenOf`'s arrays for each node was a visible share of the real-shape
 * profile). `test/core/refs/expressionAst.test.ts` holds it to the `childrenOf` walk.
 */
export function isShallow(root: ExprNode, limit: number): boolean {
  const nodes: ExprNode[] = [root];
  const depths: number[] = [1];
  const push = (node: ExprNode, depth: number): void => {
    nodes.push(node);
    depths.push(depth);
  };
  const pushAll = (list: readonly ExprNode[], depth: number): void => {
    for (const node of list) push(node, depth);
  };
  const pushArgs = (node: CallArgs, depth: number): void => {
    pushAll(node.args, depth);
    for (const kwarg of node.kwargs) push(kwarg.value, depth);
    pushAll(node.splats, depth);
  };
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) {
    const depth = depths.pop() as number;
    if (depth > limit) return false;
    const next = depth + 1;
    switch (node.type) {
      case "str":
      case "num":
      case "const":
      case "name":
        break;
      case "list":
        pushAll(node.items, next);
        break;
      case "dict":
        for (const entry of node.entries) {
          push(entry.key, next);
          push(entry.value, next);
        }
        break;
      case "attr":
        push(node.object, next);
        break;
      case "index":
        push(node.object, next);
        if (node.index !== null) push(node.index, next);
        break;
      case "call":
        push(node.callee, next);
        pushArgs(node, next);
        break;
      case "filter":
      case "test":
        push(node.subject, next);
        pushArgs(node, next);
        break;
      case "unary":
        push(node.operand, next);
        break;
      case "chain":
        pushAll(node.operands, next);
        break;
      case "cond":
        push(node.then, next);
        push(node.test, next);
        if (node.otherwise !== null) push(node.otherwise, next);
        break;
    }
  }
  return true;
}
