import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { colorize, useColor } from "./terminalColor.js";
import type { ParseArgsConfig } from "node:util";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { UserError } from "../core/userError.js";
import type { FileSource } from "../usecases/fileSource.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { checkName, parseCommandArgs, type CliCommand, type CliIo, type CommonArgs, type Output } from "./cliCommand.js";
import { writeJson } from "./writeJson.js";

type DimensionRule = "required" | "optional" | undefined;

/** What a command knows once its start is behind it. */
export interface CommandStart<Checked, Dimension extends DimensionRule> {
  values: Record<string, string | boolean | string[] | undefined>;
  common: CommonArgs;
  /** `--dimension`, checked; always there when the command requires it. */
  dimension: Dimension extends "required" ? string : string | undefined;
  /** What the command's own `check` made of its options. */
  checked: Checked;
  root: string;
  files: FileSource;
  /** The configuration, with `--project-dir` over its project folders. */
  config: UnskipConfig;
  /** Where progress goes: stderr when stdout carries the JSON result. */
  log: Output;
  /** The result on stdout: as JSON with `--json`, else as `text` renders it. */
  print(result: unknown, text: () => string): void;
}

/**
 * The start every `dbt-unskip` command shares, in this order (so a mistake is named before anything
 * is read): parse argv (the common options plus `options`); `--help` prints the help alone (with
 * `--json` as `helpJson`) and returns `undefined` (exit 0); `--dimension` checked (`required`: `<command> needs --dimension
 * NAME` without it); the command's own `check` of its options; then the root resolved and the
 * configuration loaded.
 */
export async function startCommand<Checked = undefined, Dimension extends DimensionRule = undefined>(
  command: Pick<CliCommand, "name" | "help">,
  argv: string[],
  io: CliIo,
  spec: { options: NonNullable<ParseArgsConfig["options"]>; dimension?: Dimension; check?: (values: CommandStart<Checked, Dimension>["values"]) => Checked },
): Promise<CommandStart<Checked, Dimension> | undefined> {
  const { values, common, help } = parseCommandArgs(command.name, argv, spec.options, io.cwd);
  if (help) {
    // --json is always one JSON document on stdout (docs/json-contract.md), the help too.
    if (common.json) writeJson((piece) => io.stdout.write(piece), helpJson(command.name, command.help));
    else io.stdout.write(`${command.help}\n`);
    return undefined;
  }
  if (spec.dimension === "required" && values.dimension === undefined) throw new UserError(`${command.name} needs --dimension NAME`);
  const dimension = values.dimension === undefined ? undefined : checkName("--dimension", values.dimension as string);
  const checked = spec.check ? spec.check(values) : (undefined as Checked);
  const root = resolve(io.cwd, common.root);
  const files = createDiskFileSource(root);
  const config = await loadConfig(files, common.config, {
    projectDirs: common.projectDirs?.map((dir) => projectDirBelowRoot(root, dir)),
    vars: common.vars,
  });
  return {
    values,
    common,
    dimension: dimension as CommandStart<Checked, Dimension>["dimension"],
    checked,
    root,
    files,
    config,
    log: common.json ? io.stderr : io.stdout,
    print(result, text) {
      if (common.json) writeJson((piece) => io.stdout.write(piece), result);
      else io.stdout.write(useColor(io.stdout) ? colorize(text()) : text());
    },
  };
}

/** `--help --json` (`command` null for `dbt-unskip --help`): the help text as one JSON document. */
export function helpJson(command: string | null, help: string): { result: "help"; command: string | null; help: string } {
  return { result: "help", command, help };
}

/**
 * `--project-dir` as a folder relative to the repository root. An absolute one works like the
 * relative one when it is inside the root (the root itself is `.`); symbolic links are resolved on
 * both sides first, so `/tmp/repo` and `/private/tmp/repo` agree and a sibling `dbt_old/` is not
 * inside `dbt/`. Relative ones are left to resolveProjectDirs, which refuses `..`.
 */
export function projectDirBelowRoot(root: string, dir: string): string {
  if (!isAbsolute(dir)) return dir;
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  const rel = relative(real(root), real(dir));
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new UserError(`--project-dir '${dir}': must be a folder inside the repository (${root})`);
  }
  return rel.split(sep).join("/");
}
