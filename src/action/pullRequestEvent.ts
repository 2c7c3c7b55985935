import type { PullRequestEvent } from "../usecases/pullRequestEvent.js";
import { badField, field, REPOSITORY, SHA } from "./eventFields.js";

export type { PullRequestEvent };

/** The actions a readiness check runs on; the rest (labeled, edited ...) change no file. */
export const PULL_REQUEST_ACTIONS = ["opened", "synchronize", "reopened"] as const;

export function parsePullRequestEvent(payload: unknown): PullRequestEvent {
  const pr = field(payload, "pull_request");
  const number = field(pr, "number");
  const baseSha = field(field(pr, "base"), "sha");
  const headSha = field(field(pr, "head"), "sha");
  const baseRepository = field(field(field(pr, "base"), "repo"), "full_name");
  const headRepo = field(field(pr, "head"), "repo");
  const headRepository = headRepo === null ? null : field(headRepo, "full_name");
  const action = field(payload, "action");
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) throw bad("pull_request.number");
  if (typeof baseSha !== "string" || !SHA.test(baseSha)) throw bad("pull_request.base.sha");
  if (typeof headSha !== "string" || !SHA.test(headSha)) throw bad("pull_request.head.sha");
  if (typeof baseRepository !== "string" || !REPOSITORY.test(baseRepository)) throw bad("pull_request.base.repo.full_name");
  if (headRepository !== null && typeof headRepository !== "string") throw bad("pull_request.head.repo.full_name");
  const [owner, repo] = baseRepository.split("/") as [string, string];
  const sender = field(field(payload, "sender"), "login");
  let readOnly: string | null = null;
  if (headRepository === null) readOnly = "the pull request's head repository was deleted";
  else if (headRepository.toLowerCase() !== baseRepository.toLowerCase()) readOnly = `the pull request comes from a fork (${headRepository})`;
  // Workflows that Dependabot triggers get a read-only token and no secrets, as forks do.
  else if (sender === "dependabot[bot]") readOnly = "the pull request event was triggered by Dependabot";
  return { action: typeof action === "string" ? action : "", number, owner, repo, baseSha, headSha, headRepository, readOnly };
}

const bad = (path: string) => badField("pull_request", path);
