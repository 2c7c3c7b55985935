import type { MacroDefinition, MacroIndex } from "../types.js";
import { compileMacroBody } from "./compileMacroBody.js";
import type { DependencyCollector } from "./dependencyCollector.js";
import type { CallArgs, ExprNode } from "./expressionAst.js";
import { lexExpression } from "./expressionLexer.js";
import { ExpressionParser, ParseError } from "./expressionParser.js";
import { NONE, UNKNOWN, num, oneOf, str, toPlain, toText, type MacroTarget, type Value } from "./jinjaValue.js";
import type { LineIndex } from "./lineIndex.js";
import { refDependencies, sourceDependencies, type CallSite } from "./refArguments.js";
import { Scope } from "./scope.js";
import type { Program } from "./templateCompiler.js";
import { attribute, binary, filter, method, range, subscript } from "./valueOps.js";

/** Where evaluation currently is: the model itself, or a macro called (directly or not) from it. */
export interface Frame {
  program: Program;
  /** The text node offsets point into (the model, a macro body, a parameter default). */
  source: string;
  scope: Scope;
  /** Line of the outermost macro call in the model; null while evaluating the model itself. */
  callLine: number | null;
  /** Macros entered to get here, outermost first. */
  via: string[];
  /** Values passed to dbt's `return()` in the macro being evaluated (absent for the model). */
  returns?: Value[];
}

export interface EvaluatorOptions {
  collector: DependencyCollector;
  macros: MacroIndex;
  projectName: string | undefined;
  modelLines: LineIndex;
  /** Python models: only `dbt.ref`/`dbt.source`/`dbt.config` mean anything. */
  python: boolean;
  /** Runs instructions `from` to `to` of a program (the interpreter's loop). */
  runBody: (program: Program, from: number, to: number, frame: Frame) => void;
}

/** Macro calls nested deeper than this are not followed (a warning says so). */
const MAX_MACRO_DEPTH = 8;
const ALWAYS_BUILTIN = new Set(["ref", "source", "config"]);
const SHADOWABLE_BUILTIN = new Set(["namespace", "dict", "range", "return"]);

type CallNode = Extract<ExprNode, { type: "call" }>;
type Callee = { value: Value } | { object: Value; method: string };

/**
 * Evaluates Jinja expressions over the static value model (`Value`). Its purpose is not to render
 * but to see every `ref()`/`source()` call with the best-known values of its arguments, including
 * calls made inside project macros, which it enters with the call's arguments bound.
 */
export class Evaluator {
  private readonly defaults = new Map<string, ExprNode | null>();
  private readonly dispatchCache = new Map<string, MacroDefinition[]>();

  constructor(private readonly options: EvaluatorOptions) {}

  /** Line in the model file of an offset into the model's own text. */
  lineOf(offset: number): number {
    return this.options.modelLines.lineAt(offset);
  }

  eval(node: ExprNode, f: Frame): Value {
    this.options.collector.step();
    switch (node.type) {
      case "str":
        return str(node.value);
      case "num":
        return num(Number(node.text), node.text);
      case "const":
        return node.value === null ? NONE : { kind: "bool", value: node.value };
      case "name":
        return this.lookup(node.name, f);
      case "list":
        return { kind: "list", items: node.items.map((item) => this.eval(item, f)) };
      case "dict": {
        const entries = new Map<string, Value>();
        for (const entry of node.entries) {
          const key = toText(this.eval(entry.key, f));
          const value = this.eval(entry.value, f);
          if (key !== null) entries.set(key, value);
        }
        return { kind: "dict", entries };
      }
      case "attr":
        return this.qualified(node, f) ?? attribute(this.eval(node.object, f), node.name);
      case "index":
        return node.index === null
          ? (this.eval(node.object, f), UNKNOWN)
          : subscript(this.eval(node.object, f), this.eval(node.index, f));
      case "call":
        return this.call(node, f);
      case "filter": {
        const subject = this.eval(node.subject, f);
        return filter(node.name, subject, this.evalArgs(node, f).args);
      }
      case "test":
        this.eval(node.subject, f);
        this.evalArgs(node, f);
        return UNKNOWN;
      case "unary": {
        const operand = this.eval(node.operand, f);
        if (node.op === "-" && operand.kind === "num") return num(-operand.value, `-${operand.text}`);
        return node.op === "+" ? operand : UNKNOWN;
      }
      case "chain": {
        // Every operand is evaluated, even after a short-circuiting `and`/`or`: a ref on either
        // side is a dependency.
        const values = node.operands.map((operand) => this.eval(operand, f));
        let result = values[0] ?? UNKNOWN;
        node.ops.forEach((op, i) => (result = binary(op, result, values[i + 1] ?? UNKNOWN)));
        return result;
      }
      case "cond": {
        const then = this.eval(node.then, f);
        this.eval(node.test, f);
        return oneOf([then, node.otherwise === null ? UNKNOWN : this.eval(node.otherwise, f)]);
      }
    }
  }

