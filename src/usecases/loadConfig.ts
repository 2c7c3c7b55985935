import { parseConfig } from "../core/config/parseConfig.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { UserError } from "../core/userError.js";
import type { FileSource } from "./fileSource.js";

export const DEFAULT_CONFIG_PATH = ".github/dbt-unskip.yml";
export const SEED_CONFIG_PATH = "project.config.json";

/**
 * What an entry point's own inputs set over the file (the Action's `project-dirs`/`branch-prefix`,
 * the CLI's `--project-dir`/`--vars`); unset fields leave the file's value. `vars` are merged over
 * the file's, the others replace it.
 */
export interface ConfigOverrides {
  projectDirs?: string[] | undefined;
  branchPrefix?: string | undefined;
  vars?: Record<string, unknown> | undefined;
}

/**
 * Reads and validates the configuration, then lays the entry point's overrides over it; a bad file
 * is the user's to fix, so it stops the run.
 */
export async function loadConfig(files: FileSource, configPath?: string, overrides: ConfigOverrides = {}): Promise<UnskipConfig> {
  const path = configPath ?? DEFAULT_CONFIG_PATH;
  const read = async (p: string) => {
    const content = await files.read(p);
    if (content === null) return undefined;
    if (content.kind !== "text") throw new UserError(`${p}: ${content.reason}`);
    return { path: p, text: content.text };
  };
  const configFile = await read(path);
  if (configPath && !configFile) throw new UserError(`${configPath}: configuration file not found`);
  const result = parseConfig({ configFile, seedConfig: await read(SEED_CONFIG_PATH) });
  if ("problems" in result) {
    const lines = result.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
    throw new UserError(lines.join("\n"), lines);
  }
  const config = result.config;
  if (overrides.projectDirs) config.projectDirs = overrides.projectDirs;
  if (overrides.branchPrefix) config.branchPrefix = overrides.branchPrefix;
  if (overrides.vars) config.vars = { ...config.vars, ...overrides.vars };
  return config;
}
