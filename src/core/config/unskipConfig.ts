import type { ConfigFile } from "./configSchema.js";

/** The tool's settings, after merging defaults, `project.config.json` and `.github/dbt-unskip.yml`. */
export interface UnskipConfig {
  /** dbt project folders relative to the repository root; globs allowed ("" or "." = the root). */
  projectDirs: string[];
  /** Where `<dim>/<DIM>_MIGRATION_STATE.md` live, relative to the repository root. */
  dimensionsOutput: string;
  branchPrefix: string;
  /** A tag matching this pattern names a model's dimension when no state document lists it. */
  dimensionTagPattern: string;
  /** Dimensions by path glob (relative to the dbt project), for models with no tag. */
  dimensions: NonNullable<ConfigFile["dimensions"]>;
  /** Also restore models paused with `enabled=false` (read-only in reports otherwise). */
  restoreDisabled: boolean;
  /** var() values as dbt's `--vars` (config `vars:`, or the CLI's `--vars`): they win over dbt_project.yml. */
  vars: Record<string, unknown>;
  /** What `target.*` holds when dbt runs (config `target:`); null: not known, both branches are kept. */
  target: Record<string, unknown> | null;
  /** Which files the settings came from, for messages. */
  sources: string[];
}

export const DEFAULT_CONFIG: UnskipConfig = {
  projectDirs: ["."],
  dimensionsOutput: "dimensions",
  branchPrefix: "migrate/",
  dimensionTagPattern: "^dim_",
  dimensions: {},
  restoreDisabled: false,
  vars: {},
  target: null,
  sources: [],
};
