import { resolve } from "node:path";
import * as core from "@actions/core";
import { UserError } from "../core/userError.js";

/** The Action's inputs, read once at the edge into a typed object. */
export interface ActionInputs {
  workspace: string;
  projectDirs: string[] | undefined;
  config: string | undefined;
  command: "auto" | "status";
  dimension: string | undefined;
}

export function readActionInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const list = core.getMultilineInput("project-dir").flatMap((line) => line.split(",")).map((s) => s.trim()).filter(Boolean);
  const command = core.getInput("command") || "auto";
  if (command !== "auto" && command !== "status") {
    throw new UserError(`input 'command': '${command}' is not available yet; expected auto or status`);
  }
  const dimension = core.getInput("dimension") || undefined;
  if (dimension !== undefined && !/^[A-Za-z0-9_]+$/.test(dimension)) {
    throw new UserError(`input 'dimension': '${dimension}' is not a dimension name (letters, digits, _)`);
  }
  return {
    workspace: resolve(env.GITHUB_WORKSPACE ?? process.cwd(), core.getInput("working-directory") || "."),
    projectDirs: list.length > 0 ? list : undefined,
    config: core.getInput("config") || undefined,
    command,
    dimension,
  };
}
