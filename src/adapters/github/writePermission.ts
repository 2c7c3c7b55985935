import type { GitHubClient } from "./createOctokit.js";

export type WritePermission = { allowed: true; permission: string } | { allowed: false; permission: string | null; reason: string };

/**
 * Whether a user may have the tool write on their behalf: `admin` or `write` (GitHub reports
 * `maintain` as `write` and `triage` as `read` in this field; a custom role, as its base role).
 * Fails closed: when GitHub cannot say, the answer is no, with why.
 */
export async function writePermission(input: { octokit: GitHubClient; owner: string; repo: string; username: string }): Promise<WritePermission> {
  let permission: string;
  try {
    const { data } = await input.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: input.owner, repo: input.repo, username: input.username });
    permission = data.permission;
  } catch (error) {
    return { allowed: false, permission: null, reason: `GitHub could not say what permission @${input.username} has (${error instanceof Error ? error.message : String(error)})` };
  }
  if (permission === "admin" || permission === "write") return { allowed: true, permission };
  return { allowed: false, permission, reason: `@${input.username} has ${permission} permission on ${input.owner}/${input.repo}; write permission is needed` };
}
