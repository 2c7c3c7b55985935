import type { StickyCommentPort, StickyCommentResult } from "../../usecases/stickyCommentPort.js";
import type { GitHubClient } from "./createOctokit.js";
import { GitHubApiError } from "./gitHubApiError.js";
import { resolveIdentity } from "./resolveIdentity.js";

export interface StickyCommentOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden marker the tool's comment carries. */
  marker: string;
  /** The login the token writes as; asked of GitHub (once, only if needed) when not given. */
  identity?: string | undefined;
  log?: { info(message: string): void; warn(message: string): void } | undefined;
}

const PAGE = 100;

/**
 * One comment per PR, found by marker AND author: a human's comment that quotes the marker is
 * never edited. Cost on a rerun with nothing new: one page of comments, plus one GraphQL call for
 * the identity when it was not given and a marked comment is found (two calls in all).
 */
export function createStickyComment(options: StickyCommentOptions): StickyCommentPort {
  const { octokit, owner, repo, issueNumber: issue_number, marker } = options;
  let identity: Promise<string> | undefined = options.identity ? Promise.resolve(options.identity) : undefined;
  const me = () => (identity ??= resolveIdentity(octokit, options.log));

  return {
    async upsert(body, { createIfMissing }): Promise<StickyCommentResult> {
      const mine: { id: number; body: string; html_url: string }[] = [];
      for (let page = 1; ; page++) {
        const { data } = await octokit.rest.issues.listComments({ owner, repo, issue_number, per_page: PAGE, page });
        for (const comment of data) {
          if (!comment.body?.includes(marker)) continue;
          if (sameLogin(comment.user?.login, await me())) mine.push({ id: comment.id, body: comment.body, html_url: comment.html_url });
          else options.log?.info(`comment ${comment.id} by ${comment.user?.login ?? "unknown"} carries the marker but is not ours; leaving it alone`);
        }
        // Ours is usually on the first page (it was written early); stop as soon as it is found.
        if (mine.length > 0 || data.length < PAGE) break;
      }
      const [own, ...duplicates] = mine;
      try {
        // A race between two runs can leave two; converge on the oldest.
        for (const extra of duplicates) await octokit.rest.issues.deleteComment({ owner, repo, comment_id: extra.id });
        if (own) {
          if (normalize(own.body) === normalize(body)) return { action: "unchanged", id: own.id, url: own.html_url };
          const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: own.id, body });
          return { action: "updated", id: data.id, url: data.html_url };
        }
        if (!createIfMissing) return { action: "absent", id: null, url: null };
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
        return { action: "created", id: data.id, url: data.html_url };
      } catch (error) {
        if (error instanceof GitHubApiError && error.status === 403 && !error.rateLimited) {
          return { action: "forbidden", id: own?.id ?? null, url: own?.html_url ?? null, message: error.message };
        }
        throw error;
      }
    },
  };
}

function sameLogin(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** GitHub may hand a body back with CRLF line ends; that is not a change worth an edit. */
function normalize(text: string): string {
  return text.replace(/\r\n/g, "\n").trimEnd();
}
