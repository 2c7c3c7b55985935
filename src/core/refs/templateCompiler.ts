import type { ExprNode } from "./expressionAst.js";
import { lexExpression } from "./expressionLexer.js";
import { ExpressionParser, ParseError } from "./expressionParser.js";
import type { AssignTarget, Instruction } from "./instruction.js";
import { scanJinja, type ScanResult } from "./jinjaScanner.js";
import type { MacroTarget } from "./jinjaValue.js";
import { LineIndex } from "./lineIndex.js";
import { parseMacroSignature } from "./macroSignature.js";
import { recoverCallSites } from "./recoverCallSites.js";
import type { Token } from "./token.js";

export type LocalMacro = Extract<MacroTarget, { kind: "local" }>;

/** A template compiled to a flat instruction list (see `Instruction`). */
export interface Program {
  /** The text that all node offsets point into. */
  source: string;
  instructions: Instruction[];
  /** Macros defined inside this template, callable from anywhere in it. */
  macros: Map<string, LocalMacro>;
  warnings: string[];
}

type ForInstruction = Extract<Instruction, { op: "for" }>;
type BlockKind = "if" | "for" | "macro" | "set" | "call" | "with";

interface OpenBlock {
  kind: BlockKind;
  open: number;
  forInstruction?: ForInstruction;
  forStart?: number;
  forElse?: Extract<Instruction, { op: "forelse" }>;
  jump?: Extract<Instruction, { op: "jump" }>;
  macro?: LocalMacro;
  target?: AssignTarget;
  /** The if's latest branch instruction, whose `next` the following branch tag fills in. */
  branch?: Extract<Instruction, { op: "if" | "elif" | "else" }>;
}

type BranchInstruction = Extract<Instruction, { op: "if" | "elif" | "else" }>;

const END_TAGS = new Map<string, BlockKind>([
  ["endif", "if"],
  ["endfor", "for"],
  ["endmacro", "macro"],
  ["endset", "set"],
  ["endcall", "call"],
  ["endwith", "with"],
]);

/**
 * Compiles a dbt template into instructions. Block structure is matched here, once, with a stack:
 * stray end tags are ignored and unclosed blocks are closed at the end of the text, each with a
 * warning, so that the interpreter only ever sees well-formed structure.
 */
export function compileTemplate(source: string, prepared?: { lines: LineIndex; scan: ScanResult }): Program {
  return new Compiler(source, prepared?.lines ?? new LineIndex(source)).compile(prepared?.scan);
}

class Compiler {
  private readonly lines: LineIndex;
  private readonly out: Instruction[] = [];
  private readonly stack: OpenBlock[] = [];
  private readonly macros = new Map<string, LocalMacro>();
  private readonly warnings: string[] = [];
  /** Open `{% set x %}` blocks. */
  private capturing = 0;

  constructor(
    private readonly source: string,
    lines: LineIndex,
  ) {
    this.lines = lines;
  }

  /** `scan`: the template's `scanJinja` result, when the caller already has it. */
  compile(scan: ScanResult = scanJinja(this.source, this.lines)): Program {
    this.warnings.push(...scan.warnings);
    let textFrom = 0;
    let trimFollowing = false;
    for (const segment of scan.segments) {
      // Text only matters where it is captured: inside `{% set x %}...{% endset %}`; `{%-` and
      // `-%}` strip the whitespace next to them, as in Jinja.
      if (this.capturing > 0) this.pushText(textFrom, segment.open, trimFollowing, this.source[segment.open + 2] === "-");
      textFrom = closeOf(this.source, segment);
      trimFollowing = this.source[segment.end] === "-";
      const tokens = lexExpression(this.source, segment.start, segment.end);
      if (segment.kind === "expression") {
        const node = this.parseRest(new ExpressionParser(tokens), tokens, (p) => p.parseTuple());
        if (node !== null) this.out.push({ op: "eval", node, output: true });
        else if (this.capturing > 0) this.out.push({ op: "text", from: -1, to: -1 });
      } else {
        this.compileTag(tokens, segment.open);
      }
    }
    const unclosed = this.stack.length;
    if (unclosed > 0) {
      const first = this.stack[0] as OpenBlock;
      this.warnings.push(`${unclosed} unclosed block(s), the first {% ${first.kind} %} at line ${this.lines.lineAt(first.open)}`);
      while (this.stack.length > 0) this.finish(this.stack.pop() as OpenBlock, true);
    }
    return { source: this.source, instructions: this.out, macros: this.macros, warnings: this.warnings };
  }

  /**
   * Runs `parse` on the tokens from the parser's position and requires it to use them all. On
   * failure the same tokens go through call-site recovery and null is returned.
   */
  private parseRest<T>(p: ExpressionParser, tokens: Token[], parse: (p: ExpressionParser) => T): T | null {
    const from = p.pos;
    if (p.atEnd()) return null;
    try {
      const result = parse(p);
      if (!p.atEnd()) p.fail(`unexpected '${p.peek().value}'`);
      return result;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      recoverCallSites(tokens, from, this.source, this.out);
      return null;
    }
  }

