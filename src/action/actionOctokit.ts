import * as core from "@actions/core";
import { createOctokit, type GitHubClient } from "../adapters/github/createOctokit.js";
import { resolveIdentity } from "../adapters/github/resolveIdentity.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";

/**
 * The Action's one GitHub client, the same for every command: the workflow's token, this GitHub's
 * API (`GITHUB_API_URL`), the `github-timeout` and `github-write-spacing` inputs, Octokit's messages in the job log.
 */
export function actionOctokit(inputs: Pick<ActionInputs, "token" | "githubTimeoutSeconds" | "spaceWrites">, env: Pick<ActionEnvironment, "apiUrl">): GitHubClient {
  return createOctokit({
    token: inputs.token,
    baseUrl: env.apiUrl,
    log: { debug: core.debug, info: core.info, warn: core.warning, error: core.error },
    requestTimeoutSeconds: inputs.githubTimeoutSeconds,
    spaceWrites: inputs.spaceWrites,
  });
}

/** The login whose pull requests, comments and dashboard are the tool's: the `identity` input, else the token's own. */
export async function actionIdentity(octokit: GitHubClient, inputs: Pick<ActionInputs, "identity">): Promise<string> {
  return inputs.identity ?? (await resolveIdentity(octokit, { warn: core.warning }));
}
