import type { ChangedFile } from "../../core/readiness/readinessDiff.js";
import { UserError } from "../../core/userError.js";
import { runGit } from "./runGit.js";

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** Where a PR's comparison starts, and how it was found. */
export interface BaseRevision {
  /** The commit whose tree is "before": the merge base of base and head, or the base itself. */
  rev: string;
  /** The merge base could not be found (a shallow clone), so the base commit itself is used. */
  approximate: boolean;
  /** The base commit had to be fetched (a depth-1 checkout). */
  fetched: boolean;
}

/**
 * The commit to compare a PR's head with. actions/checkout fetches one commit by default, so the base
 * is fetched (one commit, no tags) when missing; with full history the merge base is used, as
 * `git diff base...head` does, so commits that landed on the base branch meanwhile are not
 * credited to the PR. On the default merge-commit checkout the base is the merge's first parent, so
 * both answers agree.
 */
export async function resolveBaseRevision(repo: string, baseSha: string, head: string): Promise<BaseRevision> {
  if (!SHA.test(baseSha)) throw new UserError(`base commit '${baseSha}' is not a commit id`);
  let fetched = false;
  if (!(await hasCommit(repo, baseSha))) {
    await runGit(repo, ["fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", "--end-of-options", baseSha], { allowFailure: true });
    fetched = true;
    if (!(await hasCommit(repo, baseSha))) {
      throw new UserError(`the PR's base commit ${baseSha.slice(0, 12)} is not in the checkout and could not be fetched; use actions/checkout with fetch-depth: 0`);
    }
  }
  const mergeBase = await runGit(repo, ["merge-base", "--end-of-options", baseSha, head], { allowFailure: true });
  const found = mergeBase.stdout.trim();
  if (mergeBase.code === 0 && SHA.test(found)) return { rev: found, approximate: false, fetched };
  return { rev: baseSha, approximate: true, fetched };
}

/**
 * `git diff --name-status` between two commits, as data. Paths are relative to `repo` (the folder
 * the tool works in), and changes outside it are left out.
 */
export async function changedFiles(repo: string, from: string, to: string): Promise<ChangedFile[]> {
  const { stdout } = await runGit(repo, ["diff", "--name-status", "-z", "-M", "--relative", "--no-ext-diff", "--end-of-options", from, to]);
  const fields = stdout.split("\0");
  const changes: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? "";
    if (code === "") continue;
    const letter = code[0];
    if (letter === "R" || letter === "C") {
      const source = fields[i++] ?? "";
      const target = fields[i++] ?? "";
      changes.push(letter === "R" ? { status: "R", from: source, path: target } : { status: "A", path: target });
    } else {
      const path = fields[i++] ?? "";
      changes.push({ status: letter === "A" ? "A" : letter === "D" ? "D" : "M", path });
    }
  }
  return changes;
}

/**
 * The newest of HEAD's last 1000 commits whose message contains `grep` (a fixed string) and starts
 * with `messageStart`: its id and full message. Null when there is none, or no HEAD to search from.
 */
export async function latestCommitMatching(repo: string, grep: string, messageStart: string): Promise<{ sha: string; message: string } | null> {
  const log = await runGit(repo, ["log", "-n", "1000", "--fixed-strings", `--grep=${grep}`, "--format=%H%x1f%B%x1e", "HEAD"], { allowFailure: true });
  if (log.code !== 0) return null;
  return (
    log.stdout
      .split("\x1e")
      .map((record) => record.replace(/^\n/, ""))
      .map((record) => ({ sha: record.slice(0, record.indexOf("\x1f")), message: record.slice(record.indexOf("\x1f") + 1) }))
      .find((c) => c.sha && c.message.startsWith(messageStart)) ?? null
  );
}

/** A file's text as commit `rev` holds it; `path` is relative to `repo`, like `changedFiles`' paths. */
export async function fileAtRevision(repo: string, rev: string, path: string): Promise<string> {
  // `rev:./path` is read from the folder git runs in (`rev:path` would be from the top level).
  return (await runGit(repo, ["cat-file", "blob", `${rev}:./${path}`])).stdout;
}

/** `HEAD` as a commit id, and the working folder's path inside the repository ("" at the top). */
export async function checkoutState(repo: string): Promise<{ head: string; prefix: string }> {
  const inside = await runGit(repo, ["rev-parse", "--is-inside-work-tree"], { allowFailure: true });
  if (inside.code !== 0 || inside.stdout.trim() !== "true") {
    throw new UserError(`${repo} is not a git checkout: a pull_request run needs actions/checkout before dbt-unskip`);
  }
  const head = (await runGit(repo, ["rev-parse", "--verify", "HEAD^{commit}"])).stdout.trim();
  const prefix = (await runGit(repo, ["rev-parse", "--show-prefix"])).stdout.trim().replace(/\/+$/, "");
  return { head, prefix };
}

/** Whether `path` (a file or folder, relative to the top) exists in commit `rev`. */
export async function pathExistsAt(repo: string, rev: string, path: string): Promise<boolean> {
  return (await runGit(repo, ["cat-file", "-e", `${rev}:${path}`], { allowFailure: true })).code === 0;
}

async function hasCommit(repo: string, sha: string): Promise<boolean> {
  return (await runGit(repo, ["cat-file", "-e", `${sha}^{commit}`], { allowFailure: true })).code === 0;
}
