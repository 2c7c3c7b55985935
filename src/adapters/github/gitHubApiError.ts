/**
 * A GitHub API call that failed for good (after any retries), worded for the job log: what was
 * called, what GitHub said, and what to do about it when that is known.
 */
export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly rateLimited: boolean,
  ) {
    super(message);
    this.name = "GitHubApiError";
  }

  /** An answer whose body could not be read as JSON: nothing may be concluded or written from it. */
  static unreadable(method: string, url: string, status: number, body: string): GitHubApiError {
    const path = pathOf(url);
    const start = JSON.stringify(body.slice(0, 60));
    return new GitHubApiError(
      `GitHub API ${method} ${path} answered ${status} with a body that is not JSON (${start}...); nothing was concluded from it and nothing written. Run again later.`,
      status,
      method,
      path,
      false,
    );
  }

  static from(error: unknown, context: { rateLimitRetries: number }): unknown {
    if (error instanceof GitHubApiError || !isRequestError(error)) return error;
    const method = error.request.method ?? "GET";
    const path = pathOf(error.request.url ?? "");
    const said = error.message.split("\n")[0]?.trim() ?? "";
    const headers = error.response?.headers ?? {};
    const rateLimited = ((error.status === 403 || error.status === 429) && /rate limit/i.test(said)) || headers["x-ratelimit-remaining"] === "0";
    let hint = "";
    if (rateLimited) {
      hint = ` GitHub's rate limit held after ${context.rateLimitRetries} retries (or asked for a longer wait than allowed); run again later.`;
    } else if (error.status === 403 && /not accessible by integration/i.test(said)) {
      hint = " The token may not do this: give the workflow `permissions: pull-requests: write` (pull requests from forks only get a read-only token).";
    } else if (error.status === 401) {
      hint = " The token was refused: check the `token` input.";
    } else if (error.status >= 500 || error.status === 0) {
      hint = " GitHub did not answer properly, even after retries; run again later.";
    }
    return new GitHubApiError(`GitHub API ${method} ${path} failed (${error.status || "no response"}): ${said}.${hint}`, error.status, method, path, rateLimited);
  }
}

interface RequestErrorLike {
  status: number;
  message: string;
  request: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined> };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return error instanceof Error && typeof (error as Partial<RequestErrorLike>).status === "number" && typeof (error as Partial<RequestErrorLike>).request === "object";
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
