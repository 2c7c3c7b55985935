import type { DependencyCollector } from "./dependencyCollector.js";
import { Evaluator, type EvaluatorOptions, type Frame } from "./evaluator.js";
import type { AssignTarget, Instruction } from "./instruction.js";
import { UNKNOWN, num, oneOf, optionsOf, type Value } from "./jinjaValue.js";
import type { Program } from "./templateCompiler.js";
import { iterate, unpack } from "./valueOps.js";

type ForInstruction = Extract<Instruction, { op: "for" }>;

interface IfBlock {
  kind: "if";
  /** Per name assigned in some branch: the value each such branch left. */
  results: Map<string, Value[]>;
  /** The value each of those names had before the `if`. */
  originals: Map<string, Value | undefined>;
  branches: number;
  hasElse: boolean;
}

interface ForBlock {
  kind: "for";
  instruction: ForInstruction;
  start: number;
  items: Value[];
  index: number;
  /** The iterable was not known: the body ran once with unknown loop variables. */
  unknown: boolean;
  inElse: boolean;
}

type Block = IfBlock | ForBlock | { kind: "scope" };

/**
 * Runs compiled templates with an explicit block stack. Every branch of every `{% if %}` runs (a
 * dependency in any branch counts), and names assigned in branches afterwards hold every value the
 * branches gave them. Loops over known lists run once per item; loops over unknown values run once
 * with unknown loop variables, so refs built from them come out dynamic.
 */
export class Interpreter {
  readonly evaluator: Evaluator;
  private readonly collector: DependencyCollector;

  constructor(options: Omit<EvaluatorOptions, "runBody">) {
    this.collector = options.collector;
    this.evaluator = new Evaluator({ ...options, runBody: (program, from, to, frame) => this.run(program, from, to, frame) });
  }

  run(program: Program, from: number, to: number, frame: Frame): void {
    const blocks: Block[] = [];
    const { scope } = frame;
    let pc = from;
    while (pc < to) {
      this.collector.step();
      const instruction = program.instructions[pc] as Instruction;
      const top = blocks[blocks.length - 1];
      switch (instruction.op) {
        case "eval":
          this.evaluator.eval(instruction.node, frame);
          break;
        case "hint":
          this.collector.add({
            type: "dynamic",
            call: instruction.call,
            expression: instruction.text.replace(/\s+/g, " ").trim(),
            line: frame.callLine ?? this.evaluator.lineOf(instruction.at),
            via: frame.via,
          });
          break;
        case "set":
          this.assign(instruction.target, instruction.node === null ? UNKNOWN : this.evaluator.eval(instruction.node, frame), frame);
          break;
        case "endset":
          this.assign(instruction.target, UNKNOWN, frame);
          break;
        case "if":
          if (instruction.cond !== null) this.evaluator.eval(instruction.cond, frame);
          blocks.push({ kind: "if", results: new Map(), originals: new Map(), branches: 0, hasElse: false });
          scope.openLog();
          break;
        case "elif":
        case "else":
          if (top?.kind !== "if") break;
          this.endBranch(top, frame);
          if (instruction.op === "elif" && instruction.cond !== null) this.evaluator.eval(instruction.cond, frame);
          if (instruction.op === "else") top.hasElse = true;
          scope.openLog();
          break;
        case "endif":
          if (top?.kind !== "if") break;
          this.endBranch(top, frame);
          blocks.pop();
          this.mergeBranches(top, frame);
          break;
        case "for": {
          const iterable = instruction.iter === null ? UNKNOWN : this.evaluator.eval(instruction.iter, frame);
          const items = iterate(iterable);
          const block: ForBlock = {
            kind: "for",
            instruction,
            start: pc,
            items: items ?? [UNKNOWN],
            index: 0,
            unknown: items === null,
            inElse: false,
          };
          blocks.push(block);
          if (block.items.length === 0) {
            pc = this.leaveLoop(block, blocks, frame);
            continue;
          }
          scope.openLog();
          this.bindIteration(block, frame);
          break;
        }
        case "forelse":
        case "endfor":
          if (top?.kind !== "for") break;
          scope.closeLog();
          if (top.inElse) {
            blocks.pop();
            pc = top.instruction.end + 1;
            continue;
          }
          if (++top.index < top.items.length) {
            scope.openLog();
            this.bindIteration(top, frame);
            pc = top.start + 1;
          } else {
            pc = this.leaveLoop(top, blocks, frame);
          }
          continue;
        case "scope":
          blocks.push({ kind: "scope" });
          scope.openLog();
          break;
        case "endscope":
          if (top?.kind !== "scope") break;
          blocks.pop();
          scope.closeLog();
          break;
        case "jump":
          pc = Math.max(pc + 1, instruction.to);
          continue;
        case "endmacro":
          break;
      }
      pc++;
    }
  }

  /** After the last iteration: run a `{% for %}...{% else %}` part when the loop may be empty. */
  private leaveLoop(block: ForBlock, blocks: Block[], frame: Frame): number {
    const { elseAt, end } = block.instruction;
    if (elseAt >= 0 && (block.unknown || block.items.length === 0)) {
      block.inElse = true;
      frame.scope.openLog();
      return elseAt + 1;
    }
    blocks.pop();
    return end + 1;
  }

  private bindIteration(block: ForBlock, frame: Frame): void {
    const item = block.items[block.index] ?? UNKNOWN;
    if (block.instruction.target !== null) this.assign(block.instruction.target, item, frame);
    const length = block.items.length;
    const i = block.index;
    frame.scope.set(
      "loop",
      block.unknown
        ? UNKNOWN
        : {
            kind: "dict",
            entries: new Map<string, Value>([
              ["index", num(i + 1)],
              ["index0", num(i)],
              ["revindex", num(length - i)],
              ["revindex0", num(length - i - 1)],
              ["first", { kind: "bool", value: i === 0 }],
              ["last", { kind: "bool", value: i === length - 1 }],
              ["length", num(length)],
            ]),
          },
    );
    if (block.instruction.filter !== null) this.evaluator.eval(block.instruction.filter, frame);
  }

  private endBranch(block: IfBlock, frame: Frame): void {
    const log = frame.scope.currentLog();
    block.branches++;
    if (log !== undefined) {
      for (const [name, original] of log) {
        const values = block.results.get(name) ?? [];
        values.push(frame.scope.get(name) ?? UNKNOWN);
        block.results.set(name, values);
        if (!block.originals.has(name)) block.originals.set(name, original);
      }
    }
    frame.scope.closeLog();
  }

  /** A name assigned in some branches holds any of the values it may have after the `if`. */
  private mergeBranches(block: IfBlock, frame: Frame): void {
    for (const [name, values] of block.results) {
      const original = block.originals.get(name);
      if ((!block.hasElse || values.length < block.branches) && original !== undefined) values.push(original);
      frame.scope.set(name, oneOf(values));
    }
  }

  private assign(target: AssignTarget, value: Value, frame: Frame): void {
    switch (target.type) {
      case "name":
        frame.scope.set(target.name, value);
        return;
      case "tuple": {
        const parts = unpack(value, target.items.length);
        target.items.forEach((item, i) => this.assign(item, parts[i] ?? UNKNOWN, frame));
        return;
      }
      case "attr":
        // `{% set ns.x = ... %}` writes into a namespace object, which outlives the block.
        for (const option of optionsOf(frame.scope.get(target.object) ?? UNKNOWN)) {
          if (option.kind === "dict") option.entries.set(target.name, value);
        }
    }
  }
}
