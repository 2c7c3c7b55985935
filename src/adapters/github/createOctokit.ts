import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { GitHubApiError } from "./gitHubApiError.js";

export type GitHubClient = ReturnType<typeof getOctokit>;
// @octokit/core is not a direct dependency; take its plugin type from getOctokit's signature.
type OctokitPlugin = Parameters<typeof getOctokit> extends [unknown, unknown?, ...infer P] ? P[number] : never;

export interface OctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CreateOctokitOptions {
  token: string;
  /** REST base URL (the Action passes GITHUB_API_URL; GHES is `https://host/api/v3`). GraphQL goes to its sibling. */
  baseUrl: string;
  /** Retries of a 5xx or network failure, waiting 1, 4, 9 ... units. */
  serverErrorRetries?: number;
  /** Retries after a rate limit (403/429 with Retry-After or an exhausted quota). */
  rateLimitRetries?: number;
  /** A rate limit that asks for a longer wait than this (seconds) fails at once instead of stalling the job. */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per unit of wait (one second in production); tests shrink it to keep real timing logic fast. */
  waitUnitMs?: number;
  /** Throttling queues are per id: separate clients in one process must not wait on each other. */
  throttleId?: string;
  log?: OctokitLog;
  userAgent?: string;
}

export const DEFAULT_SERVER_ERROR_RETRIES = 3;
export const DEFAULT_RATE_LIMIT_RETRIES = 2;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 120;

const SILENT: OctokitLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The one way the tool talks to GitHub: retries bounded, rate limits honoured (bounded, then a clear
 * error), 4xx answers that mean "no" (404, 422 ...) never retried. Every GitHub adapter takes the
 * client this returns, so tests stand in for GitHub at one place: its base URL.
 */
export function createOctokit(options: CreateOctokitOptions): GitHubClient {
  const serverErrorRetries = options.serverErrorRetries ?? DEFAULT_SERVER_ERROR_RETRIES;
  const rateLimitRetries = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS;
  const unit = options.waitUnitMs ?? 1000;
  const log = options.log ?? SILENT;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const what = `${kind} on ${request.method} ${request.url}`;
    if (retryCount >= rateLimitRetries) {
      log.warn(`${what}: giving up after ${retryCount} retr${retryCount === 1 ? "y" : "ies"}`);
      return false;
    }
    if (retryAfter > maxWait) {
      log.warn(`${what}: GitHub asks to wait ${retryAfter} s, longer than ${maxWait} s; not waiting`);
      return false;
    }
    log.info(`${what}: waiting ${retryAfter} s as GitHub asks (retry ${retryCount + 1} of ${rateLimitRetries})`);
    return true;
  };
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      userAgent: options.userAgent ?? "dbt-unskip",
      log,
      retry: {
        retries: serverErrorRetries,
        retryAfterBaseValue: unit,
        // 403 and 429 are rate limits (the throttling plugin's, with their own bound) or a plain "no";
        // the rest are answers that a retry cannot change.
        doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
      },
      throttle: {
        id: options.throttleId ?? "dbt-unskip",
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: 60,
        onRateLimit: onLimit("rate limit"),
        onSecondaryRateLimit: onLimit("secondary rate limit"),
      },
    },
    retry,
    throttling,
    explainFailures(rateLimitRetries),
  );
}

/**
 * Registered last, so it wraps the retrying plugins: what reaches the caller is the final failure,
 * worded for a person reading a job log.
 */
function explainFailures(rateLimitRetries: number): OctokitPlugin {
  return (octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      try {
        return await request(options);
      } catch (error) {
        throw GitHubApiError.from(error, { rateLimitRetries });
      }
    });
  };
}
