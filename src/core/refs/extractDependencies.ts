import type { Extraction, MacroIndex } from "../types.js";
import { BudgetExceeded, DependencyCollector } from "./dependencyCollector.js";
import { Interpreter } from "./interpreter.js";
import { scanJinja } from "./jinjaScanner.js";
import { LineIndex } from "./lineIndex.js";
import { readPlainCalls } from "./plainCalls.js";
import { extractPythonDependencies } from "./pythonModel.js";
import type { ParseContext } from "./parseContext.js";
import { Scope } from "./scope.js";
import { compileTemplate } from "./templateCompiler.js";

export interface ExtractDependenciesInput {
  text: string;
  language: "sql" | "python";
  /** Project macros to follow (see `indexMacros`); none when omitted. */
  macros?: MacroIndex;
  /** The project's name, so that `my_project.some_macro(...)` finds `some_macro`. */
  projectName?: string;
  /**
   * Read templates of plain ref()/source()/config() calls without the interpreter (the default).
   * Same answers either way; false forces the full path (the tests compare the two).
   */
  plainCallsFastPath?: boolean | undefined;
  /**
   * Replay calls of project macros made before (in this or another model) with the same arguments
   * instead of running them again (see macroMemo.ts; the default). Same answers either way; false
   * runs every call (the tests compare the two).
   */
  macroMemo?: boolean;
  /**
   * What dbt knows at parse time: vars, target, installed packages (see `createParseContext`).
   * When given, conditions on var()/target are decided with it and calls of macros defined
   * nowhere are reported in `unresolved`; without it, var() and target.* are unknown.
   */
  context?: ParseContext | undefined;
}

/**
 * Evaluation steps allowed per model: far beyond any real model (a step is one instruction or
 * expression node), yet small enough that runaway loops or macro fan-out end quickly.
 */
const MAX_STEPS = 1_000_000;

/**
 * Reads the dependencies of one model file the way dbt would see them when rendering it: every
 * ref()/source() the Jinja reaches, through variables, loops, all branches of conditionals and the
 * project's macros. What cannot be resolved to literals comes back as a dynamic dependency.
 * Never throws; problems become warnings (and, when something may have been missed, a dynamic
 * dependency, so that a model is never called ready on incomplete information).
 */
export function extractDependencies(input: ExtractDependenciesInput): Extraction {
  const collector = new DependencyCollector(MAX_STEPS);
  const text = typeof input.text === "string" ? input.text : "";
  try {
    if (input.language === "python") extractPythonDependencies(text, collector);
    else extractTemplateDependencies(text, input.macros ?? new Map(), input.projectName, collector, input.plainCallsFastPath !== false, input.context, input.macroMemo !== false);
  } catch (error) {
    const reason = error instanceof BudgetExceeded ? "too much to evaluate statically" : `internal error: ${String(error)}`;
    collector.warn(`extraction stopped early (${reason}); dependencies may be incomplete`);
    collector.add({ type: "dynamic", call: "ref", expression: `(extraction incomplete: ${reason})`, line: 1, via: [] });
  }
  return collector.result();
}

function extractTemplateDependencies(text: string, macros: MacroIndex, projectName: string | undefined, collector: DependencyCollector, fastPath: boolean, context: ParseContext | undefined, memo: boolean): void {
  const modelLines = new LineIndex(text);
  const scan = scanJinja(text, modelLines);
  // Most models hold only plain calls and statements: read those without the interpreter.
  if (fastPath && scan.warnings.length === 0 && readPlainCalls(text, scan.segments, collector, MAX_STEPS, macros, modelLines, context !== undefined)) {
    return;
  }
  const program = compileTemplate(text, { lines: modelLines, scan });
  for (const warning of program.warnings) collector.warn(warning);
  const interpreter = new Interpreter({ collector, macros, projectName, modelLines, python: false, context, memo });
  const frame = { program, source: text, scope: new Scope(), callLine: null, via: [] };
  interpreter.run(program, 0, program.instructions.length, frame);
}
