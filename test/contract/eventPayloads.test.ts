import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { EVENT_READERS } from "../../src/action/readEvent.js";
import { checkWebhook, completeWebhook } from "../helpers/githubContract.js";

// The Action reads each event payload through one reader (`readEvent`). Every payload GitHub
// publishes as an example of the events it reads (@octokit/webhooks-examples) must be read, and read as what it says.

interface Example {
  name: string;
  examples: Record<string, unknown>[];
}
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as Example[];
// The examples predate fields GitHub now always sends; those are added as the test helpers add them,
// and each example must then be one GitHub's description allows.
const of = (event: string, actions?: readonly string[]) =>
  examples
    .find((e) => e.name === event)!
    .examples.filter((p) => actions === undefined || actions.includes(p.action as string))
    .map((p) => {
      const payload = completeWebhook(event, structuredClone(p));
      expect(checkWebhook(event, payload)).toEqual([]);
      return payload as Record<string, any>;
    });

describe("readEvent reads the payloads GitHub sends", () => {
  it.each(of("pull_request", ["opened", "synchronize", "reopened"]).map((p, i) => [i, p] as const))("pull_request example %i", (_i, payload) => {
    const event = EVENT_READERS.pull_request(payload);
    expect(event).toMatchObject({ action: payload.action, number: payload.pull_request.number, baseSha: payload.pull_request.base.sha, headSha: payload.pull_request.head.sha });
    expect(`${event.owner}/${event.repo}`).toBe(payload.pull_request.base.repo.full_name);
  });

  it.each(of("workflow_run").map((p, i) => [i, p] as const))("workflow_run example %i", (_i, payload) => {
    const event = EVENT_READERS.workflow_run(payload);
    expect(event).toMatchObject({ headSha: payload.workflow_run.head_sha, triggeringEvent: payload.workflow_run.event });
    expect(`${event.owner}/${event.repo}`).toBe(payload.repository.full_name);
  });

  it.each(of("push").map((p, i) => [i, p] as const))("push example %i (restore on a merge)", (_i, payload) => {
    expect(EVENT_READERS.repository(payload, "push")).toEqual({
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      defaultBranch: payload.repository.default_branch,
      ref: payload.ref,
      before: payload.before,
    });
  });

  it.each(of("workflow_dispatch").map((p, i) => [i, p] as const))("workflow_dispatch example %i (restore, pause, run)", (_i, payload) => {
    expect(EVENT_READERS.repository(payload, "workflow_dispatch")).toMatchObject({ repo: payload.repository.name, ref: null, before: null });
    expect(EVENT_READERS.dispatch(payload)).toEqual({ ref: payload.ref, defaultBranch: payload.repository.default_branch });
  });

  it("a payload without the fields it needs is one clear error naming the field", () => {
    expect(() => EVENT_READERS.repository({ repository: { name: "w", owner: { login: "acme" } } }, "push")).toThrow("the push event payload has no valid repository.default_branch");
    expect(() => EVENT_READERS.workflow_run({})).toThrow("the workflow_run event payload has no valid workflow_run.head_sha");
    expect(EVENT_READERS.dispatch("not an object")).toEqual({ ref: null, defaultBranch: null });
  });
});
