import { tmpdir } from "node:os";
import { resolve } from "node:path";
import * as core from "@actions/core";
import { UserError } from "../core/userError.js";
import type { CommentMode } from "../usecases/pullRequestReadiness.js";

/** The Action's inputs, read once at the edge into a typed object. */
export interface ActionInputs {
  workspace: string;
  projectDirs: string[] | undefined;
  config: string | undefined;
  command: "auto" | "status";
  dimension: string | undefined;
  /** Empty when none was given: nothing is read from or written to GitHub then. */
  token: string;
  comment: CommentMode;
  /** The login the token writes as, when known (saves a lookup). */
  identity: string | undefined;
  /** A report a fork's pull_request run saved, to post from a workflow_run job. */
  savedReport: string | undefined;
}

/** What the runner tells the Action about the run, read once like the inputs. */
export interface ActionEnvironment {
  eventName: string;
  eventPath: string | undefined;
  /** The repository checkout (`GITHUB_WORKSPACE`); annotations name files relative to it. */
  repositoryRoot: string;
  apiUrl: string;
  /** The runner's temporary folder: report files go here, and nowhere else. */
  runnerTemp: string;
}

const COMMENT_MODES: readonly CommentMode[] = ["always", "changed", "never"];

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
  const comment = (core.getInput("comment") || "changed") as CommentMode;
  if (!COMMENT_MODES.includes(comment)) throw new UserError(`input 'comment': '${comment}' is not one of always, changed, never`);
  const identity = core.getInput("identity") || undefined;
  if (identity !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(identity)) {
    throw new UserError(`input 'identity': '${identity}' is not a GitHub login (such as github-actions[bot])`);
  }
  const token = core.getInput("token");
  if (token) core.setSecret(token);
  return {
    workspace: resolve(env.GITHUB_WORKSPACE ?? process.cwd(), core.getInput("working-directory") || "."),
    projectDirs: list.length > 0 ? list : undefined,
    config: core.getInput("config") || undefined,
    command,
    dimension,
    token,
    comment,
    identity,
    savedReport: core.getInput("saved-report") || undefined,
  };
}

export function readActionEnvironment(env: NodeJS.ProcessEnv = process.env): ActionEnvironment {
  return {
    eventName: env.GITHUB_EVENT_NAME ?? "",
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    repositoryRoot: resolve(env.GITHUB_WORKSPACE ?? process.cwd()),
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    runnerTemp: resolve(env.RUNNER_TEMP || tmpdir()),
  };
}
