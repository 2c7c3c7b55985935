import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pathExists } from "../../src/adapters/files/pathExists.js";
import { buildCliFromSource, startCli } from "../helpers/cliFromSource.js";
import { fakeDbt, fakeGitDir, makeGate, scriptDir } from "../helpers/fakeTools.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { activateBrokenModels } from "../helpers/pauseExample.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// RELIABILITY 28 for `dbt-unskip pause --json` as a real process (bundled from the sources), as
// restoreSignals.int does for restore: a stand-in dbt or git stops at one step on a FIFO, the test
// sends the signal, waits for the CLI to say it was interrupted, then lets the step finish. What the
// report, the JSON and the exit code say is compared with the tree, the index, HEAD and the branches.
let bundle: string;
const repos: TestRepo[] = [];
beforeAll(async () => {
  bundle = await buildCliFromSource();
});
afterAll(async () => {
  await rm(dirname(bundle), { recursive: true, force: true });
});
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.cleanup();
});

interface Case {
  step: string;
  git?: string;
  ownIndexOnly?: boolean;
  signal: NodeJS.Signals;
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
    const repo = await createTestRepo(EXAMPLE_DIR);
    repos.push(repo);
    await activateBrokenModels(repo);
    const scripts = await scriptDir();
    const { gate, ready, hold } = await makeGate(scripts, "step");
    const dbt = await fakeDbt(scripts, "dbt", c.git ? undefined : { ready, hold });
    const path = c.git ? `${await fakeGitDir(scripts, c.git, { ready, hold }, { ownIndexOnly: c.ownIndexOnly })}:${process.env.PATH}` : process.env.PATH!;
    const before = await treeFingerprint(repo.dir);
    const branchesBefore = await repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads");
    const cli = startCli(bundle, ["pause", "--dimension", "dim_user", "--yes", "--json", "--dbt", dbt.command], repo.dir, { PATH: path, HOME: process.env.HOME ?? "" });
    await Promise.race([gate.reached(), cli.exit.then(({ output }) => Promise.reject(new Error(`the CLI ended before the step:\n${output}`)))]);
    // The run holds the repository's lock at every step here (the check below is not vacuous).
    expect(await pathExists(join(repo.dir, ".git", "dbt-unskip.lock"))).toBe(true);
    process.kill(c.to === "group" ? -cli.child.pid! : cli.child.pid!, c.signal);
    await cli.said("Interrupted");
    await gate.release();
    const { code, output, stdout, stderr } = await cli.exit;
    gate.close();
    await rm(scripts, { recursive: true, force: true });

    expect(code, output).toBe(c.signal === "SIGINT" ? 130 : 143);
    // No lock left behind for the next run.
    expect(await pathExists(join(repo.dir, ".git", "dbt-unskip.lock"))).toBe(false);
    // stdout is the one JSON document; the last line is stderr's (the two pipes' order is not fixed).
    const json = JSON.parse(stdout) as Record<string, unknown>;
    const last = stderr.trimEnd().split("\n").at(-1);
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
