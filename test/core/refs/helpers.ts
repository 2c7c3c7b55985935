import { extractDependencies } from "../../../src/core/refs/extractDependencies.js";
import type { Dependency, DynamicDependency, Extraction, MacroIndex, RefDependency, SourceDependency } from "../../../src/core/types.js";

/** A ref dependency with the defaults of a direct, unversioned, unqualified call. */
export function ref(name: string, line = 1, extra: Partial<RefDependency> = {}): RefDependency {
  return { type: "ref", name, package: null, version: null, line, via: [], ...extra };
}

export function source(sourceName: string, table: string, line = 1, via: string[] = []): SourceDependency {
  return { type: "source", source: sourceName, table, line, via };
}

export function dynamic(expression: string, line = 1, extra: Partial<DynamicDependency> = {}): DynamicDependency {
  return { type: "dynamic", call: "ref", expression, line, via: [], ...extra };
}

export function sql(text: string, options: { macros?: MacroIndex; projectName?: string } = {}): Extraction {
  return extractDependencies({ text, language: "sql", ...options });
}

/** The dependencies of an SQL model. */
export function depsOf(text: string, options: { macros?: MacroIndex; projectName?: string } = {}): Dependency[] {
  return sql(text, options).dependencies;
}

export function python(text: string): Extraction {
  return extractDependencies({ text, language: "python" });
}