  private lookup(name: string, f: Frame): Value {
    const local = f.scope.get(name);
    if (local !== undefined) return local;
    if (this.options.python) return UNKNOWN;
    if (ALWAYS_BUILTIN.has(name)) return { kind: "builtin", name };
    const localMacro = f.program.macros.get(name);
    if (localMacro !== undefined) return { kind: "macro", name, targets: [localMacro] };
    const definition = this.options.macros.get(name);
    if (definition !== undefined) return { kind: "macro", name, targets: [{ kind: "project", definition }] };
    return SHADOWABLE_BUILTIN.has(name) ? { kind: "builtin", name } : UNKNOWN;
  }

  /** `pkg.macro`, `project.macro`, `builtins.ref`, `adapter.dispatch`, and in Python `dbt.ref`. */
  private qualified(node: Extract<ExprNode, { type: "attr" }>, f: Frame): Value | null {
    if (node.object.type !== "name" || f.scope.has(node.object.name)) return null;
    const owner = node.object.name;
    if (this.options.python) {
      return owner === "dbt" && ALWAYS_BUILTIN.has(node.name) ? { kind: "builtin", name: node.name } : null;
    }
    if (owner === "builtins" && ALWAYS_BUILTIN.has(node.name)) return { kind: "builtin", name: node.name };
    if (owner === "adapter" && node.name === "dispatch") return { kind: "builtin", name: "adapter.dispatch" };
    const { macros, projectName } = this.options;
    const definition = macros.get(`${owner}.${node.name}`) ?? (owner === projectName ? macros.get(node.name) : undefined);
    return definition === undefined ? null : { kind: "macro", name: node.name, targets: [{ kind: "project", definition }] };
  }

  private evalArgs(node: CallArgs, f: Frame): { args: Value[]; kwargs: Map<string, Value>; hasSplat: boolean } {
    const args = node.args.map((arg) => this.eval(arg, f));
    const kwargs = new Map<string, Value>();
    for (const kwarg of node.kwargs) kwargs.set(kwarg.name, this.eval(kwarg.value, f));
    for (const splat of node.splats) this.eval(splat, f);
    return { args, kwargs, hasSplat: node.splats.length > 0 };
  }

  private call(node: CallNode, f: Frame): Value {
    const callee = this.callee(node.callee, f);
    const { args, kwargs, hasSplat } = this.evalArgs(node, f);
    if ("method" in callee) return method(callee.object, callee.method, args);
    const fn = callee.value;
    if (fn.kind === "macro") {
      const returned = fn.targets.map((target) => this.invoke(target, node, args, kwargs, f));
      return oneOf(returned);
    }
    if (fn.kind !== "builtin") return UNKNOWN;
    const site: CallSite = {
      args,
      kwargs,
      hasSplat,
      argsText: f.source.slice(node.argsStart, node.argsEnd),
      line: f.callLine ?? this.options.modelLines.lineAt(node.start),
      via: f.via,
    };
    switch (fn.name) {
      case "ref":
        for (const dependency of refDependencies(site)) this.options.collector.add(dependency);
        return UNKNOWN;
      case "source":
        for (const dependency of sourceDependencies(site)) this.options.collector.add(dependency);
        return UNKNOWN;
      case "config":
        // Later calls override earlier keys; only literal values are kept.
        for (const [key, value] of kwargs) {
          const plain = toPlain(value);
          if (plain !== undefined) this.options.collector.setConfig(key, plain);
        }
        return str("");
      case "namespace":
      case "dict":
        return { kind: "dict", entries: new Map([...(args[0]?.kind === "dict" ? args[0].entries : []), ...kwargs]) };
      case "range":
        return range(args);
      case "adapter.dispatch":
        return this.dispatch(args[0]);
      case "return":
        // Every branch runs, so a macro may "return" several times: the caller sees any of them.
        f.returns?.push(args[0] ?? NONE);
        return str("");
      default:
        return UNKNOWN;
    }
  }

