import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { applyTreeChange } from "../../src/adapters/git/treeTransaction.js";
import { TreeTransactionAborted } from "../../src/usecases/workTree.js";
import { fakeGitDir, makeGate, scriptDir } from "../helpers/fakeTools.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// A terminal's Ctrl-C reaches git and dbt-unskip together, and git's death can be seen before
// dbt-unskip's own handler has run (restoreSignals.int saw "RESTORE FAILED" with exit 143 once, for
// SIGTERM to the group during the branch step). Here only git is killed, so this process never sees
// a signal: the transaction must still call it an interrupt, with every step done undone.
const PATH = process.env.PATH;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  process.env.PATH = PATH;
  for (const c of cleanups.splice(0)) await c();
});

describe("a git of the tree transaction killed by a signal", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("%s to git alone at the branch step: TreeTransactionAborted, the tree and branches as they were", async (signal) => {
    const repo: TestRepo = await createTestRepo(EXAMPLE_DIR);
    const scripts = await scriptDir();
    cleanups.push(
      () => repo.cleanup(),
      () => rm(scripts, { recursive: true, force: true }),
    );
    const from = (await repo.git("ls-files", "*.sql")).split("\n")[0]!;
    const { gate, ready, hold } = await makeGate(scripts, "step");
    const bin = await fakeGitDir(scripts, "update-ref -m dbt-unskip refs/heads/*", { ready, hold });
    const before = await treeFingerprint(repo.dir);
    const branchesBefore = await repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads");
    process.env.PATH = `${bin}:${PATH}`;
    const applied = applyTreeChange(repo.dir, { renames: [{ from, to: `${from}.skip` }], edits: [], commit: { message: "pause one", branch: "migrate/x", createBranch: true } });
    const outcome = applied.then(
      () => null,
      (error: unknown) => error,
    );
    await gate.reached();
    // The stand-in git (a shell waiting at the gate) alone gets the signal.
    execFileSync("pkill", [`-${signal.slice(3)}`, "-f", `${bin}/git update-ref`]);
    await gate.release();
    gate.close();
    const error = await outcome;
    expect(error).toBeInstanceOf(TreeTransactionAborted);
    expect((error as TreeTransactionAborted).step).toBe("branch");
    process.env.PATH = PATH;
    expect(await treeFingerprint(repo.dir)).toEqual(before);
    expect(await repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads")).toBe(branchesBefore);
  });
});
