import type { MacroDefinition, MacroIndex } from "../types.js";
import { compileMacroBody } from "./compileMacroBody.js";
import type { DependencyCollector } from "./dependencyCollector.js";
import type { CallArgs, ExprNode } from "./expressionAst.js";
import { lexExpression } from "./expressionLexer.js";
import { ExpressionParser, ParseError } from "./expressionParser.js";
import { DBT_CONTEXT_NAMES, DBT_GLOBAL_MACROS } from "./dbtBuiltins.js";
import { NONE, UNKNOWN, bool, combine, isFloat, numberLiteral, numberOf, oneOf, str, toPlain, truth, type MacroTarget, type Value } from "./jinjaValue.js";
import { fromJson, fromYaml, toJson, varValue, type ParseContext } from "./parseContext.js";
import type { LineIndex } from "./lineIndex.js";
import { refDependencies, sourceDependencies, type CallSite } from "./refArguments.js";
import { argumentsKey, callKey, entryOf, indexUnchanged, memoTable, remember, replay, snapshotIndex, type IndexSnapshot, type MemoEntry } from "./macroMemo.js";
import { Scope } from "./scope.js";
import type { Program } from "./templateCompiler.js";
import { attribute, binary, filter, jinjaTest, method, range, subscript } from "./valueOps.js";

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
  /** A `return()` surely ran: the macro stops there. */
  returned?: boolean;
  /** The collector's `conditional` count when the macro was entered. */
  conditionalAtEntry?: number;
  /** The package of the macro being evaluated (absent: the project or the model). */
  package?: string;
}

export interface EvaluatorOptions {
  collector: DependencyCollector;
  macros: MacroIndex;
  projectName: string | undefined;
  modelLines: LineIndex;
  /** Python models: only `dbt.ref`/`dbt.source`/`dbt.config` mean anything. */
  python: boolean;
  /**
   * What dbt knows at parse time (vars, target, packages). When given, calls of macros defined
   * nowhere are reported as unresolved; without it, var() and target are unknown as before.
   */
  context?: ParseContext | undefined;
  /**
   * Replay calls of project macros made before with the same arguments (macroMemo.ts; the default).
   * Same answers either way; false runs every call (the tests compare the two).
   */
  memo?: boolean | undefined;
  /** Runs instructions `from` to `to` of a program (the interpreter's loop). */
  runBody: (program: Program, from: number, to: number, frame: Frame) => void;
}

/** Macro calls nested deeper than this are not followed (a warning says so). */
const MAX_MACRO_DEPTH = 8;
const ALWAYS_BUILTIN = new Set(["ref", "source", "config"]);
const SHADOWABLE_BUILTIN = new Set(["namespace", "dict", "range", "return", "var", "env_var", "fromjson", "fromyaml", "tojson", "log", "print", "zip"]);
const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">=", "in", "not in"]);

type CallNode = Extract<ExprNode, { type: "call" }>;
type Callee = { value: Value } | { object: Value; method: string };

/**
 * Evaluates Jinja expressions over the static value model (`Value`). Its purpose is not to render
 * but to see every `ref()`/`source()` call with the best-known values of its arguments, including
 * calls made inside project macros, which it enters with the call's arguments bound.
 */