  private callee(node: ExprNode, f: Frame): Callee {
    if (node.type !== "attr") return { value: this.eval(node, f) };
    const special = this.qualified(node, f);
    if (special !== null) return { value: special };
    return { object: this.eval(node.object, f), method: node.name };
  }

  /**
   * `adapter.dispatch('name')` picks `<adapter>__name` or `default__name` at run time; statically
   * every implementation is a candidate, so all of them are followed.
   */
  private dispatch(nameValue: Value | undefined): Value {
    const name = nameValue?.kind === "str" ? nameValue.value : null;
    if (name === null) return UNKNOWN;
    let found = this.dispatchCache.get(name);
    if (found === undefined) {
      found = [...new Set(this.options.macros.values())].filter((d) => d.name === name || d.name.endsWith(`__${name}`));
      this.dispatchCache.set(name, found);
    }
    if (found.length === 0) return UNKNOWN;
    return { kind: "macro", name, targets: found.map((definition) => ({ kind: "project", definition })) };
  }

  /**
   * Runs a macro body with its parameters bound to the call's arguments (or their defaults), and
   * gives back what it passes to `return()` (helper macros often return lists of model names).
   * Rendered output is text the evaluator does not know, so a macro without `return()` is unknown.
   */
  private invoke(target: MacroTarget, node: CallNode, args: Value[], kwargs: Map<string, Value>, f: Frame): Value {
    const { collector, modelLines } = this.options;
    const name = target.kind === "project" ? target.definition.name : target.name;
    if (f.via.includes(name)) {
      collector.warn(`macro ${name} calls itself (${[...f.via, name].join(" -> ")}): recursion not followed`);
      return UNKNOWN;
    }
    if (f.via.length >= MAX_MACRO_DEPTH) {
      collector.warn(`macro calls nested deeper than ${MAX_MACRO_DEPTH} (${[...f.via, name].join(" -> ")}): not followed`);
      return UNKNOWN;
    }
    const program = target.kind === "project" ? compileMacroBody(target.definition) : f.program;
    if (target.kind === "project") {
      const where = `${target.definition.file}:${target.definition.line}`;
      for (const warning of program.warnings) collector.warn(`macro ${name} (${where}): ${warning}`);
    }
    const frame: Frame = {
      program,
      source: program.source,
      scope: new Scope(),
      callLine: f.callLine ?? modelLines.lineAt(node.start),
      via: [...f.via, name],
      returns: [],
    };
    const params = target.kind === "project" ? target.definition.params : target.params;
    const named = new Set(params.map((p) => p.name));
    params.forEach((param, i) => {
      const value = i < args.length ? args[i] : kwargs.get(param.name);
      frame.scope.set(param.name, value ?? (param.default === null ? UNKNOWN : this.evalDefault(param.default, frame)));
    });
    frame.scope.set("varargs", { kind: "list", items: args.slice(params.length) });
    frame.scope.set("kwargs", { kind: "dict", entries: new Map([...kwargs].filter(([k]) => !named.has(k))) });
    const [from, to] = target.kind === "project" ? [0, program.instructions.length] : [target.from, target.to];
    this.options.runBody(program, from, to, frame);
    return frame.returns === undefined || frame.returns.length === 0 ? UNKNOWN : oneOf(frame.returns);
  }

  private evalDefault(text: string, frame: Frame): Value {
    let node = this.defaults.get(text);
    if (node === undefined) {
      try {
        const parser = new ExpressionParser(lexExpression(text, 0, text.length));
        node = parser.parseExpression();
        if (!parser.atEnd()) node = null;
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        node = null;
      }
      this.defaults.set(text, node);
    }
    return node === null ? UNKNOWN : this.eval(node, { ...frame, source: text });
  }
}
