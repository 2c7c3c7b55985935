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

export type CliArgs = StatusArgs | { command: "help" } | { command: "version" };

export const USAGE = `dbt-unskip: notice which paused dbt models (.sql.skip) are ready to come back.

Usage:
  dbt-unskip status [--project-dir DIR]... [--dimension NAME] [--exact] [--json]

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
  -h, --help           this help
  --version            the version

Exit codes: 0 success, 2 a problem with the input (named in one line), 1 an internal failure.`;

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
  if (command !== "status") throw new UserError(`unknown command '${command}'. Run \`dbt-unskip --help\` for usage.`);
  if (values.dimension !== undefined && !/^[A-Za-z0-9_]+$/.test(values.dimension)) {
    throw new UserError(`--dimension '${values.dimension}': a dimension name has only letters, digits and _`);
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
