import type { Problem } from "../types.js";

// The readiness report. Its JSON form (`status --json`) is a documented, stable contract: add
// fields freely, never rename or remove one.

/** `uncertain`: provided by a node whose enabled-ness cannot be decided statically (`enabled=var('x')`). */
export type DependencyStatus = "available" | "paused" | "missing" | "dynamic" | "uncertain";
export type ModelStatus = "ready" | "blocked" | "needs-investigation";

export interface ReportDependency {
  type: "ref" | "source";
  /** `model`, `pkg.model` for a two-argument ref, `src.table` for a source; the text for a dynamic ref. */
  name: string;
  /** The version of a versioned ref (`ref('m', v=2)`), else null. */
  version: string | null;
  status: DependencyStatus;
  /** 1-based line in the model file. */
  line: number;
  /** Project macros the dependency was found through (outermost first). */
  via: string[];
}

export interface ReportModel {
  name: string;
  /** Relative to the dbt project folder. */
  path: string;
  dimension: string | null;
  /** Where the dimension came from. */
  dimensionFrom: "state-document" | "tag" | "path" | null;
  status: ModelStatus;
  /**
   * `skip`: a `.sql.skip`/`.py.skip` file; `disabled`: a model file with `enabled=false` in its config,
   * properties or dbt_project.yml. dbt-unskip never restores those (never `ready`; the reasons say
   * where it is disabled and what to change).
   */
  pausedBy: "skip" | "disabled";
  dependencies: ReportDependency[];
  /** Dependencies nothing provides (directly), as `{type, name}`. */
  missing: { type: "ref" | "source"; name: string }[];
  /** For ready models: position in a restore order where every model comes after what it needs. */
  restoreOrder: number | null;
  /** Paused models this one needs restored first (ready models: part of the same cascade). */
  needsRestored: string[];
  /** Root causes below this model (blocked models), as `type:name`. */
  blockedBy: string[];
  /** Human-readable reasons for needs-investigation (and notes for others). */
  reasons: string[];
}

export interface ReportDimension {
  name: string;
  /** Active models of the dimension (migrated). */
  active: number;
  paused: number;
  ready: number;
  blocked: number;
  needsInvestigation: number;
  /** Path of the state document relative to the repository root, or null. */
  stateDocument: string | null;
  /** The state document's status line, when it has one. */
  documentStatus: string | null;
  /**
   * Present when `restore --dimension` of this dimension would be refused before it starts: its
   * state documents' folder (`link`, relative to the repository root) is a symbolic link. `message`
   * says so and what to change first. No report suggests that restore.
   */
  restoreRefused?: { link: string; message: string };
}

export interface RootCause {
  type: "ref" | "source";
  name: string;
  /** Paused models this blocks, directly or through a chain, sorted by name. */
  blocks: string[];
  /** The dimension expected to provide it, when a state document says so. */
  expectedFrom: string | null;
  /** Present when a node of that name exists but dbt disables it: where (enable it rather than migrate it). */
  disabled?: string;
  /**
   * Present when a file that looks like it provides the name exists but dbt never reads it for its
   * name (`.snap_hidden.sql`, `#x.sql`, `~x.sql`, a `.dbtignore` match): the file (relative to the
   * dbt project) and why dbt does not read it (rename it, or change `.dbtignore`, rather than migrate it).
   */
  unreadFile?: { file: string; why: string };
}

/** An active model dbt parse rejects today, with its dimension: a candidate for `pause`. */
export interface BreakingModel {
  name: string;
  /** Relative to the dbt project folder. */
  path: string;
  dimension: string | null;
  /** What it depends on that is paused or missing, as `model` or `source src.table`. */
  dependsOn: string[];
}

export interface ReadinessReport {
  project: { name: string; dir: string };
  summary: { paused: number; ready: number; blocked: number; needsInvestigation: number };
  dimensions: ReportDimension[];
  models: ReportModel[];
  rootCauses: RootCause[];
  problems: Problem[];
  /** Active models dbt parse rejects (present only when there are some): what `pause` would pause first. */
  breaking?: BreakingModel[];
}
