import { tmpdir } from "node:os";
import { resolve } from "node:path";
import * as core from "@actions/core";
import { UserError } from "../core/userError.js";
import type { CommentMode } from "../usecases/pullRequestReadiness.js";
import { isPlainName } from "../core/plainName.js";
import { branchPrefixProblem } from "../core/git/refName.js";
import { resolvePathInput } from "../usecases/pathInputs.js";

/** The Action's inputs, read once at the edge into a typed object. */
export interface ActionInputs {
  workspace: string;
  projectDirs: string[] | undefined;
  config: string | undefined;
  command: ActionCommand;
  dimension: string | undefined;
  /** Only these ready models of the dimension (a restore asked for by name). */
  models: string[] | undefined;
  /** The default branch's commit a command was given on: abort when it moved (RELIABILITY 8). */
  expectedSha: string | undefined;
  branchPrefix: string | undefined;
  dbt: { command: string | undefined; target: string | undefined; profilesDir: string | undefined; timeoutMs: number; env: string[] };
  /** Comment "this merge made N models ready" on the merged pull request. */
  mergeComment: boolean;
  /** Seconds one GitHub API request may take (`github-timeout`). */
  githubTimeoutSeconds: number;
  /** Space writes to GitHub as GitHub asks (`github-write-spacing: github`, the default) or not (`none`). */
  spaceWrites: boolean;
  /** Empty when none was given: nothing is read from or written to GitHub then. */
  token: string;
  comment: CommentMode;
  /** The login the token writes as, when known (saves a lookup). */
  identity: string | undefined;
  /** A report a fork's pull_request run saved, to post from a workflow_run job. */
  savedReport: string | undefined;
  /** With `command: run`: the dimension's name, typed again by the person who dispatched the run. */
  confirm: string | undefined;
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
  /** `GITHUB_REPOSITORY` as owner and name, when set. */
  repository: { owner: string; repo: string } | null;
  /** `GITHUB_REF`: the branch or tag the run is for, when set. */
  ref: string | null;
  /** Aborted when the workflow run is cancelled (set by the Action's entry). */
  cancelled?: AbortSignal | undefined;
}

const COMMENT_MODES: readonly CommentMode[] = ["always", "changed", "never"];
export const ACTION_COMMANDS = ["auto", "status", "restore", "pause", "plan", "run", "rollback", "verify"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export function readActionInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const list = core
    .getMultilineInput("project-dir")
    .flatMap((line) => line.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  const command = (core.getInput("command") || "auto") as ActionCommand;
  if (!ACTION_COMMANDS.includes(command)) {
    throw new UserError(`input 'command': '${command}' is not one of ${ACTION_COMMANDS.join(", ")}`);
  }
  const dimension = core.getInput("dimension") || undefined;
  if (dimension !== undefined && !isPlainName(dimension)) {
    throw new UserError(`input 'dimension': '${dimension}' is not a dimension name (letters, digits, _)`);
  }
  if (command !== "auto" && command !== "status" && command !== "verify" && dimension === undefined) throw new UserError(`input 'dimension' is required with command '${command}'`);
  const models = core
    .getInput("models")
    .split(/[\s,]+/)
    .filter(Boolean);
  for (const model of models) if (!isPlainName(model)) throw new UserError(`input 'models': '${model}' is not a model name (letters, digits, _)`);
  const expectedSha = core.getInput("expected-sha") || undefined;
  if (expectedSha !== undefined && !/^[0-9a-f]{40}$/.test(expectedSha)) throw new UserError(`input 'expected-sha': '${expectedSha}' is not a commit sha`);
  const branchPrefix = core.getInput("branch-prefix") || undefined;
  if (branchPrefix !== undefined && !/^[A-Za-z0-9._/-]+$/.test(branchPrefix)) throw new UserError(`input 'branch-prefix': '${branchPrefix}' may only hold letters, digits, . _ / -`);
  const prefixProblem = branchPrefix === undefined ? null : branchPrefixProblem(branchPrefix);
  if (prefixProblem !== null) throw new UserError(`input 'branch-prefix': ${prefixProblem}`);
  const timeout = Number(core.getInput("dbt-timeout") || "600");
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UserError(`input 'dbt-timeout': '${core.getInput("dbt-timeout")}' is not a number of seconds`);
  const githubTimeout = Number(core.getInput("github-timeout") || "30");
  if (!Number.isFinite(githubTimeout) || githubTimeout <= 0) throw new UserError(`input 'github-timeout': '${core.getInput("github-timeout")}' is not a number of seconds`);
  const writeSpacing = core.getInput("github-write-spacing") || "github";
  if (writeSpacing !== "github" && writeSpacing !== "none") throw new UserError(`input 'github-write-spacing': '${writeSpacing}' is not github or none`);
  const dbtEnv = core
    .getInput("dbt-env")
    .split(/[\s,]+/)
    .filter(Boolean);
  for (const name of dbtEnv) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(`input 'dbt-env': '${name}' is not an environment variable name`);
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
    confirm: core.getInput("confirm") || undefined,
    models: models.length > 0 ? models : undefined,
    expectedSha,
    branchPrefix,
    dbt: {
      command: core.getInput("dbt-command") || undefined,
      target: core.getInput("dbt-target") || undefined,
      // Resolved once, here, against the workspace (the CLI resolves its options against its current folder).
      profilesDir: resolvePathInput(env.GITHUB_WORKSPACE ?? process.cwd(), core.getInput("dbt-profiles-dir") || undefined),
      timeoutMs: timeout * 1000,
      env: dbtEnv,
    },
    mergeComment: (core.getInput("merge-comment") || "true") !== "false",
    githubTimeoutSeconds: githubTimeout,
    spaceWrites: writeSpacing === "github",
  };
}

export function readActionEnvironment(env: NodeJS.ProcessEnv = process.env): ActionEnvironment {
  return {
    eventName: env.GITHUB_EVENT_NAME ?? "",
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    repositoryRoot: resolve(env.GITHUB_WORKSPACE ?? process.cwd()),
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    ref: env.GITHUB_REF || null,
    runnerTemp: resolve(env.RUNNER_TEMP || tmpdir()),
    repository: /^[^/\s]+\/[^/\s]+$/.test(env.GITHUB_REPOSITORY ?? "") ? { owner: env.GITHUB_REPOSITORY!.split("/")[0]!, repo: env.GITHUB_REPOSITORY!.split("/")[1]! } : null,
  };
}
