import { execFileSync } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import type { RestoreStep } from "../../src/usecases/restoreDimension.js";
import { fakeDbt, scriptDir } from "../helpers/fakeTools.js";
import { useExampleRepos } from "../helpers/exampleRepos.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// RELIABILITY 28 and 30, in process: the restore is one tree transaction. dbt is a stand-in that
// accepts everything (the git side is under test); git is real.
let dbt: DbtInstallation;
const repos = useExampleRepos();
let scripts: string;
beforeAll(async () => {
  scripts = await scriptDir();
  dbt = await fakeDbt(scripts, "dbt-accepts");
});
afterAll(() => rm(scripts, { recursive: true, force: true }));

const readyRepo = repos.ready;

const DOC = "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md";
const SKIP = "dbt/transform/gold/d_user.sql.skip";
const SQL = "dbt/transform/gold/d_user.sql";
const STEPS: RestoreStep[] = ["dbt", "objects", "commit", "branch", "index", "rename", "state-document", "head"];

describe("an interrupt or a failure at any step of a restore leaves tree, index, HEAD and branches as they were", () => {
  it.each(STEPS)("interrupted at %s", async (at) => {
    const repo = await readyRepo();
    const before = await treeFingerprint(repo.dir);
    const controller = new AbortController();
    const seen: RestoreStep[] = [];
    const outcome = await restoreExample(repo, dbt, {
      signal: controller.signal,
      onStep: (step) => {
        seen.push(step);
        if (step === at) controller.abort();
      },
    });
    expect(seen).toContain(at);
    // Reported as the interruption it is, not as dbt or git failing.
    expect(outcome.result).toBe("interrupted");
    expect(outcome.error).toMatch(/^stopped by an interrupt before/);
    expect(outcome.commit).toBeNull();
    expect(await treeFingerprint(repo.dir)).toEqual(before);
    expect(await repo.git("for-each-ref", "--format=%(refname)", "refs/heads")).toBe("refs/heads/main\n");
  });

  it.each(STEPS.filter((s) => s !== "dbt"))("failing at %s", async (at) => {
    const repo = await readyRepo();
    const before = await treeFingerprint(repo.dir);
    const outcome = await restoreExample(repo, dbt, {
      onStep: (step) => {
        if (step === at) throw new Error(`disk full at ${step}`);
      },
    });
    expect(outcome).toMatchObject({ result: "failed", error: `disk full at ${at}`, commit: null });
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });

  it("with no step interrupted, the whole restore is done (the tests above can tell the two apart)", async () => {
    const repo = await readyRepo();
    const outcome = await restoreExample(repo, dbt, { onStep: () => {} });
    expect(outcome.result).toBe("restored");
    expect((await repo.git("rev-parse", "--abbrev-ref", "HEAD")).trim()).toBe("migrate/dim_user");
    expect(await repo.git("status", "--porcelain")).toBe("");
  });
});

describe("--allow-dirty never commits a person's uncommitted bytes (RELIABILITY 30)", () => {
  it("a dirty restored .skip file and a dirty state document: the commit holds the committed bytes, the edits stay uncommitted", async () => {
    const repo = await readyRepo();
    const committedSql = await readFile(join(repo.dir, SKIP), "utf8");
    const committedDoc = await readFile(join(repo.dir, DOC), "utf8");
    const mySql = `${committedSql}-- my unfinished edit\n`;
    const myDoc = committedDoc.replace("# dim_user Migration State", "# dim_user Migration State\n\nMY NOTE, NOT READY");
    await writeFile(join(repo.dir, SKIP), mySql);
    await writeFile(join(repo.dir, DOC), myDoc);

    const outcome = await restoreExample(repo, dbt, { allowDirty: true });

    expect(outcome.result).toBe("restored");
    expect(outcome.stateDocument).toMatchObject({ path: DOC, updated: true });
    // The commit: the committed bytes, renamed, and the committed document with its restart log.
    expect(await repo.git("show", `HEAD:${SQL}`)).toBe(committedSql);
    const docInCommit = await repo.git("show", `HEAD:${DOC}`);
    expect(docInCommit.startsWith(committedDoc.replace("**Status**: PAUSED - Awaiting Dependencies", "**Status**: RESUMED"))).toBe(true);
    expect(docInCommit).toContain("## 🔄 Restart Log");
    expect(docInCommit).not.toContain("MY NOTE");
    expect(await repo.git("show", "--name-only", "--format=", "HEAD")).not.toContain("MY NOTE");
    // The working tree: the person's bytes, under the new name; their note on top of the update.
    expect(await readFile(join(repo.dir, SQL), "utf8")).toBe(mySql);
    const docNow = await readFile(join(repo.dir, DOC), "utf8");
    expect(docNow).toContain("MY NOTE, NOT READY");
    expect(docNow).toContain("## 🔄 Restart Log");
    // Exactly the two edits are left, unstaged: the restore's own changes are all committed.
    expect(await repo.git("status", "--porcelain")).toBe(` M ${SQL}\n M ${DOC}\n`);
    expect(await repo.git("diff", "--", SQL)).toContain("+-- my unfinished edit");
    const docDiff = await repo.git("diff", "--", DOC);
    expect(docDiff.split("\n").filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l))).toEqual(["+MY NOTE, NOT READY", "+"]);
  });

  it("a staged edit of a restored .skip file stays staged, out of the commit", async () => {
    const repo = await readyRepo();
    const committedSql = await readFile(join(repo.dir, SKIP), "utf8");
    await writeFile(join(repo.dir, SKIP), `${committedSql}-- staged edit\n`);
    await repo.git("add", SKIP);
    const outcome = await restoreExample(repo, dbt, { allowDirty: true });
    expect(outcome.result).toBe("restored");
    expect(await repo.git("show", `HEAD:${SQL}`)).toBe(committedSql);
    expect(await repo.git("status", "--porcelain")).toBe(`M  ${SQL}\n`);
    expect(await repo.git("diff", "--cached", "--", SQL)).toContain("+-- staged edit");
  });
});

describe("HEAD moving while dbt runs", () => {
  it("a commit made by a person while dbt runs: nothing is applied on top of it, and the restore says so", async () => {
    const repo = await readyRepo();
    let theirs = "";
    const outcome = await restoreExample(repo, dbt, {
      onStep: (step) => {
        if (step !== "dbt") return;
        execFileSync("git", ["-c", "user.name=P", "-c", "user.email=p@example.com", "commit", "-q", "--allow-empty", "-m", "theirs"], { cwd: repo.dir });
        theirs = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo.dir, encoding: "utf8" }).trim();
      },
    });
    expect(outcome.result).toBe("failed");
    expect(outcome.error).toMatch(/^HEAD moved from [0-9a-f]{12} to [0-9a-f]{12} while this ran .*nothing was changed$/);
    expect((await repo.git("rev-parse", "HEAD")).trim()).toBe(theirs);
    expect(await repo.git("status", "--porcelain")).toBe("");
    expect(await repo.git("for-each-ref", "--format=%(refname)", "refs/heads")).toBe("refs/heads/main\n");
  });
});
