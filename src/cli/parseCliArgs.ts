import { parseArgs } from "node:util";
import { UserError } from "../core/userError.js";

export interface StatusArgs {
  command: "status";
  root: string;
  projectDirs: string[] | undefined;
  config: string | undefined;
  dimension: string | undefined;
  exact: boolean;
  json: boolean;
  dbt: string | undefined;
  profilesDir: string | undefined;
  target: string | undefined;
}

export interface RestoreArgs extends Omit<StatusArgs, "command" | "exact" | "dimension"> {
  command: "restore";
  dimension: string;
  models: string[] | undefined;
  yes: boolean;
  commit: boolean;
  allowDirty: boolean;
  timeoutSeconds: number;
}

export type CliArgs = StatusArgs | RestoreArgs | { command: "help" } | { command: "version" };

export const USAGE = `dbt-unskip: notice which paused dbt models (.sql.skip) are ready to come back.

Usage:
  dbt-unskip status  [--project-dir DIR]... [--dimension NAME] [--exact] [--json]
  dbt-unskip restore --dimension NAME [--models a,b] [--yes] [--no-commit] [--allow-dirty] [--json]

Options:
  --root DIR           repository root (default: the current folder); config and state documents are read from here
  --project-dir DIR    dbt project folder relative to the root (repeatable; globs allowed; default from config)
  --config FILE        configuration file (default: .github/dbt-unskip.yml, plus project.config.json)
  --dimension NAME     only this dimension
  --exact              ask dbt itself what each paused model depends on (needs dbt)
  --dbt PATH           the dbt executable (default: ./.venv/bin/dbt, the tool's own .venv, then PATH)
  --profiles-dir DIR   dbt profiles folder (default: the project folder when it has profiles.yml)
  --target NAME        dbt target
  --json               print the report as JSON (a stable contract, see README)

Restore options:
  --models a,b         only these ready models (and the paused models they need)
  --yes                do not ask before changing anything
  --no-commit          leave the restore staged instead of committing it on <branch-prefix><dimension>
  --allow-dirty        restore even with uncommitted changes (they stay out of the commit)
  --timeout SECONDS    stop a dbt command after this long (default 600)
  -h, --help           this help
  --version            the version

Exit codes: 0 success (including "nothing ready: no changes made"), 2 a problem with the input
(named in one line), 3 restore: dbt rejected every ready model (nothing changed), 1 a failure
(dbt or git failed; the working tree is as it was) or an internal error.`;

export function parseCliArgs(argv: string[], cwd: string): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: "string" },
        "project-dir": { type: "string", multiple: true },
        config: { type: "string" },
        dimension: { type: "string" },
        exact: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        dbt: { type: "string" },
        "profiles-dir": { type: "string" },
        target: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
        models: { type: "string" },
        yes: { type: "boolean", short: "y", default: false },
        "no-commit": { type: "boolean", default: false },
        "allow-dirty": { type: "boolean", default: false },
        timeout: { type: "string" },
      },
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nRun \`dbt-unskip --help\` for usage.`);
  }
  const { values, positionals } = parsed;
  if (values.version) return { command: "version" };
  if (values.help || positionals.length === 0) return { command: "help" };
  const [command, ...rest] = positionals;
  if (rest.length > 0) throw new UserError(`unexpected argument '${rest[0]}'`);
  if (command !== "status" && command !== "restore") throw new UserError(`unknown command '${command}'. Run \`dbt-unskip --help\` for usage.`);
  if (values.dimension !== undefined) checkName("--dimension", values.dimension);
  const common = {
    root: values.root ?? cwd,
    projectDirs: values["project-dir"],
    config: values.config,
    json: values.json ?? false,
    dbt: values.dbt,
    profilesDir: values["profiles-dir"],
    target: values.target,
  };
  if (command === "restore") {
    if (values.dimension === undefined) throw new UserError("restore needs --dimension NAME");
    const models = values.models?.split(",").map((m) => m.trim()).filter(Boolean);
    for (const model of models ?? []) checkName("--models", model);
    const timeoutSeconds = values.timeout === undefined ? 600 : Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UserError(`--timeout '${values.timeout}': expected a number of seconds`);
    return {
      command,
      ...common,
      dimension: values.dimension,
      models,
      yes: values.yes ?? false,
      commit: !(values["no-commit"] ?? false),
      allowDirty: values["allow-dirty"] ?? false,
      timeoutSeconds,
    };
  }
  return {
    command,
    root: values.root ?? cwd,
    projectDirs: values["project-dir"],
    config: values.config,
    dimension: values.dimension,
    exact: values.exact ?? false,
    json: values.json ?? false,
    dbt: values.dbt,
    profilesDir: values["profiles-dir"],
    target: values.target,
  };
}

/** Names reach git, dbt and the shell: only letters, digits and `_` (RELIABILITY 7). */
function checkName(option: string, value: string): void {
  if (!/^[A-Za-z0-9_]+$/.test(value)) {
    throw new UserError(`${option} '${value}': a name has only letters, digits and _`);
  }
}
