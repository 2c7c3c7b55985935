import type { MissingDependency } from "../stateDocument/types.js";

/** One model a pause renames to `.skip`. */
export interface PausedModelOutcome {
  name: string;
  dimension: string | null;
  /** Relative to the repository root: the active file and its paused name. */
  from: string;
  to: string;
  /** Why: the dbt error that named it, the static scan, `asked for`, or the paused model it needs. */
  reason: string;
  /** `static`: proposed by the static scan; `dbt`: named by a dbt parse error (or found by bisection); `cascade`: depends on one of those. */
  found: "static" | "dbt" | "asked" | "cascade";
  missing: MissingDependency[];
  present: string[];
}

export interface PauseStateDocument {
  dimension: string;
  /** Relative to the repository root. */
  path: string;
  created: boolean;
  updated: boolean;
  problem: string | null;
}

export interface PauseOutcome {
  /**
   * `paused`: committed. `would-pause`: `--dry-run`, nothing changed. `nothing-to-pause`: dbt parse is
   * green with every model active, nothing changed. `cancelled`: the user said no, nothing changed.
   * `interrupted`: Ctrl-C or SIGTERM (a cancelled CI job) stopped it; nothing changed (`error` says
   * when it arrived). `failed`: dbt or git failed, or dbt parse could not be made green; the tree,
   * index and HEAD are as they were (or, when `error` says undoing it also failed, they are not).
   */
  result: "paused" | "would-pause" | "nothing-to-pause" | "cancelled" | "interrupted" | "failed";
  dimension: string;
  project: string;
  paused: PausedModelOutcome[];
  /** Paused models outside the dimension (the cascade crossed into another dimension). */
  acrossDimensions: string[];
  /** Models already paused (in any dimension) that wait on a model this pause pauses. */
  waiting: { name: string; dimension: string | null; waitsOn: string }[];
  /** Missing dependencies at the bottom, with the dimension expected to provide each. */
  missing: { name: string; kind: "ref" | "source"; expectedFrom: string | null }[];
  progress: { before: { complete: number; total: number }; after: { complete: number; total: number } };
  completedByLayer: { layer: string; models: string[] }[];
  dbt: { parseRuns: number; version: string | null };
  stateDocuments: PauseStateDocument[];
  commit: { branch: string; sha: string; message: string } | null;
  error: string | null;
}
