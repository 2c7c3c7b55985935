import { cliBundlePerFile, interruptAtStep, type StepSignal } from "../helpers/interruptAtStep.js";
import { describe, expect, it } from "vitest";
import { createTestRepo } from "../helpers/gitRepo.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// RELIABILITY 28 with real processes: `dbt-unskip restore` (bundled from the sources) gets SIGINT or
// SIGTERM while one exact step runs. A stand-in dbt or git stops at that step on a FIFO and
// announces itself; the test sends the signal, waits for the CLI to say it was interrupted (so the
// signal is handled before the step ends), then lets the step finish. No clock is involved.
const cli = cliBundlePerFile();

interface Case extends StepSignal {
  step: string;
  to: "process" | "group";
  expect: "undone" | "completed";
}

const CASES: Case[] = [
  { step: "dbt", signal: "SIGINT", to: "process", expect: "undone" },
  { step: "dbt", signal: "SIGTERM", to: "group", expect: "undone" },
  { step: "state document (its new text written as a git object)", git: "hash-object -w --stdin", signal: "SIGINT", to: "process", expect: "undone" },
  { step: "commit", git: "commit-tree *", signal: "SIGTERM", to: "process", expect: "undone" },
  { step: "commit", git: "commit-tree *", signal: "SIGINT", to: "group", expect: "undone" },
  { step: "branch", git: "update-ref -m dbt-unskip refs/heads/*", signal: "SIGINT", to: "process", expect: "undone" },
  { step: "branch", git: "update-ref -m dbt-unskip refs/heads/*", signal: "SIGTERM", to: "group", expect: "undone" },
  { step: "rename (in the index)", git: "update-index -z --index-info", ownIndexOnly: true, signal: "SIGTERM", to: "process", expect: "undone" },
  { step: "rename (in the index)", git: "update-index -z --index-info", ownIndexOnly: true, signal: "SIGINT", to: "group", expect: "undone" },
  // The last step: a signal to the process alone arrives when nothing is left to do but finish.
  { step: "HEAD to the new branch (last)", git: "symbolic-ref -m dbt-unskip HEAD *", signal: "SIGINT", to: "process", expect: "completed" },
  { step: "HEAD to the new branch (last)", git: "symbolic-ref -m dbt-unskip HEAD *", signal: "SIGINT", to: "group", expect: "undone" },
];

describe("an interrupt at any step of `dbt-unskip restore` ends with everything as it was, or everything done, and says which", () => {
  it.each(CASES.map((c) => [`${c.signal} to the ${c.to === "group" ? "process group (a terminal's Ctrl-C)" : "process"} during ${c.step}: ${c.expect}`, c] as const))("%s", async (_title, c) => {
    const repo = cli.track(await createTestRepo(EXAMPLE_DIR));
    await landMasContracts(repo);
    const before = await treeFingerprint(repo.dir);
    const { code, output } = await interruptAtStep(cli.bundle(), repo.dir, ["restore", "--dimension", "dim_user", "--yes"], c);

    // The signal's own exit code (128 + its number), whichever way it went.
    expect(code).toBe(c.signal === "SIGINT" ? 130 : 143);
    if (c.expect === "undone") {
      expect(output).toContain(`${c.signal}: the restore was stopped; nothing was changed (working tree, index, HEAD and branches are as they were).`);
      // An interruption, not a failure: no git or dbt error made of the signal (`git ... killed`, `dbt parse was killed`).
      expect(output).toContain("RESTORE INTERRUPTED: dim_user");
      expect(output).toContain(`Interrupted: stopped by ${c.signal} before`);
      expect(output).not.toMatch(/FAILED|Error:|Fix the error/);
      expect(output).not.toContain("Committed ");
      expect(await treeFingerprint(repo.dir)).toEqual(before);
      expect(await repo.git("for-each-ref", "--format=%(refname)", "refs/heads")).toBe("refs/heads/main\n");
    } else {
      expect(output).toMatch(new RegExp(`${c.signal}: the restore had already completed when it arrived \\(committed [0-9a-f]{12} on migrate/dim_user\\); nothing was undone\\.`));
      expect((await repo.git("rev-parse", "--abbrev-ref", "HEAD")).trim()).toBe("migrate/dim_user");
      expect((await repo.git("rev-parse", "HEAD~1")).trim()).toBe(before["(git HEAD)"]);
      expect(await repo.git("status", "--porcelain")).toBe("");
    }
  });
});
