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
  // Closures were allocated per call before; plain loops push the same children in the same order.
  const nodes: ExprNode[] = [root];
  const depths: number[] = [1];
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
        for (const item of node.items) {
          nodes.push(item);
          depths.push(next);
        }
        break;
      case "dict":
        for (const entry of node.entries) {
          nodes.push(entry.key, entry.value);
          depths.push(next, next);
        }
        break;
      case "attr":
        nodes.push(node.object);
        depths.push(next);
        break;
      case "index":
        nodes.push(node.object);
        depths.push(next);
        if (node.index !== null) {
          nodes.push(node.index);
          depths.push(next);
        }
        break;
      case "call":
        nodes.push(node.callee);
        depths.push(next);
        pushArgs(node, next, nodes, depths);
        break;
      case "filter":
      case "test":
        nodes.push(node.subject);
        depths.push(next);
        pushArgs(node, next, nodes, depths);
        break;
      case "unary":
        nodes.push(node.operand);
        depths.push(next);
        break;
      case "chain":
        for (const operand of node.operands) {
          nodes.push(operand);
          depths.push(next);
        }
        break;
      case "cond":
        nodes.push(node.then, node.test);
        depths.push(next, next);
        if (node.otherwise !== null) {
          nodes.push(node.otherwise);
          depths.push(next);
        }
        break;
    }
  }
  return true;
}

function pushArgs(node: CallArgs, depth: number, nodes: ExprNode[], depths: number[]): void {
  for (const arg of node.args) {
    nodes.push(arg);
    depths.push(depth);
  }
  for (const kwarg of node.kwargs) {
    nodes.push(kwarg.value);
    depths.push(depth);
  }
  for (const splat of node.splats) {
    nodes.push(splat);
    depths.push(depth);
  }
}
