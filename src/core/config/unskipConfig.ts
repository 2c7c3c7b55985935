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
  dimensions: Record<string, { paths: string[] }>;
  /** Also restore models paused with `enabled=false` (read-only in reports otherwise). */
  restoreDisabled: boolean;
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
  sources: [],
};
