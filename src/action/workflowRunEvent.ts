import { badField, field, REPOSITORY, SHA } from "./eventFields.js";

/** The parts of a `workflow_run` payload the report poster trusts (GitHub wrote them, not the PR). */
export interface WorkflowRunEvent {
  owner: string;
  repo: string;
  /** The event that ran the workflow whose artifact is being posted. */
  triggeringEvent: string;
  headSha: string;
  /** `owner/name` of the repository the head commit came from; null when it is gone. */
  headRepository: string | null;
  /** PRs GitHub links to the run (empty for forks, which is why the artifact's number is needed). */
  pullRequestNumbers: number[];
}

export function parseWorkflowRunEvent(payload: unknown): WorkflowRunEvent {
  const run = field(payload, "workflow_run");
  const headSha = field(run, "head_sha");
  const repository = field(field(payload, "repository"), "full_name");
  const headRepository = field(field(run, "head_repository"), "full_name");
  if (typeof headSha !== "string" || !SHA.test(headSha)) throw badField("workflow_run", "workflow_run.head_sha");
  if (typeof repository !== "string" || !REPOSITORY.test(repository)) throw badField("workflow_run", "repository.full_name");
  const pulls = field(run, "pull_requests");
  const [owner, repo] = repository.split("/") as [string, string];
  return {
    owner,
    repo,
    triggeringEvent: String(field(run, "event") ?? ""),
    headSha,
    headRepository: typeof headRepository === "string" ? headRepository : null,
    pullRequestNumbers: Array.isArray(pulls) ? pulls.map((p) => field(p, "number")).filter((n): n is number => typeof n === "number" && Number.isSafeInteger(n) && n > 0) : [],
  };
}
