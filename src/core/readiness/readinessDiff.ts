import type { ModelStatus } from "./readinessReport.js";

// What a pull request does to readiness: the data behind the PR comment, the job summary, the
// annotations and the saved report that a `workflow_run` job re-renders. Additive only, like the
// report itself: the saved form is read back by a later version of the tool.

/** One line of `git diff --name-status`: Added, Modified, Deleted, Renamed (copies count as added). */
export type ChangeStatus = "A" | "M" | "D" | "R";

export interface ChangedFile {
  status: ChangeStatus;
  /** Path after the change, relative to the repository root. */
  path: string;
  /** For a rename, the path before it. */
  from?: string;
}

export interface DependencyRef {
  type: "ref" | "source";
  /** `model`, `pkg.model` or `src.table`. */
  name: string;
}

/**
 * At head, a file that looks like it provides the missing dependency but that dbt never reads for
 * its name (the head root cause's `unreadFile`; `file` relative to the repository root).
 */
export interface UnreadFileNote {
  file: string;
  why: string;
}

/** Why a paused model's verdict moved. `file` is the changed file responsible, when it can be told. */
export type ReadinessCause =
  /** Nothing provided it at base; the PR provides it (an active file, or a paused one that is ready too). */
  | { kind: "now-available"; dependency: DependencyRef; now: "available" | "paused-ready"; file: string | null; change: ChangeStatus | null }
  /** The paused file no longer needs what blocked it. */
  | { kind: "no-longer-needed"; dependency: DependencyRef; file: string | null }
  /** A paused file the PR adds (or an active one it pauses). */
  | { kind: "new-paused-file"; file: string; change: ChangeStatus | null }
  /** It was available at base; the PR removes, renames, pauses or disables what provided it. */
  | { kind: "now-unavailable"; dependency: DependencyRef; file: string | null; change: ChangeStatus | null; unreadFile?: UnreadFileNote }
  /** The paused file now needs something nothing provides. */
  | { kind: "new-dependency"; dependency: DependencyRef; file: string | null; unreadFile?: UnreadFileNote }
  /** A needs-investigation reason that no longer holds, or one that now does. */
  | { kind: "reason-cleared"; reason: string }
  | { kind: "reason-added"; reason: string };

export interface ModelChange {
  name: string;
  /** Relative to the repository root. */
  file: string;
  dimension: string | null;
  /** Its status at base; null when it was not a paused model there. */
  was: ModelStatus | null;
  now: ModelStatus;
  because: ReadinessCause[];
  /** Ready models: the paused models to restore in the same batch first. */
  needsRestored: string[];
  /** Blocked models: their root causes at head (`type:name`). */
  blockedBy: string[];
}

/** An active model that dbt parse rejects: it refs a paused model, or something nothing provides. */
export interface BrokenActiveModel {
  /** Relative to the repository root. */
  file: string;
  line: number | null;
  model: string;
  dependency: DependencyRef | null;
  status: "paused" | "missing";
  /** False when the base had the same problem: the PR did not introduce it. */
  isNew: boolean;
  /** For a new problem: the changed file that provided the dependency at base (deleted, renamed, paused, edited). */
  removedBy: { file: string; change: ChangeStatus } | null;
  message: string;
  /** Its dimension, when the head report knows it (offered in a `/unskip pause` command). */
  dimension?: string | null;
}

export interface ReadinessDiff {
  project: { name: string; dir: string };
  /** Paused models that are ready at head and were not at base (blocked, needs investigation, or not paused). */
  newlyReady: ModelChange[];
  /** Paused models that got worse: ready at base and not at head, or blocked by something new. */
  newlyBlocked: ModelChange[];
  /** Paused at base, active at head: the PR restores them. */
  restored: { name: string; file: string }[];
  brokenActive: BrokenActiveModel[];
  /** Head totals, for the collapsed details. */
  head: { paused: number; ready: number; blocked: number; needsInvestigation: number };
  /** Every paused model at head, for the collapsed details. */
  headModels: { name: string; file: string; dimension: string | null; status: ModelStatus; blockedBy: string[] }[];
  /** The base could not be analysed (why), so everything at head counts as new. */
  baseUnavailable: string | null;
  /** Something a reviewer should hear about: a readiness change, a restore, or a new broken model. */
  changed: boolean;
}
