import { spawnSync } from "node:child_process";
import { access, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { processStart, RepositoryBusy } from "../../src/adapters/git/repositoryLock.js";
import { buildCliFromSource, startCli } from "../helpers/cliFromSource.js";
import { fakeDbt, makeGate, scriptDir } from "../helpers/fakeTools.js";
import { useExampleRepos } from "../helpers/exampleRepos.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// RELIABILITY 29: restores on one repository are exclusive; the loser says what happened and
// changes nothing; a lock left by a run that died is recognised and taken over.
let bundle: string;
let scripts: string;
let dbt: DbtInstallation;
const repos = useExampleRepos();
beforeAll(async () => {
  bundle = await buildCliFromSource();
  scripts = await scriptDir();
  dbt = await fakeDbt(scripts, "dbt-accepts");
});
afterAll(async () => {
  await rm(dirname(bundle), { recursive: true, force: true });
  await rm(scripts, { recursive: true, force: true });
});

const readyRepo = repos.ready;

const env = () => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" });
const LOCK = ".git/dbt-unskip.lock";

describe("two restores at once on one repository", () => {
  it("the second one stops before anything, says who holds the repository, and the first one's commit is built on the start", async () => {
    const repo = await readyRepo();
    const start = (await repo.git("rev-parse", "HEAD")).trim();
    const before = await treeFingerprint(repo.dir);
    const { gate, ready, hold } = await makeGate(scripts, "first");
    const slowDbt = await fakeDbt(scripts, "dbt-first", { ready, hold });

    // The first restore is inside dbt (it holds the lock) when the second starts.
    const first = startCli(bundle, ["restore", "--dimension", "dim_user", "--yes", "--dbt", slowDbt.command], repo.dir, env());
    await Promise.race([gate.reached(), first.exit.then(({ output }) => Promise.reject(new Error(`the first restore ended early:\n${output}`)))]);
    const second = startCli(bundle, ["restore", "--dimension", "dim_account", "--yes", "--dbt", dbt.command], repo.dir, env());
    const lost = await second.exit;
    expect(lost.code).toBe(2);
    expect(lost.output).toContain(`dbt-unskip: another dbt-unskip is changing this repository (restore --dimension dim_user, pid ${first.child.pid} on ${hostname()}, since `);
    expect(lost.output).toContain("nothing was changed. Run again when it has finished");
    expect(await treeFingerprint(repo.dir)).toEqual(before);

    await gate.release();
    const won = await first.exit;
    gate.close();
    expect(won.code).toBe(0);
    expect((await repo.git("rev-parse", "--abbrev-ref", "HEAD")).trim()).toBe("migrate/dim_user");
    expect((await repo.git("rev-parse", "HEAD~1")).trim()).toBe(start);
    expect(await repo.git("for-each-ref", "--format=%(refname)", "refs/heads")).toBe("refs/heads/main\nrefs/heads/migrate/dim_user\n");
    // Released: nothing left behind.
    await expect(access(join(repo.dir, LOCK))).rejects.toThrow();
  });
});

describe("a lock left behind", () => {
  it("by a run that died (its pid is gone): taken over, and said", async () => {
    const repo = await readyRepo();
    const dead = spawnSync("true").pid!;
    await writeFile(join(repo.dir, LOCK), JSON.stringify({ pid: dead, processStart: "12345", host: hostname(), purpose: "restore --dimension dim_user", startedAt: "2026-11-20T10:00:00.000Z" }));
    const lines: string[] = [];
    const outcome = await restoreExample(repo, dbt, { progress: (line) => lines.push(line) });
    expect(outcome.result).toBe("restored");
    expect(lines).toContain(`Taking over the lock of a dbt-unskip run that is gone (restore --dimension dim_user, pid ${dead}, since 2026-11-20T10:00:00.000Z).`);
    await expect(access(join(repo.dir, LOCK))).rejects.toThrow();
  });

  it("by a run whose pid a later process reuses (another start time): taken over", async () => {
    const repo = await readyRepo();
    await writeFile(join(repo.dir, LOCK), JSON.stringify({ pid: process.pid, processStart: "1", host: hostname(), purpose: "restore --dimension dim_user", startedAt: "2026-11-20T10:00:00.000Z" }));
    const outcome = await restoreExample(repo, dbt);
    expect(outcome.result).toBe("restored");
  });

  it("by a live run (same pid, same start time): refused, nothing changed, the lock kept", async () => {
    const repo = await readyRepo();
    const held = JSON.stringify({ pid: process.pid, processStart: await processStart(process.pid), host: hostname(), purpose: "pause --dimension dim_user", startedAt: "2026-11-20T10:00:00.000Z" });
    await writeFile(join(repo.dir, LOCK), held);
    const before = await treeFingerprint(repo.dir);
    await expect(restoreExample(repo, dbt)).rejects.toThrow(RepositoryBusy);
    await expect(restoreExample(repo, dbt)).rejects.toThrow(/another dbt-unskip is changing this repository \(pause --dimension dim_user, pid \d+ on .*\); nothing was changed/);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
    expect(await readFile(join(repo.dir, LOCK), "utf8")).toBe(held);
  });
});
