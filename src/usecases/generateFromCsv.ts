import { basename, relative, sep } from "node:path";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { NullPolicy } from "../core/csv/nullPolicy.js";
import { planColumns, type GenerateMode } from "../core/generate/columnPlan.js";
import type { Dialect } from "../core/generate/dialect.js";
import type { GenerateContext } from "../core/generate/generateContext.js";
import { generateOutcomeOf, type GenerateOutcome } from "../core/generate/generateOutcome.js";
import { readinessGain } from "../core/generate/readinessGain.js";
import { renderGeneratedFiles } from "../core/generate/renderGeneratedFiles.js";
import { renderGenerateSummary } from "../core/generate/renderGenerateSummary.js";
import { renderPassThroughModel } from "../core/generate/renderPassThroughModel.js";
import { renderProperties } from "../core/generate/renderProperties.js";
import { buildProject } from "../core/project/buildProject.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "./computeStatus.js";
import type { FileSource } from "./fileSource.js";
import { generateLayout } from "./generateLayout.js";
import type { GeneratePorts } from "./generatePorts.js";
import { overlayFileSource } from "./overlayFileSource.js";
import { readProjectSnapshot } from "./readProjectSnapshot.js";
import { resolveProjectDirs } from "./resolveProjectDirs.js";
import { isPlainName } from "../core/plainName.js";

/** What generate takes: its file work through `GeneratePorts` (the entry point spreads `localGeneratePorts`), and what was asked. */
export interface GenerateInput extends GeneratePorts {
  /** Repository root (absolute). */
  root: string;
  config: UnskipConfig;
  /** The CSV file (absolute), and how to name it in messages. */
  csvPath: string;
  csvDisplay: string;
  name: string;
  mode: GenerateMode;
  dialect: Dialect;
  /** Source mode: the source's name (default `raw`) and its schema (default: the source's name). */
  sourceName?: string | undefined;
  schema?: string | undefined;
  /** Source mode: also write an ephemeral model of this name over the source. */
  model?: string | undefined;
  /** Where the scripts go (absolute); default `<project>/target/dbt-unskip-generate/<name>/`. */
  outDir?: string | undefined;
  today: string;
  /** Asked once, with the full outcome, before anything is written; false cancels. */
  confirm: (preview: GenerateOutcome) => Promise<boolean>;
  signal?: AbortSignal | undefined;
}

