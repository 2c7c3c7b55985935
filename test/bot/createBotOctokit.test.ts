import { randomUUID } from "node:crypto";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { GitHubApiError } from "../../src/adapters/github/gitHubApiError.js";
import { createBotOctokit } from "../../src/bot/createBotOctokit.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { useStandIn } from "../helpers/useStandIn.js";

const PATH = "/repos/acme/warehouse/issues/7/comments";
const SECONDARY = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };

describe("the bot's Octokit: Probot's, with the Action's bounds", () => {
  const gh = useStandIn(startGitHubStandIn);

  async function failure(): Promise<{ error: unknown; calls: number }> {
    const probot = new Probot({ githubToken: "t", baseUrl: gh.url, logLevel: "fatal", Octokit: createBotOctokit({ waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() }) });
    const octokit = await probot.auth();
    const before = gh.requests.length;
    const error = await octokit.request(`GET ${PATH}`).then(
      () => null,
      (e: unknown) => e,
    );
    return { error, calls: gh.requests.length - before };
  }

  it("a 5xx is retried 3 times, then said as a GitHubApiError", async () => {
    gh.expect({ method: "GET", path: PATH, status: 502, response: { message: "Bad Gateway" }, times: 4 });
    const { error, calls } = await failure();
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(502);
  });

  it("a secondary rate limit is waited out at most twice (Probot alone never retries it, or waits forever on the primary)", async () => {
    gh.expect({ method: "GET", path: PATH, status: 403, response: SECONDARY, headers: { "retry-after": "1" }, times: 3 });
    const { error, calls } = await failure();
    expect(calls).toBe(3);
    expect(error).toMatchObject({ status: 403, rateLimited: true });
  });

  it("a rate limit asking for a longer wait than allowed fails at once", async () => {
    gh.expect({ method: "GET", path: PATH, status: 403, response: SECONDARY, headers: { "retry-after": "3600" } });
    const { calls } = await failure();
    expect(calls).toBe(1);
  });

  it("answers that mean no (404) are not retried", async () => {
    gh.expect({ method: "GET", path: PATH, status: 404, response: { message: "Not Found" } });
    const { error, calls } = await failure();
    expect(calls).toBe(1);
    expect((error as GitHubApiError).message).toMatch(/GitHub API GET \/repos\/acme\/warehouse\/issues\/7\/comments failed \(404\)/);
  });
});
