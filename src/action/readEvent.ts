import { readFile } from "node:fs/promises";
import { UserError } from "../core/userError.js";
import type { ActionEnvironment } from "./actionInputs.js";
import { badField, field } from "./eventFields.js";
import { parsePullRequestEvent, type PullRequestEvent } from "./pullRequestEvent.js";
import { parseWorkflowRunEvent, type WorkflowRunEvent } from "./workflowRunEvent.js";

/** The repository an event happened in, and for a push the branch pushed to and the commit before it. */
export interface RepositoryEvent {
  owner: string;
  repo: string;
  defaultBranch: string;
  /** For a push: the ref pushed to, and the commit it pointed at before; null for any other event. */
  ref: string | null;
  before: string | null;
}

/** What a dispatch of `command: run` says about where it runs (each null when the payload does not say). */
export interface DispatchEvent {
  ref: string | null;
  defaultBranch: string | null;
}

/**
 * The reading of each event payload the Action uses: the fields it trusts, checked at the edge (the
 * same checks whatever the handler). `test/contract/eventPayloads.test.ts` runs every reader over
 * GitHub's own webhook examples and checks each path it reads against GitHub's webhook description.
 */
export const EVENT_READERS = {
  pull_request: (payload: unknown): PullRequestEvent => parsePullRequestEvent(payload),
  workflow_run: (payload: unknown): WorkflowRunEvent => parseWorkflowRunEvent(payload),
  repository: (payload: unknown, eventName: string): RepositoryEvent => parseRepositoryEvent(payload, eventName),
  dispatch: (payload: unknown): DispatchEvent => parseDispatchEvent(payload),
} as const;

export type EventKind = keyof typeof EVENT_READERS;
export type EventOf<K extends EventKind> = ReturnType<(typeof EVENT_READERS)[K]>;

/**
 * The one reader of `GITHUB_EVENT_PATH`: every failure is the user's to see as one clear line (no
 * event file, a file that is not JSON, a field that is missing or malformed). `optional`: a run with
 * no event file gets null instead of an error (a `run` started outside a workflow run).
 */
export async function readEvent<K extends EventKind>(env: Pick<ActionEnvironment, "eventPath" | "eventName">, kind: K, options: { optional: true }): Promise<EventOf<K> | null>;
export async function readEvent<K extends EventKind>(env: Pick<ActionEnvironment, "eventPath" | "eventName">, kind: K, options?: { optional?: false }): Promise<EventOf<K>>;
export async function readEvent<K extends EventKind>(env: Pick<ActionEnvironment, "eventPath" | "eventName">, kind: K, options: { optional?: boolean } = {}): Promise<EventOf<K> | null> {
  if (!env.eventPath) {
    if (options.optional) return null;
    throw new UserError(`GITHUB_EVENT_PATH is not set: is this running in a workflow (${kind === "repository" ? "push or workflow_dispatch" : kind})?`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(env.eventPath, "utf8"));
  } catch (error) {
    throw new UserError(`cannot read the event payload ${env.eventPath}: ${(error as Error).message}`);
  }
  return EVENT_READERS[kind](payload, env.eventName) as EventOf<K>;
}

function parseRepositoryEvent(payload: unknown, eventName: string): RepositoryEvent {
  const repository = field(payload, "repository");
  const owner = field(field(repository, "owner"), "login");
  const repo = field(repository, "name");
  const defaultBranch = field(repository, "default_branch");
  const event = eventName || "event";
  if (typeof repo !== "string") throw badField(event, "repository.name");
  if (typeof owner !== "string") throw badField(event, "repository.owner.login");
  if (typeof defaultBranch !== "string") throw badField(event, "repository.default_branch");
  const ref = field(payload, "ref");
  const before = field(payload, "before");
  return {
    owner,
    repo,
    defaultBranch,
    ref: typeof ref === "string" && eventName === "push" ? ref : null,
    before: typeof before === "string" && eventName === "push" ? before : null,
  };
}

function parseDispatchEvent(payload: unknown): DispatchEvent {
  const ref = field(payload, "ref");
  const defaultBranch = field(field(payload, "repository"), "default_branch");
  return { ref: typeof ref === "string" ? ref : null, defaultBranch: typeof defaultBranch === "string" ? defaultBranch : null };
}
