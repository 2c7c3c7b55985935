import { UserError } from "../core/userError.js";

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

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
// owner/name as GitHub allows them (no `.` or `..` as a name).
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/(?!\.\.?$)[A-Za-z0-9_.-]+$/;

export function parseWorkflowRunEvent(payload: unknown): WorkflowRunEvent {
  const run = field(payload, "workflow_run");
  const headSha = field(run, "head_sha");
  const repository = field(field(payload, "repository"), "full_name");
  const headRepository = field(field(run, "head_repository"), "full_name");
  if (typeof headSha !== "string" || !SHA.test(headSha)) throw new UserError("the workflow_run event payload has no valid workflow_run.head_sha");
  if (typeof repository !== "string" || !REPOSITORY.test(repository)) throw new UserError("the workflow_run event payload has no valid repository.full_name");
  const pulls = field(run, "pull_requests");
  const [owner, repo] = repository.split("/") as [string, string];
  return {
    owner,
    repo,
    triggeringEvent: String(field(run, "event") ?? ""),
    headSha,
    headRepository: typeof headRepository === "string" ? headRepository : null,
    pullRequestNumbers: Array.isArray(pulls)
      ? pulls.map((p) => field(p, "number")).filter((n): n is number => typeof n === "number" && Number.isSafeInteger(n) && n > 0)
      : [],
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
