import { cliBundlePerFile, interruptJsonAtStep, type StepSignal } from "../helpers/interruptAtStep.js";
import { describe, expect, it } from "vitest";
import { createTestRepo } from "../helpers/gitRepo.js";
import { activateBrokenModels } from "../helpers/pauseExample.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// RELIABILITY 28 for `dbt-unskip pause --json` as a real process (bundled from the sources), as
// restoreSignals.int does for restore: a stand-in dbt or git stops at one step on a FIFO, the test
// sends the signal, waits for the CLI to say it was interrupted, then lets the step finish. What the
// report, the JSON and the exit code say is compared with the tree, the index, HEAD and the branches.
const cli = cliBundlePerFile();

interface Case extends StepSignal {
  step: string;
  to: "process" | "group";
  expect: "undone" | "completed";
}

const CASES: Case[] = [
  // Before dbt: the dirty-tree check's git is hit by the terminal's Ctrl-C too (it said "internal error", exit 1).
  { step: "the check for uncommitted changes", git: "status --porcelain=v1 *", signal: "SIGINT", to: "group", expect: "undone" },
  { step: "dbt parse", signal: "SIGINT", to: "process", expect: "undone" },
  { step: "commit", git: "commit-tree *", signal: "SIGTERM", to: "process", expect: "undone" },
  { step: "branch", git: "update-ref -m dbt-unskip refs/heads/*", signal: "SIGINT", to: "group", expect: "undone" },
  { step: "rename (in the index)", git: "update-index -z --index-info", ownIndexOnly: true, signal: "SIGTERM", to: "process", expect: "undone" },
  { step: "HEAD to the new branch (last)", git: "symbolic-ref -m dbt-unskip HEAD *", signal: "SIGINT", to: "process", expect: "completed" },
];

describe("an interrupt at any step of `dbt-unskip pause --json`: the report, the JSON and the exit say what was done", () => {
  it.each(CASES.map((c) => [`${c.signal} to the ${c.to} during ${c.step}: ${c.expect}`, c] as const))("%s", async (_title, c) => {
    const repo = cli.track(await createTestRepo(EXAMPLE_DIR));
    await activateBrokenModels(repo);
    const before = await treeFingerprint(repo.dir);
    const branchesBefore = await repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads");
    // The lock held at the step and gone after, the signal's exit code: checked in interruptJsonAtStep.
    const { json, last, output } = await interruptJsonAtStep(cli.bundle(), repo.dir, ["pause", "--dimension", "dim_user", "--yes", "--json"], c);
    if (c.expect === "undone") {
      expect(json.result, output).toBe("interrupted");
      // The outcome (commit null), or, stopped before there was one, the interrupted object (no commit).
      expect(json.commit ?? null).toBe(null);
      expect(last).toBe(`${c.signal}: nothing was paused; the tree, index and HEAD are as they were.`);
      expect(output).not.toMatch(/internal error|FAILED/);
      expect(await treeFingerprint(repo.dir)).toEqual(before);
      expect(await repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads")).toBe(branchesBefore);
    } else {
      expect(json.result, output).toBe("paused");
      const sha = (await repo.git("rev-parse", "HEAD")).trim();
      expect((json.commit as { sha: string }).sha).toBe(sha);
      expect(last).toBe(`${c.signal} came after the pause was complete: it is committed (${sha.slice(0, 12)}).`);
      expect((await repo.git("rev-parse", "--abbrev-ref", "HEAD")).trim()).toBe("migrate/dim_user");
      expect((await repo.git("rev-parse", "HEAD~1")).trim()).toBe(before["(git HEAD)"]);
      expect(await repo.git("status", "--porcelain")).toBe("");
    }
  });
});
