import { backfillCommand } from "./backfillCommand.js";
import type { CliCommand } from "./cliCommand.js";
import { generateCommand } from "./generateCommand.js";
import { pauseCommand } from "./pauseCommand.js";
import { planCommand } from "./planCommand.js";
import { restoreCommand } from "./restoreCommand.js";
import { rollbackCommand } from "./rollbackCommand.js";
import { runCommand } from "./runCommand.js";
import { statusCommand } from "./statusCommand.js";
import { verifyCommand } from "./verifyCommand.js";

/** Every `dbt-unskip` command; a new command is a file and a line here. */
export const COMMANDS: CliCommand[] = [statusCommand, pauseCommand, restoreCommand, generateCommand, planCommand, runCommand, rollbackCommand, backfillCommand, verifyCommand];
