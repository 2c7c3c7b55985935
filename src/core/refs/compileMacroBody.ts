import type { MacroDefinition } from "../types.js";
import { compileTemplate, type Program } from "./templateCompiler.js";

// Keyed by the definition object, so a macro called from many models (or many times from one) is
// compiled once and the cache goes away with the index.
const cache = new WeakMap<MacroDefinition, Program>();

/** The compiled body of a project macro. */
export function compileMacroBody(definition: MacroDefinition): Program {
  let program = cache.get(definition);
  if (program === undefined) {
    program = compileTemplate(typeof definition.body === "string" ? definition.body : "");
    cache.set(definition, program);
  }
  return program;
}