  private compileTag(tokens: Token[], open: number): void {
    const p = new ExpressionParser(tokens);
    if (!p.isName()) {
      recoverCallSites(tokens, 0, this.source, this.out);
      return;
    }
    const tag = p.next().value;
    const endOf = END_TAGS.get(tag);
    if (endOf !== undefined) {
      this.close(endOf, open);
      return;
    }
    switch (tag) {
      case "if": {
        const cond = this.parseRest(p, tokens, (q) => q.parseTuple());
        const branch: BranchInstruction = { op: "if", cond, next: -1 };
        this.stack.push({ kind: "if", open, branch });
        this.out.push(branch);
        return;
      }
      case "elif": {
        const top = this.top();
        if (top?.kind !== "if") {
          this.warnAt("{% elif %} outside {% if %}", open);
          return;
        }
        const cond = this.parseRest(p, tokens, (q) => q.parseTuple());
        this.nextBranch(top, { op: "elif", cond, next: -1 });
        return;
      }
      case "else":
        this.compileElse(open);
        return;
      case "for":
        this.compileFor(p, tokens, open);
        return;
      case "set":
        this.compileSet(p, tokens, open);
        return;
      case "macro":
        this.compileMacro(p, tokens, open);
        return;
      case "call":
        this.stack.push({ kind: "call", open });
        this.compileCall(p, tokens);
        return;
      case "with":
        this.stack.push({ kind: "with", open });
        this.out.push({ op: "scope" });
        this.compileWith(p, tokens);
        return;
      default: {
        // Other tags (do, filter, snapshot, materialization, ...) may still hold calls.
        const node = this.parseRest(p, tokens, (q) => q.parseTuple());
        if (node !== null) this.out.push({ op: "eval", node });
      }
    }
  }

  private compileElse(open: number): void {
    const top = this.top();
    if (top?.kind === "if") {
      this.nextBranch(top, { op: "else", next: -1 });
    } else if (top?.kind === "for" && top.forInstruction !== undefined && top.forElse === undefined) {
      top.forInstruction.elseAt = this.out.length;
      top.forElse = { op: "forelse", end: -1 };
      this.out.push(top.forElse);
    } else {
      this.warnAt("{% else %} outside {% if %} or {% for %}", open);
    }
  }

  private compileFor(p: ExpressionParser, tokens: Token[], open: number): void {
    const target = this.tryParse(() => parseAssignTarget(p));
    let iter: ExprNode | null = null;
    let filter: ExprNode | null = null;
    if (target !== null && p.isName("in")) {
      p.next();
      [iter, filter] = this.parseRest(p, tokens, (q) => {
        const it = q.parseTuple(true);
        const cond = q.skipName("if") ? q.parseExpression() : null;
        if (q.isName("recursive")) q.next();
        return [it, cond] as const;
      }) ?? [null, null];
    } else {
      recoverCallSites(tokens, 0, this.source, this.out);
    }
    const instruction: ForInstruction = { op: "for", target, iter, filter, elseAt: -1, end: -1 };
    this.stack.push({ kind: "for", open, forInstruction: instruction, forStart: this.out.length });
    this.out.push(instruction);
  }

  private compileSet(p: ExpressionParser, tokens: Token[], open: number): void {
    const target = this.tryParse(() => parseAssignTarget(p));
    if (target === null) {
      recoverCallSites(tokens, 0, this.source, this.out);
      return;
    }
    if (p.skipOp("=")) {
      this.out.push({ op: "set", target, node: this.parseRest(p, tokens, (q) => q.parseTuple()) });
    } else {
      // `{% set x %}...{% endset %}` (optionally `{% set x | filter %}`): the body is rendered text.
      let filter: string | null = null;
      if (p.skipOp("|")) filter = p.isName() && p.peek(1).type === "eof" ? p.next().value : "?";
      else if (!p.atEnd()) filter = "?";
      this.stack.push({ kind: "set", open, target });
      this.capturing++;
      this.out.push({ op: "capture", filter });
    }
  }

  private compileMacro(p: ExpressionParser, tokens: Token[], open: number): void {
    const signature = this.tryParse(() => parseMacroSignature(p, this.source));
    const jump: Extract<Instruction, { op: "jump" }> = { op: "jump", to: -1 };
    this.out.push(jump);
    const block: OpenBlock = { kind: "macro", open, jump };
    if (signature === null) {
      this.warnAt("unreadable {% macro %} signature", open);
      recoverCallSites(tokens, 0, this.source, this.out);
    } else {
      block.macro = { kind: "local", name: signature.name, params: signature.params, from: this.out.length, to: -1 };
      if (!this.macros.has(signature.name)) this.macros.set(signature.name, block.macro);
    }
    this.stack.push(block);
  }

