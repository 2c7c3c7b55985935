import type { CsvProfile } from "../csv/csvProfile.js";
import type { ColumnPlan, GenerateMode } from "./columnPlan.js";
import type { Dialect } from "./dialect.js";

/** Where each generated file goes (absolute POSIX paths); absent entries are not written. */
export interface GeneratePaths {
  /** Seed mode: the CSV's copy under the first seed path. */
  seedCsv: string | null;
  /** The properties YAML: the seed's, or the source declaration. */
  properties: string;
  /** Source mode with --model: the ephemeral pass-through model. */
  model: string | null;
  /** Source mode: CREATE TABLE and the load. */
  load: string | null;
  validate: string;
  rollbackSql: string;
  rollbackScript: string;
  summary: string;
}

/** Everything the renderers need; pure data, decided by the use case. */
export interface GenerateContext {
  /** The seed's name, or the source table's name. */
  name: string;
  mode: GenerateMode;
  dialect: Dialect;
  /** Source mode: the source's name and the schema its table lives in. */
  sourceName: string;
  schema: string;
  /** Source mode: a pass-through model of this name, so `ref(model)` resolves. */
  model: string | null;
  csv: { path: string; fileName: string };
  profile: CsvProfile;
  columns: ColumnPlan[];
  /** YYYY-MM-DD, for descriptions and headers. */
  today: string;
  paths: GeneratePaths;
  /** The dbt project folder (absolute), where dbt commands run. */
  projectDir: string;
  /** Folders that do not exist yet and are created for the files (rollback removes them if empty). */
  createdDirs: string[];
  /** Paused models this makes ready, for descriptions. */
  unblocks: string[];
  /** Shows an absolute path relative to the repository root, for messages. */
  display(path: string): string;
}
