import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { octokitPolicy, type PolicyOptions } from "./octokitPolicy.js";

export type GitHubClient = ReturnType<typeof getOctokit>;
// @octokit/core is not a direct dependency; take its plugin type from getOctokit's signature.
type OctokitPlugin = Parameters<typeof getOctokit> extends [unknown, unknown?, ...infer P] ? P[number] : never;

export interface OctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CreateOctokitOptions extends PolicyOptions {
  token: string;
  /** REST base URL (the Action passes GITHUB_API_URL; GHES is `https://host/api/v3`). GraphQL goes to its sibling. */
  baseUrl: string;
  log?: OctokitLog;
  userAgent?: string;
}

export { DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS, DEFAULT_RATE_LIMIT_RETRIES, DEFAULT_SERVER_ERROR_RETRIES } from "./octokitPolicy.js";

const SILENT: OctokitLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The one way the Action talks to GitHub: the shared policy (`octokitPolicy`: bounded retries, rate
 * limits honoured up to a count and a wait, 4xx that mean "no" never retried, a timeout on every
 * attempt, clear errors). Every GitHub adapter takes the client this returns, so tests stand in for
 * GitHub at one place: its base URL.
 */
export function createOctokit(options: CreateOctokitOptions): GitHubClient {
  const log = options.log ?? SILENT;
  const policy = octokitPolicy({ throttleId: "dbt-unskip", ...options }, log);
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      userAgent: options.userAgent ?? "dbt-unskip",
      log,
      retry: policy.retry,
      throttle: policy.throttle,
      request: { fetch: policy.timedFetch() },
    },
    retry,
    throttling,
    policy.explainPlugin as OctokitPlugin,
  );
}
