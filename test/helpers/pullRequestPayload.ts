import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { completeWebhook } from "./githubContract.js";

/**
 * Real `pull_request` webhook payloads (from @octokit/webhooks-examples, the ones GitHub documents),
 * pointed at a fixture repository: `acme/warehouse`, the base and head commits of a real test
 * repository, and optionally a fork as the head repository.
 */

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

const examplesFile = createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json");
const definitions = JSON.parse(readFileSync(examplesFile, "utf8")) as WebhookDefinition[];

export const OWNER = "acme";
export const REPO = "warehouse";

export interface PayloadOptions {
  action: "opened" | "synchronize" | "reopened" | "labeled" | "closed";
  number?: number;
  baseSha: string;
  headSha: string;
  /** The head repository's owner when the PR comes from a fork. */
  forkOwner?: string;
  sender?: string;
}

export function pullRequestPayload(options: PayloadOptions): Record<string, any> {
  const example = definitions.find((d) => d.name === "pull_request")?.examples.find((e) => e.action === options.action);
  if (!example) throw new Error(`no pull_request.${options.action} example in @octokit/webhooks-examples`);
  const original = example as Record<string, any>;
  const from = original.repository.full_name as string; // Codertocat/Hello-World
  const fromOwner = original.repository.owner.login as string;
  const text = JSON.stringify(example)
    .replaceAll(from, `${OWNER}/${REPO}`)
    .replaceAll(`"${fromOwner}"`, `"${OWNER}"`)
    .replaceAll(`"${from.split("/")[1]}"`, `"${REPO}"`);
  const payload = JSON.parse(text) as Record<string, any>;
  const number = options.number ?? 7;
  payload.number = number;
  payload.pull_request.number = number;
  payload.pull_request.base.sha = options.baseSha;
  payload.pull_request.head.sha = options.headSha;
  if (options.action === "synchronize") payload.after = options.headSha;
  if (options.forkOwner) {
    const head = payload.pull_request.head;
    head.repo = JSON.parse(JSON.stringify(head.repo).replaceAll(`${OWNER}/${REPO}`, `${options.forkOwner}/${REPO}`));
    head.repo.owner.login = options.forkOwner;
    head.repo.fork = true;
    head.user.login = options.forkOwner;
    head.label = `${options.forkOwner}:${head.ref}`;
  }
  if (options.sender) payload.sender.login = options.sender;
  return completeWebhook("pull_request", payload);
}

/** A real `push` payload pointed at the fixture repository: `before` → `after` on `ref`. */
export function pushPayload(options: { before: string; after: string; ref?: string; defaultBranch?: string }): Record<string, any> {
  return retarget(definitions.find((d) => d.name === "push")?.examples[0], "push", (payload) => {
    payload.ref = options.ref ?? "refs/heads/main";
    payload.before = options.before;
    payload.after = options.after;
    payload.repository.default_branch = options.defaultBranch ?? "main";
  });
}

/** A real `workflow_dispatch` payload pointed at the fixture repository, with the given inputs. */
export function workflowDispatchPayload(inputs: Record<string, string>): Record<string, any> {
  return retarget(definitions.find((d) => d.name === "workflow_dispatch")?.examples[0], "workflow_dispatch", (payload) => {
    payload.inputs = inputs;
    payload.ref = "refs/heads/main";
    payload.repository.default_branch = "main";
  });
}

function retarget(example: Record<string, unknown> | undefined, name: string, adjust: (payload: Record<string, any>) => void): Record<string, any> {
  if (!example) throw new Error(`no ${name} example in @octokit/webhooks-examples`);
  const original = example as Record<string, any>;
  const from = original.repository.full_name as string;
  const fromOwner = original.repository.owner.login as string;
  const text = JSON.stringify(example)
    .replaceAll(from, `${OWNER}/${REPO}`)
    .replaceAll(`"${fromOwner}"`, `"${OWNER}"`)
    .replaceAll(`"${from.split("/")[1]}"`, `"${REPO}"`);
  const payload = JSON.parse(text) as Record<string, any>;
  adjust(payload);
  return completeWebhook(name, payload);
}