  private compileCall(p: ExpressionParser, tokens: Token[]): void {
    const node = this.parseRest(p, tokens, (q) => {
      // `{% call(row) my_macro(...) %}`: the caller's own parameters come first.
      if (q.isOp("(")) q.parseCallArgs(q.peek().start);
      return q.parseExpression();
    });
    if (node !== null) this.out.push({ op: "eval", node });
  }

  private compileWith(p: ExpressionParser, tokens: Token[]): void {
    const assignments = this.parseRest(p, tokens, (q) => {
      const pairs: { target: AssignTarget; node: ExprNode }[] = [];
      while (!q.atEnd()) {
        const target = parseAssignTarget(q);
        q.expectOp("=");
        pairs.push({ target, node: q.parseExpression() });
        if (!q.skipOp(",")) break;
      }
      return pairs;
    });
    for (const { target, node } of assignments ?? []) this.out.push({ op: "set", target, node });
  }

  private close(kind: BlockKind, open: number): void {
    let index = this.stack.length - 1;
    while (index >= 0 && (this.stack[index] as OpenBlock).kind !== kind) index--;
    if (index < 0) {
      this.warnAt(`{% end${kind} %} without {% ${kind} %}`, open);
      return;
    }
    if (index < this.stack.length - 1) this.warnAt(`{% end${kind} %} closes blocks left open`, open);
    while (this.stack.length > index + 1) this.finish(this.stack.pop() as OpenBlock, true);
    this.finish(this.stack.pop() as OpenBlock, false);
  }

  /** Emits the end of a block; `unclosed` when its end tag is missing and the close is ours. */
  private finish(block: OpenBlock, unclosed: boolean): void {
    switch (block.kind) {
      case "if":
        if (block.branch !== undefined) block.branch.next = this.out.length;
        this.out.push({ op: "endif" });
        return;
      case "for": {
        const end = this.out.length;
        this.out.push({ op: "endfor", start: block.forStart ?? end });
        if (block.forInstruction !== undefined) block.forInstruction.end = end;
        if (block.forElse !== undefined) block.forElse.end = end;
        return;
      }
      case "macro":
        if (block.macro !== undefined) block.macro.to = this.out.length;
        this.out.push({ op: "endmacro" });
        // A macro left open would hide the rest of the file; run its body in place instead, so
        // refs after the broken tag are still seen.
        if (block.jump !== undefined) block.jump.to = unclosed ? -1 : this.out.length;
        return;
      case "set":
        this.capturing--;
        if (block.target !== undefined) this.out.push({ op: "endset", target: block.target });
        return;
      case "with":
        this.out.push({ op: "endscope" });
        return;
      case "call":
        return;
    }
  }

  /** An elif/else: the previous branch's false condition leads here. */
  private nextBranch(block: OpenBlock, branch: BranchInstruction): void {
    if (block.branch !== undefined) block.branch.next = this.out.length;
    block.branch = branch;
    this.out.push(branch);
  }

  /** Text between segments; `from`..`to` with the whitespace-control trimming applied. */
  private pushText(from: number, to: number, trimStart: boolean, trimEnd: boolean): void {
    const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";
    if (trimStart) while (from < to && isSpace(this.source[from])) from++;
    if (trimEnd) while (to > from && isSpace(this.source[to - 1])) to--;
    if (to > from) this.out.push({ op: "text", from, to });
  }

  private tryParse<T>(parse: () => T): T | null {
    try {
      return parse();
    } catch (error) {
      if (error instanceof ParseError) return null;
      throw error;
    }
  }

  private top(): OpenBlock | undefined {
    return this.stack[this.stack.length - 1];
  }

  private warnAt(message: string, offset: number): void {
    this.warnings.push(`${message} at line ${this.lines.lineAt(offset)}`);
  }
}

/** Offset just after a segment's closing `}}` / `%}` (the end of text when it is not closed). */
function closeOf(source: string, segment: { end: number }): number {
  let at = segment.end;
  if (source[at] === "-" || source[at] === "+") at++;
  return Math.min(source.length, at + 2);
}

/** `x`, `a, b`, `(a, b)`, `ns.attr`: the left side of `set`, `for` and `with`. */
function parseAssignTarget(p: ExpressionParser, depth = 0): AssignTarget {
  if (depth > 20) p.fail("assignment target nested too deeply");
  const first = parseTargetItem(p, depth);
  if (!p.isOp(",")) return first;
  const items = [first];
  while (p.skipOp(",")) {
    if (!p.isName() && !p.isOp("(")) break;
    items.push(parseTargetItem(p, depth));
  }
  return { type: "tuple", items };
}

function parseTargetItem(p: ExpressionParser, depth: number): AssignTarget {
  if (p.skipOp("(")) {
    const inner = parseAssignTarget(p, depth + 1);
    p.expectOp(")");
    return inner.type === "tuple" ? inner : { type: "tuple", items: [inner] };
  }
  const name = p.expectName().value;
  if (p.isOp(".") && p.isName(undefined, 1)) {
    p.next();
    return { type: "attr", object: name, name: p.next().value };
  }
  return { type: "name", name };
}
