import { ProbotOctokit } from "probot";
import { octokitPolicy, type PolicyLog, type PolicyOptions } from "../adapters/github/octokitPolicy.js";

export type BotOctokitOptions = PolicyOptions;

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
type Plugin = Parameters<typeof ProbotOctokit.plugin>[0];

/**
 * The bot's Octokit class, given to Probot: the Action's policy (`octokitPolicy`: the same retry
 * bounds, rate-limit decisions, `doNotRetry` list, per-attempt timeout and GitHubApiError), so the
 * shared adapters behave alike under both. Probot's own throttle settings retry every secondary
 * rate limit and wait as long as GitHub asks, so they are replaced rather than merged.
 */
export function createBotOctokit(options: BotOctokitOptions = {}): typeof ProbotOctokit {
  const policy = octokitPolicy({ throttleId: "dbt-unskip-bot", ...options }, (octokit) => (octokit as { log: PolicyLog }).log);
  const Bounded = ProbotOctokit.defaults((instance: OctokitOptions) => ({
    ...instance,
    // Each attempt bounded by the timeout (wrapping a fetch Probot was given, if any).
    request: { ...instance.request, fetch: policy.timedFetch(instance.request?.fetch) },
    retry: policy.retry,
    // Kept: a Redis connection Probot set up for clustered throttling.
    throttle: { ...(instance.throttle ?? {}), ...policy.throttle },
  }));
  return Bounded.plugin(policy.explainPlugin as Plugin) as typeof ProbotOctokit;
}
