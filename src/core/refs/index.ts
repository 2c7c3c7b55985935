// The dbt reference extractor: what a model depends on, read statically from its text.
export { extractDependencies, type ExtractDependenciesInput } from "./extractDependencies.js";
export { indexMacros, type MacroFile } from "./indexMacros.js";
