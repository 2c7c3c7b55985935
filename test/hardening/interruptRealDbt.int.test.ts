import { appendFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCliFromSource, type RunningCli, startCli } from "../helpers/cliFromSource.js";
import { announcingRealDbt, makeGate, scriptDir } from "../helpers/fakeTools.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// Ctrl-C as a user presses it, with the real dbt: the CLI is a real process in its own group, and the
// signal goes to that group (a terminal's Ctrl-C) or to the process (how CI cancels). The real dbt
// runs behind a wrapper that announces its first parse on a gate (announcingRealDbt), so the signal
// is sent only once the CLI runs dbt; dbt's parse of the restored d_user never ends on its own (a
// Jinja loop of 10^10 turns), so the signal always lands while that dbt runs, never after it: no
// clock, and one interrupt line ("stopping dbt"). What is checked is what the user reads: an
// interruption, not a failure, and the exit code of the signal. (The wrapper runs dbt the plain way;
// dbtForkServer.int stops a forked dbt through the abort signal.)
const DBT = join(REPO_ROOT, ".venv", "bin", "dbt");
const HANG = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n";

let bundle: string;
const repos: TestRepo[] = [];
const scripts: string[] = [];
beforeAll(async () => {
  bundle = await buildCliFromSource();
});
afterAll(async () => {
  await rm(dirname(bundle), { recursive: true, force: true });
});
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.cleanup();
  for (const dir of scripts.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function repoWithEndlessParse(): Promise<TestRepo> {
  const repo = await createTestRepo(EXAMPLE_DIR);
  repos.push(repo);
  await landMasContracts(repo);
  await appendFile(join(repo.dir, "dbt/transform/gold/d_user.sql.skip"), HANG);
  await repo.commit("d_user: a parse that never ends");
  return repo;
}

/** The CLI with the real dbt behind a wrapper; `parsing` resolves once that dbt runs its first parse. */
async function cli(repo: TestRepo, args: string[]): Promise<RunningCli & { parsing: Promise<void> }> {
  const dir = await scriptDir();
  scripts.push(dir);
  const { gate, ready } = await makeGate(dir, "parse");
  const dbt = await announcingRealDbt(dir, DBT, ready);
  const run = startCli(bundle, [...args, "--dbt", dbt], repo.dir, { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DBT_SEND_ANONYMOUS_USAGE_STATS: "false" });
  void run.exit.then(() => gate.close());
  const parsing = Promise.race([gate.reached(), run.exit.then(({ output }) => Promise.reject(new Error(`the CLI ended before dbt parsed:\n${output}`)))]);
  return { ...run, parsing };
}

describe("Ctrl-C while the real dbt runs is reported as an interruption, with the signal's exit code", () => {
  it("restore, SIGINT to the process group: 'RESTORE INTERRUPTED', no 'FAILED', no 'dbt parse was killed', exit 130, tree unchanged", async () => {
    const repo = await repoWithEndlessParse();
    const before = await treeFingerprint(repo.dir);
    const run = await cli(repo, ["restore", "--dimension", "dim_user", "--yes"]);
    await run.parsing;
    process.kill(-run.child.pid!, "SIGINT");
    const { code, output, stdout } = await run.exit;

    expect(code).toBe(130);
    expect(output).toContain("dbt parse with 3 restored models");
    expect(output).toContain("\nInterrupted: stopping dbt; the working tree stays as it was.\n");
    expect(output).toContain("RESTORE INTERRUPTED: dim_user");
    expect(output).toContain("Interrupted: stopped by SIGINT before anything was changed");
    expect(output).not.toMatch(/FAILED|was killed|Fix the error/);
    // The log's last line: without --json the log is stdout (stderr, a separate pipe, has no fixed place beside it).
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("SIGINT: the restore was stopped; nothing was changed (working tree, index, HEAD and branches are as they were).");
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });

  it("restore --json, SIGTERM to the process (a cancelled CI job): result 'interrupted', exit 143", async () => {
    const repo = await repoWithEndlessParse();
    const run = await cli(repo, ["restore", "--dimension", "dim_user", "--yes", "--json"]);
    await run.parsing;
    process.kill(run.child.pid!, "SIGTERM");
    const { code, stdout, stderr } = await run.exit;

    expect(code).toBe(143);
    expect(stderr).toContain("\nInterrupted: stopping dbt; the working tree stays as it was.\n");
    // stdout is exactly the JSON document; the log, with its last line, is stderr.
    const json = JSON.parse(stdout) as { result: string; error: string; commit: unknown };
    expect(stderr.trimEnd().split("\n").at(-1)).toBe("SIGTERM: the restore was stopped; nothing was changed (working tree, index, HEAD and branches are as they were).");
    expect(json).toMatchObject({ result: "interrupted", error: "stopped by SIGTERM before anything was changed (dbt ran only in a scratch copy, and was stopped)", commit: null });
  });

  it("plan, SIGINT to the process group: says it was stopped, prints no plan made from a stopped dbt, exit 130", async () => {
    const repo = await repoWithEndlessParse();
    const run = await cli(repo, ["plan", "--dimension", "dim_user"]);
    await run.parsing;
    process.kill(-run.child.pid!, "SIGINT");
    const { code, output, stdout } = await run.exit;

    expect(code).toBe(130);
    expect(output).toContain("\nInterrupted: stopping dbt; the plan changes nothing.\n");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("SIGINT: the plan was stopped before it finished; nothing was printed or written as its result.");
    expect(output).not.toMatch(/internal error|was killed/);
  });
});
