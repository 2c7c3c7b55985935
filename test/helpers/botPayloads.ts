import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { completeWebhook } from "./githubContract.js";
import { OWNER, pullRequestPayload, REPO, type PayloadOptions } from "./pullRequestPayload.js";

/**
 * Real webhook payloads (@octokit/webhooks-examples) as an installed GitHub App receives them:
 * pointed at `acme/warehouse` (default branch `main`) and carrying the installation the app acts for.
 */

export const INSTALLATION_ID = 42;

interface WebhookDefinition {
  name: string;
  examples: Record<string, any>[];
}

const definitions = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8")) as WebhookDefinition[];

function example(name: string, pick: (e: Record<string, any>) => boolean): Record<string, any> {
  const found = definitions.find((d) => d.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no matching ${name} example in @octokit/webhooks-examples`);
  const from = found.repository.full_name as string;
  const fromOwner = found.repository.owner.login as string;
  const text = JSON.stringify(found)
    .replaceAll(from, `${OWNER}/${REPO}`)
    .replaceAll(`"${fromOwner}"`, `"${OWNER}"`)
    .replaceAll(`"${from.split("/")[1]}"`, `"${REPO}"`);
  const payload = JSON.parse(text) as Record<string, any>;
  payload.repository.default_branch = "main";
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  return payload;
}

function user(login: string, type: "User" | "Bot"): Record<string, any> {
  return {
    login,
    id: login.length * 1000 + 7,
    node_id: `U_${login}`,
    type,
    site_admin: false,
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
    html_url: type === "Bot" ? `https://github.com/apps/${encodeURIComponent(login.replace(/\[bot\]$/, ""))}` : `https://github.com/${login}`,
  };
}

export interface CommentOptions {
  body: string;
  login?: string;
  userType?: "User" | "Bot";
  action?: "created" | "edited";
  /** The issue number the comment is on. */
  issue?: number;
  /** The comment is on a pull request. */
  onPullRequest?: boolean;
  commentId?: number;
}

/** `issue_comment` (created or edited) by a person (or a bot) on an issue or a pull request. */
export function issueCommentPayload(options: CommentOptions): Record<string, any> {
  const action = options.action ?? "created";
  const payload = example("issue_comment", (e) => e.action === action);
  const author = user(options.login ?? "octocat", options.userType ?? "User");
  payload.comment.body = options.body;
  payload.comment.id = options.commentId ?? 9001;
  payload.comment.user = author;
  payload.sender = { ...author };
  payload.issue.number = options.issue ?? 7;
  if (options.onPullRequest) {
    payload.issue.pull_request = { url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${payload.issue.number}`, html_url: `https://github.com/${OWNER}/${REPO}/pull/${payload.issue.number}` };
  } else {
    delete payload.issue.pull_request;
  }
  if (action === "edited") payload.changes = { body: { from: "/unskip status" } };
  return completeWebhook("issue_comment", payload);
}

/** `issues.edited`: `sender` changed the body of an issue opened by `author` from `from` to `body`. */
export function issuesEditedPayload(options: { body: string; from: string; author: string; authorType?: "User" | "Bot"; sender?: string; senderType?: "User" | "Bot"; issue?: number }): Record<string, any> {
  const payload = example("issues", (e) => e.action === "edited");
  payload.issue.number = options.issue ?? 12;
  payload.issue.body = options.body;
  payload.issue.user = user(options.author, options.authorType ?? "Bot");
  payload.issue.labels = [{ id: 1, name: "dbt-unskip", color: "0e8a16", default: false }];
  payload.changes = { body: { from: options.from } };
  payload.sender = user(options.sender ?? "octocat", options.senderType ?? "User");
  return completeWebhook("issues", payload);
}

/** `push` of `before` → `after` to `ref` (the default branch unless said). */
export function appPushPayload(options: { before: string; after: string; ref?: string }): Record<string, any> {
  const payload = example("push", (e) => e.ref === "refs/heads/master" && e.installation !== undefined);
  payload.ref = options.ref ?? "refs/heads/main";
  payload.before = options.before;
  payload.after = options.after;
  payload.deleted = false;
  payload.head_commit = { ...payload.head_commit, id: options.after };
  return completeWebhook("push", payload);
}

/** `pull_request` as the Action's tests have it, plus the installation. */
export function appPullRequestPayload(options: PayloadOptions): Record<string, any> {
  return completeWebhook("pull_request", { ...pullRequestPayload(options), installation: { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" } });
}
