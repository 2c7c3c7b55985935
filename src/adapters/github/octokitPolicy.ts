import { GitHubApiError } from "./gitHubApiError.js";

/**
 * How the tool talks to GitHub, whichever Octokit carries it (the Action's `createOctokit`, the
 * bot's `createBotOctokit`): retries bounded, rate limits honoured up to a count and a wait, 4xx
 * answers that mean "no" never retried, every attempt bounded by a timeout, and failures worded for
 * a person (GitHubApiError).
 */

export interface PolicyLog {
  warn(message: string): void;
  info(message: string): void;
}

export interface PolicyOptions {
  /** Retries of a 5xx or network failure (a timed-out attempt included), waiting 1, 4, 9 ... units. */
  serverErrorRetries?: number;
  /** Retries after a rate limit (403/429 with Retry-After or an exhausted quota). */
  rateLimitRetries?: number;
  /** A rate limit that asks for a longer wait than this (seconds) fails at once instead of stalling. */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per unit of wait (one second in production); tests give 0, so nothing waits on a clock. */
  waitUnitMs?: number;
  /** Throttling queues are per id: separate clients in one process must not wait on each other. */
  throttleId?: string;
  /** Seconds one attempt may take before it is abandoned (the Action's `github-timeout` input, the bot's `UNSKIP_GITHUB_TIMEOUT`). */
  requestTimeoutSeconds?: number;
  /**
   * Spacing of writes as GitHub's guidance asks (1 s between writes, 3 s between writes that notify
   * people), or none: a server without secondary limits to protect (the Action's `github-write-spacing:
   * none`, the bot's `UNSKIP_GITHUB_WRITE_SPACING=none`; tests and their stand-in).
   */
  spaceWrites?: boolean;
  /**
   * Starts the timer of one attempt: calls `fire` after `milliseconds` unless the returned function
   * cancels it first. Tests inject their own, so no test waits on a real clock.
   */
  startTimer?: (milliseconds: number, fire: () => void) => () => void;
}

export const DEFAULT_SERVER_ERROR_RETRIES = 3;
export const DEFAULT_RATE_LIMIT_RETRIES = 2;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 120;
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

/** 4xx answers a retry cannot change; 403 and 429 are rate limits (throttling's own bound) or a plain "no". */
export const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

interface RequestInfo {
  method: string;
  url: string;
}

/** The part of Octokit's hook API the policy uses. */
interface Hookable {
  // biome-ignore lint/suspicious/noExplicitAny: Octokit types each route's request options and answer differently; the policy handles every route alike, so any is what Octokit's own hook type accepts here
  hook: { wrap(name: "request", wrapper: (request: (options: any) => Promise<any>, options: any) => Promise<any>): void };
}

/** A limiter group that never spaces requests, in the shape plugin-throttling asks of its groups. */
const NO_SPACING = { key: () => ({ schedule: (_options: unknown, task: (...args: unknown[]) => Promise<unknown>, ...args: unknown[]) => task(...args) }) };

export interface OctokitPolicy {
  retry: { retries: number; retryAfterBaseValue: number; doNotRetry: number[] };
  throttle: {
    enabled: true;
    id: string;
    retryAfterBaseValue: number;
    fallbackSecondaryRateRetryAfter: number;
    onRateLimit: (retryAfter: number, request: RequestInfo, octokit: unknown, retryCount: number) => boolean;
    onSecondaryRateLimit: (retryAfter: number, request: RequestInfo, octokit: unknown, retryCount: number) => boolean;
  };
  /** Octokit's `request.fetch`: each attempt (every retry is one) bounded by the request timeout. */
  timedFetch(base?: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Registered last, so it wraps the retrying plugins: callers see the final failure, worded. */
  explainPlugin: (octokit: Hookable) => void;
  /** The decision on a rate limit: wait and retry (true) or fail now (false). Exposed for its own tests. */
  onLimit(kind: string): (retryAfter: number, request: RequestInfo, octokit: unknown, retryCount: number) => boolean;
  requestTimeoutMs: number;
}

export function octokitPolicy(options: PolicyOptions, log: PolicyLog | ((octokit: unknown) => PolicyLog)): OctokitPolicy {
  const retries = options.serverErrorRetries ?? DEFAULT_SERVER_ERROR_RETRIES;
  const rateLimitRetries = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS;
  const unit = options.waitUnitMs ?? 1000;
  const requestTimeoutMs = (options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000;
  const startTimer =
    options.startTimer ??
    ((ms: number, fire: () => void) => {
      const timer = setTimeout(fire, ms);
      timer.unref();
      return () => clearTimeout(timer);
    });
  const logOf = (octokit: unknown): PolicyLog => (typeof log === "function" ? log(octokit) : log);

  const onLimit = (kind: string) => (retryAfter: number, request: RequestInfo, octokit: unknown, retryCount: number) => {
    const what = `${kind} on ${request.method} ${request.url}`;
    if (retryCount >= rateLimitRetries) {
      logOf(octokit).warn(`${what}: giving up after ${retryCount} retr${retryCount === 1 ? "y" : "ies"}`);
      return false;
    }
    if (retryAfter > maxWait) {
      logOf(octokit).warn(`${what}: GitHub asks to wait ${retryAfter} s, longer than ${maxWait} s; not waiting`);
      return false;
    }
    logOf(octokit).info(`${what}: waiting ${retryAfter} s as GitHub asks (retry ${retryCount + 1} of ${rateLimitRetries})`);
    return true;
  };

  return {
    retry: { retries, retryAfterBaseValue: unit, doNotRetry: DO_NOT_RETRY },
    throttle: {
      enabled: true,
      id: options.throttleId ?? "dbt-unskip",
      retryAfterBaseValue: unit,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
      ...((options.spaceWrites === false ? { write: NO_SPACING, notifications: NO_SPACING } : {}) as object),
    },
    timedFetch(base = globalThis.fetch) {
      // Bounds the wait for GitHub's answer (its status and headers): a stalled API fails the attempt,
      // and the retry plugin tries again within its bound. An archive download, once started, is
      // bounded by its size limit instead.
      return async (input: string | URL | Request, init: RequestInit = {}) => {
        const controller = new AbortController();
        let timedOut = false;
        const cancel = startTimer(requestTimeoutMs, () => {
          timedOut = true;
          controller.abort();
        });
        const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
        try {
          return await base(input, { ...init, signal });
        } catch (error) {
          // Octokit words any failure but an AbortError as a 500 with this message.
          if (timedOut) throw new Error(`no answer within ${requestTimeoutMs / 1000} s (timed out)`);
          throw error;
        } finally {
          cancel();
        }
      };
    },
    explainPlugin(octokit) {
      octokit.hook.wrap("request", async (request, requestOptions) => {
        let response: { status: number; url: string; data: unknown; headers: Record<string, unknown> };
        try {
          response = await request(requestOptions);
        } catch (error) {
          throw GitHubApiError.from(error, { rateLimitRetries });
        }
        // Every answer the tool reads is JSON (an archive comes as a stream): one that is not could not
        // be read, which is an error, never "nothing there" (RELIABILITY 37).
        const data = response.data;
        const method = requestOptions.method ?? "GET";
        if (typeof data === "string" && data !== "") throw GitHubApiError.unreadable(method, response.url, response.status, data);
        if (data instanceof ArrayBuffer && requestOptions.request?.parseSuccessResponseBody !== false) {
          throw GitHubApiError.unreadable(method, response.url, response.status, `(${data.byteLength} bytes of ${String(response.headers["content-type"] ?? "no content type")})`);
        }
        return response;
      });
    },
    onLimit,
    requestTimeoutMs,
  };
}
