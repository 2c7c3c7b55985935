import { parseArgs, type ParseArgsConfig } from "node:util";
import { loadPyYaml } from "../core/refs/parseContext.js";
import { UserError } from "../core/userError.js";
import { isPlainName } from "../core/plainName.js";
import { existingFolder } from "../adapters/files/existingFolder.js";
import { resolvePathInput } from "../usecases/pathInputs.js";

export interface Output {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadStream;
  cwd: string;
}

/** One `dbt-unskip <name>` command: its own options and help, run with the process's streams. */
export interface CliCommand {
  name: string;
  summary: string;
  /** Usage lines and the command's own options, for `dbt-unskip <name> --help`. */
  help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  root: { type: "string" },
  "project-dir": { type: "string", multiple: true },
  config: { type: "string" },
  json: { type: "boolean", default: false },
  dbt: { type: "string" },
  "profiles-dir": { type: "string" },
  target: { type: "string" },
  vars: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export const COMMON_HELP = `Common options:
  --root DIR           repository root (default: the current folder); config and state documents are read from here
  --project-dir DIR    dbt project folder relative to the root (repeatable; globs allowed; default from config)
  --config FILE        configuration file (default: .github/dbt-unskip.yml, plus project.config.json)
  --dbt PATH           the dbt executable (default: ./.venv/bin/dbt, the tool's own .venv, then PATH)
  --profiles-dir DIR   dbt profiles folder (default: the project folder when it has profiles.yml)
  --target NAME        dbt target
  --vars YAML          var() values for the static reading, as dbt's --vars ('{key: value}'; wins over the config's vars)
  --json               print the result as JSON (a stable contract, see docs/json-contract.md): always one
                       JSON document on stdout, also after an interrupt ("result": "interrupted"), an
                       error ("result": "failed", with the exit code) or with --help ("result": "help")
  -h, --help           this help`;

export interface CommonArgs {
  root: string;
  projectDirs: string[] | undefined;
  config: string | undefined;
  json: boolean;
  dbt: string | undefined;
  profilesDir: string | undefined;
  target: string | undefined;
  /** `--vars`, parsed: a mapping (YAML or JSON, as dbt reads it). */
  vars: Record<string, unknown> | undefined;
}

/** Parses a command's argv (common options plus its own); a mistake is a UserError naming it. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, argv: string[], options: T, cwd: string) {
  // Only the values are read below (typed there); the option-dependent type of parseArgs is not needed.
  let parsed: { values: unknown };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: false, strict: true, options: { ...COMMON_OPTIONS, ...options } });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nRun \`dbt-unskip ${command} --help\` for usage.`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const common: CommonArgs = {
    // Path options resolved once, here, against the current folder (the Action does the same with its inputs).
    root: resolvePathInput(cwd, (values.root as string | undefined) ?? ".")!,
    projectDirs: values["project-dir"] as string[] | undefined,
    config: values.config as string | undefined,
    json: (values.json as boolean | undefined) ?? false,
    dbt: values.dbt as string | undefined,
    profilesDir: resolvePathInput(cwd, values["profiles-dir"] as string | undefined),
    target: values.target as string | undefined,
    vars: values.vars === undefined ? undefined : parseCliVars(values.vars as string),
  };
  const help = values.help === true;
  // Help comes before any other check; then a --root that is not there is said plainly.
  if (!help && values.root !== undefined) existingFolder(`--root ${values.root as string}`, common.root);
  return { values, common, help };
}

/** Names reach git, dbt and the shell: only letters, digits and `_` (RELIABILITY 7). */
export function checkName(option: string, value: string): string {
  if (!isPlainName(value)) {
    throw new UserError(`${option} '${value}': a name has only letters, digits and _`);
  }
  return value;
}

/** A comma-separated list of names (`--models a,b`), each checked; `undefined` when the option is not given. */
export function checkNames(option: string, value: string | undefined): string[] | undefined {
  return value
    ?.split(",")
    .map((m) => m.trim())
    .filter(Boolean)
    .map((m) => checkName(option, m));
}

/** `--vars '{key: value}'`: YAML (so JSON too), which must be a mapping, as dbt requires. */
export function parseCliVars(text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = loadPyYaml(text);
  } catch (error) {
    throw new UserError(`--vars: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new UserError("--vars: expected a mapping such as '{key: value}'");
  return data as Record<string, unknown>;
}
