import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { completeWebhook } from "./githubContract.js";
import { OWNER, REPO } from "./pullRequestPayload.js";

const examplesFile = createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json");
const definitions = JSON.parse(readFileSync(examplesFile, "utf8")) as { name: string; examples: Record<string, any>[] }[];

/** A real `workflow_run.completed` payload, as if a fork PR's pull_request workflow just finished. */
export function workflowRunPayload(options: { headSha: string; headRepository: string; event?: string | undefined; pullRequests?: number[] | undefined }): Record<string, any> {
  const example = definitions.find((d) => d.name === "workflow_run")?.examples.find((e) => e.action === "completed");
  if (!example) throw new Error("no workflow_run.completed example in @octokit/webhooks-examples");
  const payload = structuredClone(example);
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.name = REPO;
  payload.repository.owner.login = OWNER;
  payload.workflow_run.event = options.event ?? "pull_request";
  payload.workflow_run.head_sha = options.headSha;
  payload.workflow_run.head_repository.full_name = options.headRepository;
  payload.workflow_run.repository.full_name = `${OWNER}/${REPO}`;
  payload.workflow_run.pull_requests = (options.pullRequests ?? []).map((number) => ({ number }));
  return completeWebhook("workflow_run", payload);
}
