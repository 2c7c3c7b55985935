import { cliBundlePerFile, interruptJsonAtStep, type StepSignal } from "../helpers/interruptAtStep.js";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestRepo } from "../helpers/gitRepo.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// restoreSignals.int covers every step of a plain `restore`; these are the variants a script uses:
// `--json`, `--no-commit` and `--allow-dirty` (uncommitted edits in the tree), with the signal at a
// step, checked against what the tree, the index, HEAD and the branches hold afterwards.
const cli = cliBundlePerFile();

const DOC = "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md";
const MINE = "\n<!-- my uncommitted note -->\n";

interface Case extends StepSignal {
  title: string;
  args: string[];
  dirty?: boolean;
  expect: "undone" | "completed";
}

const CASES: Case[] = [
  // Before dbt: the dirty-tree check's git is hit by the terminal's Ctrl-C too.
  { title: "--json, Ctrl-C to the group while git checks the tree for changes", args: ["--json"], git: "status --porcelain=v1 *", signal: "SIGINT", to: "group", expect: "undone" },
  { title: "--json, SIGTERM in dbt parse", args: ["--json"], signal: "SIGTERM", expect: "undone" },
  { title: "--json --no-commit, SIGINT while the index is written", args: ["--json", "--no-commit"], git: "update-index -z --index-info", ownIndexOnly: true, signal: "SIGINT", expect: "undone" },
  { title: "--json --allow-dirty, SIGINT at the branch", args: ["--json", "--allow-dirty"], git: "update-ref -m dbt-unskip refs/heads/*", signal: "SIGINT", dirty: true, expect: "undone" },
  { title: "--json --allow-dirty, SIGTERM at the last step", args: ["--json", "--allow-dirty"], git: "symbolic-ref -m dbt-unskip HEAD *", signal: "SIGTERM", dirty: true, expect: "completed" },
];

describe("restore --json (--no-commit, --allow-dirty) interrupted: the JSON, the last line and the exit agree with the repository", () => {
  it.each(CASES.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
    const repo = cli.track(await createTestRepo(EXAMPLE_DIR));
    await landMasContracts(repo);
    if (c.dirty) {
      await appendFile(join(repo.dir, DOC), MINE);
      await writeFile(join(repo.dir, "notes.txt"), "untracked\n");
    }
    const before = await treeFingerprint(repo.dir);
    const statusBefore = await repo.git("status", "--porcelain");
    const branchesBefore = await repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads");
    // The lock held at the step and gone after, the signal's exit code: checked in interruptJsonAtStep.
    const { json, last, output } = await interruptJsonAtStep(cli.bundle(), repo.dir, ["restore", "--dimension", "dim_user", "--yes", ...c.args], c);
    if (c.expect === "undone") {
      expect(json.result, output).toBe("interrupted");
      // The outcome (commit null), or, stopped before there was one, the interrupted object (no commit).
      expect(json.commit ?? null).toBe(null);
      expect(output).not.toMatch(/internal error|FAILED/);
      expect(json.error).toMatch(new RegExp(`^stopped by ${c.signal}`));
      expect(last).toBe(`${c.signal}: the restore was stopped; nothing was changed (working tree, index, HEAD and branches are as they were).`);
      expect(await treeFingerprint(repo.dir)).toEqual(before);
      expect(await repo.git("status", "--porcelain")).toBe(statusBefore);
      expect(await repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads")).toBe(branchesBefore);
    } else {
      expect(json.result, output).toBe("restored");
      const sha = (await repo.git("rev-parse", "HEAD")).trim();
      expect((json.commit as { sha: string }).sha).toBe(sha);
      expect(last).toBe(`${c.signal}: the restore had already completed when it arrived (committed ${sha.slice(0, 12)} on migrate/dim_user); nothing was undone.`);
      // --allow-dirty: the note stays in the tree, uncommitted, on top of the restore.
      expect(await repo.git("show", `HEAD:${DOC}`)).not.toContain("my uncommitted note");
      expect(await readFile(join(repo.dir, DOC), "utf8")).toContain("my uncommitted note");
      expect(await repo.git("status", "--porcelain", "--", DOC, "notes.txt")).toBe(` M ${DOC}\n?? notes.txt\n`);
    }
  });
});
