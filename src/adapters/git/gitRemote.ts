import { foreignCommits } from "../../core/restore/foreignCommits.js";
import type { RemoteBranchPort } from "../../usecases/restorePullRequestPort.js";
import { GitError, runGit } from "./runGit.js";

/** The `origin` remote, through the one git choke point. */
export function gitRemote(dir: string, remote = "origin"): RemoteBranchPort {
  return {
    async head(branch) {
      const result = await runGit(dir, ["ls-remote", "--heads", remote, `refs/heads/${branch}`]);
      const sha = result.stdout.split(/\s+/)[0];
      return sha ? sha : null;
    },
    async fetch(branch) {
      await runGit(dir, ["fetch", "--quiet", "--no-tags", remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
    },
    async foreignCommits(base, tip) {
      // %x00 separates commits; %B is the whole message, trailer included. Oldest first.
      const log = await runGit(dir, ["log", "--reverse", "--format=%H%x01%B%x00", `${base}..${tip}`]);
      const commits = log.stdout
        .split("\0")
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => ({ sha: entry.split("\x01")[0]!, message: entry.split("\x01")[1] ?? "" }));
      return foreignCommits(commits);
    },
    async mergeBase(a, b) {
      return (await runGit(dir, ["merge-base", a, b])).stdout.trim();
    },
    async parentOf(commit) {
      const result = await runGit(dir, ["rev-parse", "--verify", "--quiet", `${commit}^`], { allowFailure: true });
      return result.code === 0 ? result.stdout.trim() : null;
    },
    async pushWithLease(branch, expected) {
      try {
        await runGit(dir, ["push", "--quiet", `--force-with-lease=refs/heads/${branch}:${expected ?? ""}`, remote, `HEAD:refs/heads/${branch}`]);
        return { ok: true };
      } catch (error) {
        if (error instanceof GitError) return { ok: false, reason: error.stderr.trim().split("\n").slice(-2).join(" ") || error.message };
        throw error;
      }
    },
  };
}
