import { ProbotOctokit } from "probot";
import {
  DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
  DEFAULT_RATE_LIMIT_RETRIES,
  DEFAULT_SERVER_ERROR_RETRIES,
} from "../adapters/github/createOctokit.js";
import { GitHubApiError } from "../adapters/github/gitHubApiError.js";

export interface BotOctokitOptions {
  serverErrorRetries?: number;
  rateLimitRetries?: number;
  /** A rate limit asking for a longer wait (seconds) fails at once: a webhook must not hang for an hour. */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per unit of wait (a second in production); tests shrink it. */
  waitUnitMs?: number;
  /** Throttling queues are shared per id within a process. */
  throttleId?: string;
}

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
interface RequestInfo {
  method: string;
  url: string;
}

/**
 * The bot's Octokit class, given to Probot: the same bounds as the Action's factory (retries of
 * 5xx, rate limits honoured up to a count and a wait, 4xx that mean "no" never retried), and the
 * same failures (GitHubApiError), so the shared adapters behave alike under both. Probot's own
 * throttle settings retry every secondary rate limit and wait as long as GitHub asks, so they are
 * replaced rather than merged.
 */
export function createBotOctokit(options: BotOctokitOptions = {}): typeof ProbotOctokit {
  const retries = options.serverErrorRetries ?? DEFAULT_SERVER_ERROR_RETRIES;
  const rateLimitRetries = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS;
  const unit = options.waitUnitMs ?? 1000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: RequestInfo, octokit: { log: { warn(m: string): void; info(m: string): void } }, retryCount: number) => {
      const what = `${kind} on ${request.method} ${request.url}`;
      if (retryCount >= rateLimitRetries) {
        octokit.log.warn(`${what}: giving up after ${retryCount} retries`);
        return false;
      }
      if (retryAfter > maxWait) {
        octokit.log.warn(`${what}: GitHub asks to wait ${retryAfter} s, longer than ${maxWait} s; not waiting`);
        return false;
      }
      octokit.log.info(`${what}: waiting ${retryAfter} s (retry ${retryCount + 1} of ${rateLimitRetries})`);
      return true;
    };
  const Bounded = ProbotOctokit.defaults((instance: OctokitOptions) => ({
    ...instance,
    retry: { retries, retryAfterBaseValue: unit, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451] },
    throttle: {
      // Kept: a Redis connection Probot set up for clustered throttling.
      ...(instance.throttle ?? {}),
      enabled: true,
      id: options.throttleId ?? "dbt-unskip-bot",
      retryAfterBaseValue: unit,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
  }));
  // Registered last so it wraps the retrying plugins: callers see the final failure, worded.
  return Bounded.plugin((octokit) => {
    octokit.hook.wrap("request", async (request, requestOptions) => {
      try {
        return await request(requestOptions);
      } catch (error) {
        throw GitHubApiError.from(error, { rateLimitRetries });
      }
    });
  }) as typeof ProbotOctokit;
}