/** dbt renders Jinja in SQL it runs and in YAML: a header holding these would be executed. */
const JINJA = /\{[{%#]|[}%#]\}/;

/**
 * `dbt-unskip generate`: profile a CSV in one streamed pass, turn it into a seed or a source (with
 * load, validation and rollback scripts), show which paused models it makes ready, and write every
 * file at once or none at all.
 */
export async function generateFromCsv(input: GenerateInput): Promise<GenerateOutcome> {
  const sourceName = input.sourceName ?? "raw";
  const schema = input.schema ?? sourceName;
  const model = input.model ?? null;
  for (const [option, value] of [
    ["--name", input.name],
    ["--source-name", sourceName],
    ["--schema", schema],
    ["--model", model],
  ] as const) {
    if (value !== null && !isPlainName(value)) throw new UserError(`${option} '${value}': a name has only letters, digits and _`);
  }
  if (input.mode === "seed" && (input.model || input.sourceName || input.schema)) {
    throw new UserError("--source-name, --schema and --model only apply with --as source");
  }
  checkCsvPath(input.csvPath, input.dialect);

  const files = input.disk.tree(input.root);
  const dirs = await resolveProjectDirs(files, input.config.projectDirs);
  if (dirs.length !== 1) throw new UserError(`generate works on one dbt project; ${dirs.length} are configured (${dirs.join(", ")}): pass --project-dir`);
  const projectDir = dirs[0]!;
  const built = buildProject(await readProjectSnapshot(files, projectDir), { vars: input.config.vars, target: input.config.target });
  if ("problem" in built) throw new UserError(`${built.problem.file}: ${built.problem.message}`);
  const project = built.project;
  const disk = input.disk;
  const layout = await generateLayout({ root: input.root, project, name: input.name, mode: input.mode, sourceName, model, outDir: input.outDir, disk });

  const nullPolicy: NullPolicy = input.mode === "source" ? "csv" : input.dialect === "duckdb" ? "duckdb-seed" : "agate-seed";
  const headerCheck = (names: readonly string[]) => headerRefusal(names, input.mode);
  const csv = await input.profileCsv({ path: input.csvPath, display: input.csvDisplay, nullPolicy, headerCheck, signal: input.signal });
  const profile = csv.profile;

  const display = (path: string) => {
    const rel = relative(input.root, path);
    return rel.startsWith("..") || rel === "" ? path : rel.split(sep).join("/");
  };
  const ctx: GenerateContext = {
    name: input.name,
    mode: input.mode,
    dialect: input.dialect,
    sourceName,
    schema,
    model,
    csv: { path: input.csvPath, fileName: basename(input.csvPath) },
    profile,
    columns: planColumns(input.dialect, input.mode, profile.columns),
    today: input.today,
    paths: layout.paths,
    projectDir: layout.projectAbs,
    createdDirs: layout.createdDirs,
    unblocks: [],
    display,
  };

  // Readiness before and after, the "after" seeing the new files through an overlay.
  const added = new Map<string, string>();
  const { seedCsv, properties, model: modelFile } = layout.projectFiles;
  if (seedCsv) added.set(seedCsv, "");
  added.set(properties, renderProperties(ctx));
  if (modelFile && model) added.set(modelFile, renderPassThroughModel(ctx, model));
  const before = await reportFor(files, input.config, projectDir);
  const after = await reportFor(overlayFileSource(files, added), input.config, projectDir);
  const provides = input.mode === "seed" ? [`ref:${input.name}`] : [`source:${sourceName}.${input.name}`, ...(model ? [`ref:${model}`] : [])];
  const readiness = readinessGain({ before, after, provides, refName: input.mode === "source" && !model ? input.name : null });
  ctx.unblocks = readiness.newlyReady.map((m) => m.name);

  // A dimension whose restore would be refused (its state documents' folder is a link) is not offered one.
  const restoreRefused = new Map(after.dimensions.flatMap((d) => (d.restoreRefused ? [[d.name, d.restoreRefused.message] as const] : [])));
  const outcome = generateOutcomeOf(ctx, { csvDisplay: input.csvDisplay, csvBytes: csv.size, readiness, restoreRefused });
  const generated = renderGeneratedFiles(ctx, (listed) => renderGenerateSummary({ ...outcome, files: listed.map((f) => ({ path: display(f.path), role: f.role })) }, input.today));
  outcome.files = generated.map((f) => ({ path: display(f.path), role: f.role }));

  if (!(await input.confirm(outcome))) return { ...outcome, result: "cancelled" };
  await input.writeNewFiles(
    generated.map((f) => ("copyFrom" in f ? { path: f.path, copyFrom: f.copyFrom } : { path: f.path, content: f.content, mode: f.mode })),
    {
      signal: input.signal,
      // The CSV must be the one that was profiled: a file that changed meanwhile would not match the types.
      beforeCommit: async () => {
        const now = await disk.stat(input.csvPath);
        if (!now || now.size !== csv.size || now.mtimeMs !== csv.mtimeMs) {
          throw new UserError(`${input.csvDisplay} changed while generating; nothing was written. Run generate again.`);
        }
      },
    },
  );
  return outcome;
}

/** Column names dbt cannot take: checked on the header, before the rows are read. */
function headerRefusal(names: readonly string[], mode: GenerateMode): string | null {
  const jinja = names.findIndex((name) => JINJA.test(name));
  if (jinja >= 0) return `column ${jinja + 1}'s name contains a Jinja delimiter ({{, {%, {#), which dbt would execute; rename the column`;
  const quoted = names.findIndex((name) => name.includes('"'));
  // dbt quotes seed columns without escaping: `dbt seed` would fail to create the table.
  if (quoted >= 0 && mode === "seed") return `column ${quoted + 1}'s name contains a double quote, which dbt seeds cannot create; rename the column, or use --as source`;
  return null;
}

async function reportFor(files: FileSource, config: UnskipConfig, projectDir: string): Promise<ReadinessReport> {
  const { reports } = await computeStatus({ files, config: { ...config, projectDirs: [projectDir || "."] } });
  return reports[0]!;
}

/** The CSV's path is written into SQL and psql commands: refuse what no quoting can carry. */
function checkCsvPath(path: string, dialect: Dialect): void {
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(path)) throw new UserError("--csv: the path contains a line break or control character; rename the file or its folder");
  if (JINJA.test(path)) throw new UserError("--csv: the path contains a Jinja delimiter ({{, {%, {#), which dbt would execute; rename the file or its folder");
  if (dialect === "snowflake" && /['\\]/.test(path)) throw new UserError("--csv: Snowflake's PUT cannot take a path with a quote or backslash; rename the file or its folder");
}
