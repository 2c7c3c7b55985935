/** The parts of a `pull_request` webhook payload the tool uses, checked at the edge. */
export interface PullRequestEvent {
  action: string;
  number: number;
  owner: string;
  repo: string;
  baseSha: string;
  headSha: string;
  /** `owner/name` of the head repository; null when the fork was deleted. */
  headRepository: string | null;
  /** Why the token can write nothing (a fork, Dependabot), or null. */
  readOnly: string | null;
}
