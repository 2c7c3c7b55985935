// Types shared by the pure core. Nothing here knows about files on disk, processes or GitHub:
// the adapters turn the outside world into these shapes.

/** A dependency found in a model, a macro body or a Python model. */
export type Dependency = RefDependency | SourceDependency | DynamicDependency;

export interface RefDependency {
  type: "ref";
  name: string;
  /** The first argument of a two-argument ref (`ref('pkg', 'm')`), else null. */
  package: string | null;
  /** `ref('m', v=2)` / `version=2` as written (always a string), else null. */
  version: string | null;
  /** 1-based line in the model file where the call (or the macro call that led to it) starts. */
  line: number;
  /** The project macro(s) the ref was found through, outermost first; empty when written directly. */
  via: string[];
}

export interface SourceDependency {
  type: "source";
  source: string;
  table: string;
  line: number;
  via: string[];
}

/** A ref()/source() whose arguments cannot be resolved to literals (e.g. `ref(var('x'))`). */
export interface DynamicDependency {
  type: "dynamic";
  call: "ref" | "source";
  /** The argument text as written, trimmed and cut to a readable length. */
  expression: string;
  line: number;
  via: string[];
}

/** What reference extraction reads out of one model file. */
export interface Extraction {
  dependencies: Dependency[];
  /** Literal keyword arguments of `config(...)` calls (later calls override earlier ones). */
  config: Record<string, unknown>;
  /** Things worth telling a person (unterminated block, macro recursion cut off), never fatal. */
  warnings: string[];
  /**
   * The file's own `config(enabled=...)`, evaluated as dbt does at parse time: null when no
   * config() call sets it; true/false when decided; "uncertain" when it cannot be known statically
   * (a var with no value, an env_var with no default, a condition that cannot be decided...).
   */
  enabled: boolean | "uncertain" | null;
  /**
   * Calls (direct or through macros) of macros the engine could not read, or that are defined
   * nowhere: what the model renders to cannot be known, so it needs investigation.
   */
  unresolved: UnresolvedCall[];
  /** The template reads `target.*` and no target is configured: conditions on it kept every branch. */
  readsUnknownTarget: boolean;
}

/** A macro call the engine could not follow; `reason` names the macro and, when known, its file. */
export interface UnresolvedCall {
  macro: string;
  /** 1-based line in the model file of the call (or of the macro call that led to it). */
  line: number;
  reason: string;
}

/** A `{% macro name(params) %}` definition from the project's macro paths. */
export interface MacroDefinition {
  name: string;
  /** Parameter names in order, with the default value's source text when one is given. */
  params: { name: string; default: string | null }[];
  /** The body text between the macro tag and its `endmacro`. */
  body: string;
  /** File the macro was read from, relative to the repository root. */
  file: string;
  /** 1-based line of the `{% macro %}` tag in that file (body line 1 is on this line). */
  line: number;
  /** The installed package the macro comes from (absent: the project itself). */
  package?: string;
  /** Why the macro cannot be followed (its signature cannot be read); absent when it can. */
  unreadable?: string;
}

/** Macros callable from models, by name (`my_macro`) and by qualified name (`project.my_macro`). */
export type MacroIndex = ReadonlyMap<string, MacroDefinition>;

/** A problem found while reading the project; the report still comes out around it. */
export interface Problem {
  kind:
    | "unreadable-file"
    | "invalid-yaml"
    | "invalid-project"
    | "invalid-config"
    | "invalid-state-document"
    | "stale-state-document"
    | "name-conflict"
    | "active-refs-paused"
    | "active-refs-missing"
    | "cycle"
    | "duplicate-model"
    | "unsafe-path"
    /** An active model depends on a node that dbt may disable (its enabled-ness cannot be decided statically). */
    | "uncertain-dependency"
    /** Templates branch on `target.*`, which the configuration does not set: every branch counted. */
    | "target-not-configured";
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line where known. */
  line?: number;
  message: string;
}
