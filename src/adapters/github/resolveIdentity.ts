import type { GitHubClient } from "./createOctokit.js";

/** Who the workflow's own GITHUB_TOKEN writes as. */
export const WORKFLOW_TOKEN_LOGIN = "github-actions[bot]";

/**
 * The login the token writes as. GraphQL's `viewer` answers for personal tokens, the workflow token
 * and app installation tokens alike (REST `GET /user` refuses installation tokens). When even that
 * fails, the workflow token's bot is the best guess; the `identity` input settles it.
 */
export async function resolveIdentity(octokit: GitHubClient, log?: { warn(message: string): void }): Promise<string> {
  try {
    const result = await octokit.graphql<{ viewer?: { login?: unknown } }>("query { viewer { login } }");
    const login = result.viewer?.login;
    if (typeof login === "string" && login !== "") return login;
  } catch (error) {
    log?.warn(`could not ask GitHub who the token belongs to (${error instanceof Error ? error.message : String(error)}); assuming ${WORKFLOW_TOKEN_LOGIN}; set the 'identity' input if that is wrong`);
  }
  return WORKFLOW_TOKEN_LOGIN;
}