export class Evaluator {
  private readonly defaults = new Map<string, ExprNode | null>();
  /** `adapter.dispatch` candidates by name: shared by every model of an index and adapter (see `dispatchTable`). */
  private dispatchCache: Map<string, MacroDefinition[]> | undefined;
  /** The remembered macro calls for this evaluator's index, context and project name (looked up once). */
  private memo: Map<string, MemoEntry> | undefined;

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
        return numberLiteral(node.text);
      case "const":
        return node.value === null ? NONE : { kind: "bool", value: node.value };
      case "name":
        return this.lookup(node.name, f);
      case "list":
        return { kind: "list", items: node.items.map((item) => this.eval(item, f)) };
      case "dict": {
        const entries = new Map<string, Value>();
        let keysKnown = true;
        for (const entry of node.entries) {
          const key = this.eval(entry.key, f);
          const value = this.eval(entry.value, f);
          if (key.kind === "str") entries.set(key.value, value);
          else keysKnown = false;
        }
        // A key that is not a known string: which keys the dict has is not known.
        return keysKnown ? { kind: "dict", entries } : UNKNOWN;
      }
      case "attr":
        return this.qualified(node, f) ?? attribute(this.eval(node.object, f), node.name);
      case "index":
        if (node.index === null) {
          // `x[]`: the object is still evaluated (its calls count), the value is not known.
          this.eval(node.object, f);
          return UNKNOWN;
        }
        return subscript(this.eval(node.object, f), this.eval(node.index, f));
      case "call":
        return this.call(node, f);
      case "filter": {
        const subject = this.eval(node.subject, f);
        const { args, kwargs } = this.evalArgs(node, f);
        // `x | default(d)`: d when x is undefined, which a name defined nowhere is.
        if ((node.name === "default" || node.name === "d") && this.isUndefinedName(node.subject, f)) return args[0] ?? str("");
        if (node.name === "tojson") return combine([subject], ([v]) => textOrUnknown(toJson(v as Value)));
        return filter(node.name, subject, args, kwargs);
      }
      case "test": {
        const subject = this.eval(node.subject, f);
        const { args } = this.evalArgs(node, f);
        if (node.name === "defined" || node.name === "undefined") {
          const undefinedName = this.isUndefinedName(node.subject, f);
          const defined = undefinedName ? false : subject.kind === "unknown" ? null : true;
          return defined === null ? UNKNOWN : bool(node.name === "defined" ? defined : !defined);
        }
        return jinjaTest(node.name, subject, args);
      }
      case "unary": {
        const operand = this.eval(node.operand, f);
        if (node.op === "not")
          return combine([operand], ([v]) => {
            const t = truth(v as Value);
            return t === null ? UNKNOWN : bool(!t);
          });
        if (node.op === "-") return combine([operand], ([v]) => (v?.kind === "num" ? numberOf(-v.value, isFloat(v)) : v?.kind === "bool" ? numberOf(v.value ? -1 : 0, false) : UNKNOWN));
        return node.op === "+" ? operand : UNKNOWN;
      }
      case "chain":
        return this.chain(node, f);
      case "cond": {
        // Only the branch the test picks runs, as in Jinja; both when the test cannot be decided.
        const test = truth(this.eval(node.test, f));
        const otherwise = (): Value => (node.otherwise === null ? str("") : this.eval(node.otherwise, f));
        if (test === true) return this.eval(node.then, f);
        if (test === false) return otherwise();
        return oneOf([this.eval(node.then, f), otherwise()]);
      }
    }
  }

  /**
   * `a or b`, `a and b` short-circuit as in Python when the left side is known (a ref on the side
   * that does not run is not a dependency); `a < b < c` compares pairwise; other runs fold left.
   */
  private chain(node: Extract<ExprNode, { type: "chain" }>, f: Frame): Value {
    const first = node.ops[0];
    if (first === "or" || first === "and") {
      let result = this.eval(node.operands[0] as ExprNode, f);
      for (let i = 1; i < node.operands.length; i++) {
        const t = truth(result);
        if (t === (first === "or")) return result;
        const right = this.eval(node.operands[i] as ExprNode, f);
        result = t === null ? oneOf([result, right]) : right;
      }
      return result;
    }
    const values = node.operands.map((operand) => this.eval(operand, f));
    if (first !== undefined && COMPARISONS.has(first)) {
      let result: Value = bool(true);
      node.ops.forEach((op, i) => {
        const pair = binary(op, values[i] ?? UNKNOWN, values[i + 1] ?? UNKNOWN);
        result = combine([result, pair], ([a, b]) => {
          const [x, y] = [truth(a as Value), truth(b as Value)];
          return x === false || y === false ? bool(false) : x === null || y === null ? UNKNOWN : bool(true);
        });
      });
      return result;
    }
    let result = values[0] ?? UNKNOWN;
    node.ops.forEach((op, i) => {
      result = binary(op, result, values[i + 1] ?? UNKNOWN);
    });
    return result;
  }

  /** Whether `node` is a bare name that nothing defines (Jinja's Undefined at dbt's parse time). */
  private isUndefinedName(node: ExprNode, f: Frame): boolean {
    if (node.type !== "name" || this.options.python || this.options.context === undefined) return false;
    return this.resolveName(node.name, f) === "undefined";
  }

  /** What a bare name is: a variable, a macro, one of dbt's builtins, or nothing at all. */
  private resolveName(name: string, f: Frame): "defined" | "undefined" {
    if (f.scope.has(name) || f.program.macros.has(name) || this.macroNamed(name, f) !== undefined) return "defined";
    if (ALWAYS_BUILTIN.has(name) || SHADOWABLE_BUILTIN.has(name)) return "defined";
    if (DBT_CONTEXT_NAMES.has(name) || DBT_GLOBAL_MACROS.has(name)) return "defined";
    if (["true", "false", "none", "True", "False", "None"].includes(name)) return "defined";
    return "undefined";
  }

  /** A bare macro name seen from frame f: its own package's macro first (inside one), then the project's. */
  private macroNamed(name: string, f: Frame): MacroDefinition | undefined {
    const { macros } = this.options;
    if (f.package !== undefined) {
      const own = macros.get(`${f.package}.${name}`);
      if (own !== undefined) return own;
    }
    const found = macros.get(name);
    return found !== undefined && found.package === undefined ? found : undefined;
  }

  private lookup(name: string, f: Frame): Value {
    const local = f.scope.get(name);
    if (local !== undefined) return local;
    if (this.options.python) return UNKNOWN;
    if (ALWAYS_BUILTIN.has(name)) return { kind: "builtin", name };
    const localMacro = f.program.macros.get(name);
    if (localMacro !== undefined) return { kind: "macro", name, targets: [localMacro] };
    const definition = this.macroNamed(name, f);
    if (definition !== undefined) return { kind: "macro", name, targets: [{ kind: "project", definition }] };
    if (SHADOWABLE_BUILTIN.has(name)) return { kind: "builtin", name };
    const context = this.options.context;
    if (name === "target") {
      if (context?.target) return varValue(context.target);
      if (context !== undefined) this.options.collector.noteUnknownTarget();
      return UNKNOWN;
    }
    if (name === "project_name" && context?.projectName !== undefined) return str(context.projectName);
    return UNKNOWN;
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
    if (definition !== undefined) return { kind: "macro", name: node.name, targets: [{ kind: "project", definition }] };
    if (owner === "dbt" && ALWAYS_BUILTIN.has(node.name)) return { kind: "builtin", name: node.name };
    return null;
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
    if ("method" in callee) {
      this.checkQualified(node, f);
      return method(callee.object, callee.method, args);
    }
    const fn = callee.value;
    if (fn.kind === "macro") {
      // One target (a project macro called by name): no array of one value to build.
      if (fn.targets.length === 1) {
        const value = this.invoke(fn.targets[0] as MacroTarget, node, args, kwargs, f);
        return value.kind === "oneOf" ? oneOf([value]) : value;
      }
      const returned = fn.targets.map((target) => this.invoke(target, node, args, kwargs, f));
      return oneOf(returned);
    }
    if (fn.kind !== "builtin") {
      if (node.callee.type === "name" && this.isUndefinedName(node.callee, f)) {
        this.unresolved(node, f, node.callee.name, `calls macro '${node.callee.name}', which is defined nowhere (not in the project, its installed packages, nor dbt's built-in macros)`);
      }
      return UNKNOWN;
    }
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
          if (key === "enabled") this.options.collector.setEnabled(value.kind === "bool" ? value.value : null);
        }
        // config(**cfg): what it sets cannot be listed, enabled included.
        if (hasSplat) this.options.collector.setEnabled(null);
        if (args[0]?.kind === "dict") {
          const enabled = args[0].entries.get("enabled");
          if (enabled !== undefined) this.options.collector.setEnabled(enabled.kind === "bool" ? enabled.value : null);
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
        // A macro may "return" in several branches: the caller sees any of them. A return that
        // surely runs ends the macro.
        f.returns?.push(args[0] ?? NONE);
        if (f.returns !== undefined && this.options.collector.conditional === (f.conditionalAtEntry ?? 0)) f.returned = true;
        return str("");
      case "var":
        return this.variable(args[0] ?? kwargs.get("var_name"), args.length > 1 ? args[1] : kwargs.get("default"));
      case "env_var": {
        // The user's environment is not read: a default is what the template gets without one.
        const fallback = args.length > 1 ? args[1] : kwargs.get("default");
        return fallback === undefined || fallback.kind === "none" ? UNKNOWN : fallback;
      }
      case "fromjson":
        return combine([args[0] ?? UNKNOWN], ([v]) => (v?.kind === "str" ? fromJson(v.value, args[1] ?? NONE) : UNKNOWN));
      case "fromyaml":
        return combine([args[0] ?? UNKNOWN], ([v]) => (v?.kind === "str" ? fromYaml(v.value, args[1] ?? NONE) : UNKNOWN));
      case "tojson":
        return combine([args[0] ?? UNKNOWN], ([v]) => textOrUnknown(toJson(v as Value)));
      case "log":
      case "print":
        return str("");
      default:
        return UNKNOWN;
    }
  }

  /** `var(name, default)`: the configured value, else the default; unknown when neither is known. */
  private variable(nameValue: Value | undefined, fallback: Value | undefined): Value {
    const context = this.options.context;
    if (nameValue === undefined || context === undefined) return UNKNOWN;
    return combine([nameValue], ([n]) => {
      if (n?.kind !== "str") return UNKNOWN;
      if (context.vars.has(n.value)) return varValue(context.vars.get(n.value));
      // dbt's parser gives None for a var with no value and no default, but compiling the model
      // then fails: unknown, so that nothing is decided on it.
      return fallback ?? UNKNOWN;
    });
  }

  /** `owner.name(...)` where owner is dbt, the project or an installed package and name is not one of its macros. */
  private checkQualified(node: CallNode, f: Frame): void {
    const callee = node.callee;
    const context = this.options.context;
    if (context === undefined || this.options.python || callee.type !== "attr" || callee.object.type !== "name") return;
    const owner = callee.object.name;
    if (f.scope.has(owner) || f.program.macros.has(owner)) return;
    const name = `${owner}.${callee.name}`;
    if (owner === "dbt") {
      if (!DBT_GLOBAL_MACROS.has(callee.name) && !DBT_CONTEXT_NAMES.has(callee.name)) this.unresolved(node, f, name, `calls macro '${name}', which dbt does not define`);
    } else if (context.packages.has(owner)) {
      this.unresolved(node, f, name, `calls macro '${name}', which package '${owner}' does not define`);
    } else if (context.installedPackages > 0 && this.resolveName(owner, f) === "undefined") {
      // Packages are installed here, but not this one (with none installed, the packages folder
      // was simply not there to read: not said per call).
      this.unresolved(node, f, name, `calls macro '${name}', but no package '${owner}' is installed`);
    }
  }

  private unresolved(node: CallNode, f: Frame, macro: string, reason: string): void {
    // Inside another adapter's implementation (`spark__datediff` reached through adapter.dispatch),
    // that adapter's own macros are called: they exist where that implementation runs.
    const targetType = this.options.context?.target?.type;
    for (const name of f.via) {
      const prefix = /^([a-z0-9]+)__/.exec(name)?.[1];
      if (prefix !== undefined && prefix !== "default" && prefix !== targetType) return;
    }
    const where = f.via.length > 0 ? ` (in macro ${f.via[f.via.length - 1]})` : "";
    this.options.collector.addUnresolved({ macro, line: f.callLine ?? this.options.modelLines.lineAt(node.start), reason: `${reason}${where}` });
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
    const type = this.options.context?.target?.type;
    this.dispatchCache ??= dispatchTable(this.options.macros, typeof type === "string" ? type : undefined);
    let found = this.dispatchCache.get(name);
    if (found === undefined) {
      found = [...new Set(this.options.macros.values())].filter((d) => d.name === name || d.name.endsWith(`__${name}`));
      // With the adapter known (the configured target's type), dbt picks `<type>__name`, else
      // `default__name`; otherwise any implementation may run.
      if (typeof type === "string") {
        const own = found.filter((d) => d.name === `${type}__${name}`);
        const fallback = found.filter((d) => d.name === `default__${name}`);
        if (own.length > 0) found = own;
        else if (fallback.length > 0) found = fallback;
      }
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
    if (target.kind === "project" && target.definition.unreadable !== undefined) {
      const d = target.definition;
      this.unresolved(node, f, name, `calls macro '${name}' (${d.file}:${d.line}), which the engine cannot read (${d.unreadable})`);
      return UNKNOWN;
    }
    if (target.kind !== "project" || this.options.python || this.options.memo === false) return this.run(target, node, args, kwargs, f, name);
    // A call made before with the same arguments from the same place in the macro chain: done again
    // from what it did (macroMemo.ts says when that is provably the same as running it).
    const argsKey = argumentsKey(args, kwargs);
    if (argsKey === null) return this.run(target, node, args, kwargs, f, name);
    const key = callKey(target.definition, f.via, argsKey);
    this.memo ??= memoTable(this.options.macros, this.options.context, this.options.projectName);
    const table = this.memo;
    const line = f.callLine ?? modelLines.lineAt(node.start);
    const known = table.get(key);
    if (known !== undefined && collector.canTake(known.steps)) {
      replay(known, collector, line);
      return known.value;
    }
    const recording = collector.startRecording();
    const stepsBefore = collector.stepsTaken;
    const conditionalBefore = collector.conditional;
    let value: Value;
    try {
      value = this.run(target, node, args, kwargs, f, name);
    } finally {
      collector.stopRecording(recording);
    }
    const entry = entryOf({
      recording,
      steps: collector.stepsTaken - stepsBefore,
      line,
      value,
      conditionalBalanced: collector.conditional === conditionalBefore,
      argumentsUnchanged: argumentsKey(args, kwargs) === argsKey,
    });
    if (entry !== null) remember(table, key, entry);
    return value;
  }

  /** Enters the macro: binds its parameters and runs its body. */
  private run(target: MacroTarget, node: CallNode, args: Value[], kwargs: Map<string, Value>, f: Frame, name: string): Value {
    const { collector, modelLines } = this.options;
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
      conditionalAtEntry: collector.conditional,
      ...(target.kind === "project" ? (target.definition.package === undefined ? {} : { package: target.definition.package }) : f.package === undefined ? {} : { package: f.package }),
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

// What `adapter.dispatch('name')` may call depends only on the macro index and the adapter type:
// worked out once per index and type, not once per model (it lists every macro of the index).
const dispatchTables = new WeakMap<MacroIndex, { seen: IndexSnapshot; byType: Map<string | undefined, Map<string, MacroDefinition[]>> }>();

function dispatchTable(macros: MacroIndex, type: string | undefined): Map<string, MacroDefinition[]> {
  let tables = dispatchTables.get(macros);
  // An index changed since (it is read-only by type, but a Map): start again.
  if (tables === undefined || !indexUnchanged(tables.seen, macros)) {
    tables = { seen: snapshotIndex(macros), byType: new Map() };
    dispatchTables.set(macros, tables);
  }
  let table = tables.byType.get(type);
  if (table === undefined) {
    table = new Map();
    tables.byType.set(type, table);
  }
  return table;
}

function textOrUnknown(text: string | null): Value {
  return text === null ? UNKNOWN : str(text);
}
