import type { DependencyCollector } from "./dependencyCollector.js";
import { Evaluator, type EvaluatorOptions, type Frame } from "./evaluator.js";
import type { AssignTarget, Instruction } from "./instruction.js";
import { UNKNOWN, num, oneOf, optionsOf, str, toText, truth, type Value } from "./jinjaValue.js";
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
  /** Some branch surely runs (an else, or a condition known true): the names' old values are gone. */
  exhaustive: boolean;
  /** A branch whose condition is known true ran: the rest are skipped. */
  done: boolean;
  /** A branch is running (its assignments are logged). */
  open: boolean;
  /** A condition could not be decided: later branches may or may not run. */
  undecided: boolean;
  /** The running branch may not run in dbt (counted in the collector's `conditional`). */
  uncertain: boolean;
}

/** `{% set x %}...{% endset %}` being rendered: the text so far, or null once it cannot be known. */
interface Capture {
  text: string | null;
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
  /** The body may run or not (unknown iterable, or a filter that cannot be decided). */
  uncertain: boolean;
}

type Block = IfBlock | ForBlock | { kind: "scope" } | { kind: "capture"; capture: Capture; filter: string | null };

const MAX_CAPTURE = 65_536;

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
    this.evaluator = new Evaluator({
      ...options,
      runBody: (program, from, to, frame) => {
        // A macro's output is its call's value, not text written where the call is: the captures
        // around the call see only that value.
        const outer = this.captures.splice(0);
        try {
          this.run(program, from, to, frame);
        } finally {
          this.captures.push(...outer);
        }
      },
    });
  }

  run(program: Program, from: number, to: number, frame: Frame): void {
    const blocks: Block[] = [];
    const { scope } = frame;
    let pc = from;
    while (pc < to) {
      // A `return()` that surely ran ends the macro, as in dbt.
      if (frame.returned === true) break;
      this.collector.step();
      const instruction = program.instructions[pc] as Instruction;
      const top = blocks[blocks.length - 1];
      switch (instruction.op) {
        case "eval": {
          const value = this.evaluator.eval(instruction.node, frame);
          if (instruction.output === true && this.captures.length > 0) this.write(toText(value));
          break;
        }
        case "text":
          if (this.captures.length > 0) this.write(instruction.from < 0 ? null : frame.source.slice(instruction.from, instruction.to));
          break;
        case "capture": {
          const capture: Capture = { text: "" };
          blocks.push({ kind: "capture", capture, filter: instruction.filter });
          this.captures.push(capture);
          break;
        }
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
        case "endset": {
          let value: Value = UNKNOWN;
          if (top?.kind === "capture") {
            blocks.pop();
            this.captures.pop();
            value = capturedValue(top.capture, top.filter);
          }
          this.assign(instruction.target, value, frame);
          break;
        }
        case "if": {
          const block: IfBlock = { kind: "if", results: new Map(), originals: new Map(), branches: 0, exhaustive: false, done: false, open: false, undecided: false, uncertain: false };
          blocks.push(block);
          const decided = instruction.cond === null ? null : truth(this.evaluator.eval(instruction.cond, frame));
          if (decided === false) {
            pc = Math.max(pc + 1, instruction.next);
            continue;
          }
          this.openBranch(block, decided, frame);
          break;
        }
        case "elif":
        case "else": {
          if (top?.kind !== "if") break;
          if (top.open) this.endBranch(top, frame);
          if (top.done) {
            pc = Math.max(pc + 1, instruction.next);
            continue;
          }
          const decided = instruction.op === "else" ? true : instruction.cond === null ? null : truth(this.evaluator.eval(instruction.cond, frame));
          if (decided === false) {
            pc = Math.max(pc + 1, instruction.next);
            continue;
          }
          this.openBranch(top, decided, frame);
          break;
        }
        case "endif":
          if (top?.kind !== "if") break;
          if (top.open) this.endBranch(top, frame);
          blocks.pop();
          this.mergeBranches(top, frame);
          break;
        case "for": {
          const iterable = instruction.iter === null ? UNKNOWN : this.evaluator.eval(instruction.iter, frame);
          const known = iterate(iterable);
          const filtered = known === null ? null : this.filterItems(instruction, known, frame);
          const items = filtered?.items ?? null;
          const block: ForBlock = {
            kind: "for",
            instruction,
            start: pc,
            items: items ?? [UNKNOWN],
            index: 0,
            unknown: items === null,
            inElse: false,
            uncertain: items === null || filtered?.uncertain === true,
          };
          blocks.push(block);
          if (block.uncertain) this.enterUncertain();
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
            if (top.uncertain) this.leaveUncertain();
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
    // Blocks left open (a `return()` ended the macro): undo what they counted.
    for (const block of blocks) {
      if (block.kind === "if" && block.open && block.uncertain) this.leaveUncertain();
      if (block.kind === "for" && block.uncertain) this.leaveUncertain();
      if (block.kind === "capture") this.captures.pop();
    }
  }

  /** Captures (`{% set x %}` bodies) being rendered, innermost last. */
  private readonly captures: Capture[] = [];

  /** Adds rendered text to every open capture (null: text that cannot be known). */
  private write(text: string | null): void {
    for (const capture of this.captures) {
      if (capture.text === null) continue;
      capture.text = text === null || capture.text.length + text.length > MAX_CAPTURE ? null : capture.text + text;
    }
  }

  private enterUncertain(): void {
    this.collector.conditional++;
    // Output of a branch that may not run makes any capture around it unknown.
    for (const capture of this.captures) capture.text = null;
  }

  private leaveUncertain(): void {
    this.collector.conditional--;
  }

  /** Starts a branch; `decided`: its condition is known true (null: cannot be known). */
  private openBranch(block: IfBlock, decided: boolean | null, frame: Frame): void {
    if (decided === null) block.undecided = true;
    else {
      // Known true: if no earlier branch ran, this one does; the later ones never run.
      block.exhaustive = true;
      block.done = true;
    }
    block.uncertain = block.undecided;
    if (block.uncertain) this.enterUncertain();
    block.open = true;
    frame.scope.openLog();
  }

  /** The items a loop's `if` filter lets through; `uncertain` when some filter cannot be decided. */
  private filterItems(instruction: ForInstruction, items: Value[], frame: Frame): { items: Value[]; uncertain: boolean } {
    if (instruction.filter === null || instruction.target === null) return { items, uncertain: false };
    const kept: Value[] = [];
    let uncertain = false;
    for (const item of items) {
      frame.scope.openLog();
      this.assign(instruction.target, item, frame);
      const decided = truth(this.evaluator.eval(instruction.filter, frame));
      frame.scope.closeLog();
      if (decided === null) uncertain = true;
      if (decided !== false) kept.push(item);
    }
    return { items: kept, uncertain };
  }

  /** After the last iteration: run a `{% for %}...{% else %}` part when the loop may be empty. */
  private leaveLoop(block: ForBlock, blocks: Block[], frame: Frame): number {
    const { elseAt, end } = block.instruction;
    if (elseAt >= 0 && (block.unknown || block.uncertain || block.items.length === 0)) {
      block.inElse = true;
      frame.scope.openLog();
      return elseAt + 1;
    }
    blocks.pop();
    if (block.uncertain) this.leaveUncertain();
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
  }

  private endBranch(block: IfBlock, frame: Frame): void {
    const log = frame.scope.currentLog();
    block.branches++;
    block.open = false;
    if (block.uncertain) this.leaveUncertain();
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
      if ((!block.exhaustive || values.length < block.branches) && original !== undefined) values.push(original);
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
        target.items.forEach((item, i) => {
          this.assign(item, parts[i] ?? UNKNOWN, frame);
        });
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

/** The value a `{% set x %}...{% endset %}` block gives x: its text when known, after its filter. */
function capturedValue(capture: Capture, filter: string | null): Value {
  if (capture.text === null) return UNKNOWN;
  switch (filter) {
    case null:
      return str(capture.text);
    case "trim":
      return str(capture.text.trim());
    case "lower":
      return str(capture.text.toLowerCase());
    case "upper":
      return str(capture.text.toUpperCase());
    default:
      return UNKNOWN;
  }
}
