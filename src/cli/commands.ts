import type { CliCommand } from "./cliCommand.js";
import { generateCommand } from "./generateCommand.js";
import { restoreCommand } from "./restoreCommand.js";
import { statusCommand } from "./statusCommand.js";

/** Every `dbt-unskip` command; a new command is a file and a line here. */
export const COMMANDS: CliCommand[] = [statusCommand, restoreCommand, generateCommand];
