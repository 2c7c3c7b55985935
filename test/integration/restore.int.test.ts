import { chmod, copyFile, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { execFile, spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import type { ReadinessReport } from "../../src/core/readiness/readinessReport.js";
import type { RestoreOutcome } from "../../src/core/restore/restoreOutcome.js";
import { UserError } from "../../src/core/userError.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import type { RestoreInput } from "../../src/usecases/restoreDimension.js";
import { useExampleRepos } from "../helpers/exampleRepos.js";
import type { TestRepo } from "../helpers/gitRepo.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";
import { execDbtLines } from "../helpers/wrapperExec.js";

// Real dbt (the pinned one in .venv) and real git on copies of the bundled example.
let dbt: DbtInstallation;
const repos = useExampleRepos();
beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
});

const exampleRepo = repos.example;

async function reportOf(repo: TestRepo): Promise<ReadinessReport> {
  const files = createDiskFileSource(repo.dir);
  return (await computeStatus({ files, config: await loadConfig(files) })).reports[0]!;
}

const run = promisify(execFile);
const restore = (repo: TestRepo, overrides: Partial<RestoreInput> = {}): Promise<RestoreOutcome> => restoreExample(repo, dbt, overrides);

const names = (list: { name: string }[]) => list.map((m) => m.name);

describe("restore with real dbt and git", () => {
  it("restores a cascade chain in order, updates the state document and commits on migrate/<dim>", async () => {
    const repo = await exampleRepo();
    await landMasContracts(repo);
    const docPath = "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md";
    const before = await readFile(join(repo.dir, docPath), "utf8");

    const outcome = await restore(repo);

    expect(outcome.result).toBe("restored");
    expect(names(outcome.restored)).toEqual(["f_user_activity", "mas_user_contracts", "d_user"]);
    expect(outcome.reSkipped).toEqual([]);
    expect(outcome.dbt).toMatchObject({ parseRuns: 1, compileRuns: 1, invocations: 2 });
    expect(outcome.compiled).toEqual(["f_user_activity", "mas_user_contracts", "d_user"]);
    expect(outcome.progress).toEqual({ before: { active: 6, total: 11 }, after: { active: 9, total: 11 } });

    // The commit: renames (history follows) and the state document, nothing else.
    expect((await repo.git("rev-parse", "--abbrev-ref", "HEAD")).trim()).toBe("migrate/dim_user");
    const files = (await repo.git("show", "--name-status", "--format=", "-M", "HEAD")).trim().split("\n");
    expect(files.sort()).toEqual(
      [
        "M\tdimensions/dim_user/DIM_USER_MIGRATION_STATE.md",
        "R100\tdbt/transform/gold/d_user.sql.skip\tdbt/transform/gold/d_user.sql",
        "R100\tdbt/transform/gold/f_user_activity.sql.skip\tdbt/transform/gold/f_user_activity.sql",
        "R100\tdbt/transform/silver/master/mas_user_contracts.sql.skip\tdbt/transform/silver/master/mas_user_contracts.sql",
      ].sort(),
    );
    const message = await repo.git("log", "-1", "--format=%B");
    expect(`${message.trimEnd()}\n`).toBe(
      [
        "resume: dim_user migration (9/11 models)",
        "",
        "Resumed models (3):",
        "- dbt/transform/gold/f_user_activity.sql (was .skip): all dependencies available",
        "- dbt/transform/silver/master/mas_user_contracts.sql (was .skip): needed by d_user",
        "- dbt/transform/gold/d_user.sql (was .skip): ready once mas_user_contracts is restored in this batch",
        "",
        "Still blocked (2):",
        "- dbt/transform/gold/f_signups_by_channel.sql.skip (missing: stg_users_store)",
        "- dbt/transform/silver/master/mas_user_addresses.sql.skip (missing: source bronze.addresses)",
        "",
        "State updated: dimensions/dim_user/DIM_USER_MIGRATION_STATE.md",
        "",
        "Generated-by: dbt-unskip",
        "",
      ].join("\n"),
    );
    expect((await repo.git("status", "--porcelain")).trim()).toBe("");

    // The state document: the status value and an appended restart log; every other byte kept.
    const after = await readFile(join(repo.dir, docPath), "utf8");
    const expected =
      before.replace("**Status**: PAUSED - Awaiting Dependencies", "**Status**: RESUMED") +
      [
        "",
        "---",
        "",
        "## 🔄 Restart Log",
        "",
        "**Restart Date**: 2026-11-21",
        "**Models Resumed**: 3 models",
        "**Models Still Paused**: 2 models",
        "",
        "### Resumed Models:",
        "- `f_user_activity.sql` (was .skip)",
        "- `mas_user_contracts.sql` (was .skip)",
        "- `d_user.sql` (was .skip)",
        "",
        "### Still Paused:",
        "- `f_signups_by_channel.sql.skip` (missing: `stg_users_store`)",
        "- `mas_user_addresses.sql.skip` (missing: `source bronze.addresses`)",
        "",
        "**Next Action**: Wait for remaining dependencies: bronze.addresses (from dim_user), stg_users_store",
        "",
      ].join("\n");
    expect(after).toBe(expected);

    // And the restored project really works: status now sees the chain as active.
    const report = await reportOf(repo);
    expect(
      report.models
        .filter((m) => m.dimension === "dim_user")
        .map((m) => m.name)
        .sort(),
    ).toEqual(["f_signups_by_channel", "mas_user_addresses"]);
  });

  it("a syntax error and a ref to a deleted model: exactly those two (and dependents) are re-skipped, within 2 + k parses", async () => {
    const repo = await exampleRepo();
    await landMasContracts(repo);
    // A model dbt cannot render (a stray end tag), and one more ready model in the dimension.
    const chain = join(repo.dir, "dbt/transform/silver/master/mas_user_contracts.sql.skip");
    await writeFile(chain, `${await readFile(chain, "utf8")}\n{% endif %}\n`);
    await repo.write("dbt/transform/gold/d_user_flags.sql.skip", "{{ config(tags=['dim_user']) }}\nselect user_id from {{ ref('mas_users') }}\n");
    await repo.commit("dim_user: a broken model and a new paused one");
    // The readiness report was computed before f_user_logins_daily (which f_user_activity refs) was deleted.
    const stale = await reportOf(repo);
    await repo.git("rm", "-q", "dbt/transform/gold/f_user_logins_daily.sql");
    await repo.commit("delete f_user_logins_daily");

    const outcome = await restore(repo, { report: stale });

    expect(outcome.result).toBe("restored");
    expect(names(outcome.restored)).toEqual(["d_user_flags"]);
    expect(outcome.reSkipped.map((r) => [r.name, r.reason.replace(/: .*/s, "")])).toEqual(
      expect.arrayContaining([
        ["f_user_activity", "dbt parse"],
        ["mas_user_contracts", "dbt parse"],
        ["d_user", "needs mas_user_contracts, which was re-skipped"],
      ]),
    );
    expect(outcome.reSkipped).toHaveLength(3);
    expect(outcome.reSkipped.find((r) => r.name === "f_user_activity")!.reason).toBe("dbt parse: depends on 'f_user_logins_daily', which dbt cannot find");
    expect(outcome.reSkipped.find((r) => r.name === "mas_user_contracts")!.reason).toMatch(/endif/);
    const k = 2;
    expect(outcome.dbt.parseRuns).toBeLessThanOrEqual(2 + k);
    expect((await repo.git("show", "--name-only", "--no-renames", "--format=", "HEAD")).trim().split("\n").sort()).toEqual([
      "dbt/transform/gold/d_user_flags.sql",
      "dbt/transform/gold/d_user_flags.sql.skip",
      "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md",
    ]);
    const log = await readFile(join(repo.dir, "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md"), "utf8");
    expect(log).toContain("- `mas_user_contracts.sql.skip` (missing: `dbt parse:");
  });

  it("dbt compile reads the manifest of the parse just accepted; a compile error takes its model out, and the next compile parses in full", async () => {
    const repo = await exampleRepo();
    await landMasContracts(repo);
    // Renders at parse time (execute is false then); fails only when dbt compiles it.
    await repo.write(
      "dbt/transform/gold/f_fails_at_compile.sql.skip",
      "{{ config(tags=['dim_user']) }}\n{% if execute %}{{ exceptions.raise_compiler_error('refused at compile time') }}{% endif %}\nselect 1 as x\n",
    );
    await repo.commit("dim_user: a paused model that only dbt compile refuses");
    const log = join(repo.dir, ".git", "dbt-arguments.log");
    const wrapper = join(repo.dir, ".git", "dbt-logging");
    // The user's own absolute DBT_TARGET_PATH and DBT_LOG_PATH: the scratch runs must not write into them.
    const usersTarget = join(repo.dir, ".git", "users-target");
    const usersLogs = join(repo.dir, ".git", "users-logs");
    // dbt itself, through the suite's shared fork server when there is one (wrapperExec.ts).
    await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexport DBT_TARGET_PATH='${usersTarget}'\nexport DBT_LOG_PATH='${usersLogs}'\n${await execDbtLines(dbt.command)}\n`);
    await chmod(wrapper, 0o755);

    const outcome = await restoreExample(repo, { command: wrapper, version: dbt.version });

    expect(outcome.result).toBe("restored");
    expect(names(outcome.restored)).toEqual(["f_user_activity", "mas_user_contracts", "d_user"]);
    expect(outcome.reSkipped.map((r) => [r.name, r.reason])).toEqual([
      // The innermost heading and its reason, not "Runtime Error" over it.
      ["f_fails_at_compile", expect.stringMatching(/^dbt compile: Compilation Error in model f_fails_at_compile \(transform\/gold\/f_fails_at_compile\.sql\): refused at compile time/)],
    ]);
    expect(outcome.dbt).toMatchObject({ parseRuns: 1, compileRuns: 2 });
    await expect(readdir(usersLogs)).rejects.toThrow(/ENOENT/);
    const commands = (await readFile(log, "utf8"))
      .trim()
      .split("\n")
      .map((line) => line.replace(/ --project-dir .*/, ""));
    // Every run writes into one target folder of the scratch copy's (compile reads parse's state there).
    const targets = new Set(commands.map((line) => / --target-path (\S+)/.exec(line)?.[1]));
    expect(targets.size).toBe(1);
    expect([...targets][0]).toMatch(/dbt-unskip-restore-[^/]+\/project\/target$/);
    // And dbt.log goes to the copy's logs folder.
    const logPaths = new Set(commands.map((line) => / --log-path (\S+)/.exec(line)?.[1]));
    expect([...logPaths]).toEqual([[...targets][0]!.replace(/target$/, "logs")]);
    expect(commands.map((line) => line.replace(/ --target-path \S+/, "").replace(/ --log-path \S+/, ""))).toEqual([
      "parse --no-partial-parse",
      "compile --select f_fails_at_compile f_user_activity mas_user_contracts d_user",
      "compile --no-partial-parse --select f_user_activity mas_user_contracts d_user",
    ]);
    await expect(readdir(usersTarget)).rejects.toThrow(/ENOENT/);
  });

  it("a source that disappeared after the report was made is found by dbt and re-skipped", async () => {
    const repo = await exampleRepo();
    await copyFile(join(repo.dir, "upstream/bronze/sources_addresses.yml"), join(repo.dir, "dbt/transform/bronze/sources_addresses.yml"));
    await repo.commit("declare bronze.addresses");
    const stale = await reportOf(repo);
    expect(stale.models.find((m) => m.name === "mas_user_addresses")!.status).toBe("ready");
    await repo.git("rm", "-q", "dbt/transform/bronze/sources_addresses.yml");
    await repo.commit("withdraw bronze.addresses");

    const outcome = await restore(repo, { report: stale });

    expect(outcome.reSkipped.map((r) => [r.name, r.reason])).toEqual([["mas_user_addresses", "dbt parse: depends on 'bronze.addresses', which dbt cannot find"]]);
    expect(names(outcome.restored)).toEqual(["f_user_activity"]);
    expect(outcome.dbt.parseRuns).toBe(2);
  });

  it("nothing ready: no changes made, the blockers named", async () => {
    const repo = await exampleRepo();
    const before = await treeFingerprint(repo.dir);
    const outcome = await restore(repo, { dimension: "dim_account" });
    expect(outcome.result).toBe("nothing-ready");
    expect(outcome.blockers).toEqual([{ name: "mas_contracts", type: "ref", expectedFrom: "dim_contract", blocks: ["d_account", "d_user", "f_contract_revenue", "mas_user_contracts"] }]);
    expect(outcome.dbt.invocations + outcome.dbt.parseRuns).toBe(0);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });

  it("refuses a dirty tree (listing what is dirty) unless allowed, and keeps the user's changes out of the commit", async () => {
    const repo = await exampleRepo();
    await landMasContracts(repo);
    await repo.write("notes.txt", "work in progress\n");
    await expect(restore(repo)).rejects.toThrow(/uncommitted changes \(commit or stash them, or pass --allow-dirty\):\n {2}\?\? notes\.txt/);
    const outcome = await restore(repo, { allowDirty: true });
    expect(outcome.result).toBe("restored");
    expect(await repo.git("status", "--porcelain")).toBe("?? notes.txt\n");
    expect(await repo.git("show", "--name-only", "--format=", "HEAD")).not.toContain("notes.txt");
  });

  it("an unknown dimension is a user error with the runbook's suggestions", async () => {
    const repo = await exampleRepo();
    await expect(restore(repo, { dimension: "dim_nope" })).rejects.toThrow(/no dimension 'dim_nope'.*\nKnown dimensions: dim_account, dim_contract, dim_product, dim_user\.\nSuggestions:/s);
  });

  it("refuses a symlinked .skip file and a rename whose target exists, changing nothing", async () => {
    const repo = await exampleRepo();
    await landMasContracts(repo);
    await rm(join(repo.dir, "dbt/transform/gold/f_user_activity.sql.skip"));
    await symlink("/etc/hostname", join(repo.dir, "dbt/transform/gold/f_user_activity.sql.skip"));
    await repo.commit("a symlink");
    const stale = await reportOf(repo);
    const before = await treeFingerprint(repo.dir);
    await expect(restore(repo, { report: { ...stale, models: stale.models.map((m) => (m.name === "f_user_activity" ? { ...m, status: "ready", restoreOrder: 1 } : m)) } })).rejects.toThrow(
      "transform/gold/f_user_activity.sql.skip: is a symbolic link; refusing to restore it",
    );
    expect(await treeFingerprint(repo.dir)).toEqual(before);

    // The report was made before someone created f_user_activity.sql by hand.
    const other = await exampleRepo();
    await landMasContracts(other);
    const report = await reportOf(other);
    await other.write("dbt/transform/gold/f_user_activity.sql", "select 1 as user_id\n");
    await expect(restore(other, { report, allowDirty: true })).rejects.toThrow("transform/gold/f_user_activity.sql: already exists; restoring transform/gold/f_user_activity.sql.skip would overwrite it");
  });
});

describe("faults during a restore leave the tree byte-for-byte as it was", () => {
  let wrappers: string;
  beforeAll(async () => {
    wrappers = await mkdtemp(join(tmpdir(), "dbt-unskip-wrappers-"));
  });
  afterAll(() => rm(wrappers, { recursive: true, force: true }));

  /** A dbt that behaves like the real one for `--version` and then misbehaves. */
  async function wrapper(name: string, body: string): Promise<DbtInstallation> {
    const path = join(wrappers, name);
    await writeFile(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then exec "${dbt.command}" --version; fi\n${body}\n`);
    await chmod(path, 0o755);
    return { command: path, version: dbt.version };
  }

  async function expectUnchanged(run: (repo: TestRepo) => Promise<RestoreOutcome>): Promise<RestoreOutcome> {
    const repo = await exampleRepo();
    await landMasContracts(repo);
    const before = await treeFingerprint(repo.dir);
    const outcome = await run(repo);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
    return outcome;
  }

  it("dbt killed mid-parse", async () => {
    // Real dbt starts, then is killed with SIGKILL: a gate, not a clock. Its JSON log lines come through
    // a FIFO the wrapper holds open (dbt never meets a closed pipe); the wrapper passes them on and kills
    // dbt once it says it registered the adapter, the last step before it loads the project.
    const killed = await wrapper(
      "killed",
      [
        'lines="$(mktemp -u)"',
        'mkfifo "$lines"',
        `"${dbt.command}" "$@" > "$lines" & pid=$!`,
        'exec 3< "$lines"',
        'while IFS= read -r line <&3; do printf \'%s\\n\' "$line"; case "$line" in *AdapterRegistered*) break ;; esac; done',
        "kill -9 $pid",
        "wait $pid",
        "status=$?",
        'rm -f "$lines"',
        'exit "$status"',
      ].join("\n"),
    );
    const outcome = await expectUnchanged((repo) => restore(repo, { dbt: killed }));
    expect(outcome.result).toBe("failed");
    expect(outcome.error).toMatch(/^dbt parse failed \(exit 137\) without an error event/);
  });

  it("dbt exceeding its timeout", async () => {
    // A clock that the test moves, not a real one: once the stand-in dbt runs (it writes to a FIFO the
    // test reads), the 1.5 s timeout is passed at once.
    const gate = join(wrappers, "hangs.fifo");
    await run("mkfifo", [gate]);
    const hangs = await wrapper("hangs", `echo started > "${gate}"\nsleep 60`);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const outcome = await expectUnchanged((repo) => {
        void readFile(gate, "utf8").then(() => vi.advanceTimersByTime(1500));
        return restore(repo, { dbt: hangs, timeoutMs: 1500 });
      });
      expect(outcome).toMatchObject({ result: "failed", error: "dbt parse timed out after 2 s" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("dbt that crashes with a traceback", async () => {
    const crashes = await wrapper("crashes", `echo 'Traceback (most recent call last):' >&2\necho 'ModuleNotFoundError: No module named dbt.adapters.duckdb' >&2\nexit 1`);
    const outcome = await expectUnchanged((repo) => restore(repo, { dbt: crashes }));
    expect(outcome.error).toMatch(/ModuleNotFoundError: No module named dbt\.adapters\.duckdb/);
  });

  it("an interrupt (Ctrl-C) while dbt runs", async () => {
    // A gate, not a clock: the stand-in dbt blocks writing to a FIFO until the test reads it, so the
    // interrupt comes while that process certainly runs (before, a 500 ms timer raced the scratch
    // copy: on a slow machine it fired before dbt started, see the next test).
    const gate = join(wrappers, "started.fifo");
    await run("mkfifo", [gate]);
    const controller = new AbortController();
    const slow = await wrapper("slow", `echo started > "${gate}"\nsleep 30\nexec "${dbt.command}" "$@"`);
    const outcome = await expectUnchanged((repo) => {
      void readFile(gate, "utf8").then(() => controller.abort());
      return restore(repo, { dbt: slow, signal: controller.signal });
    });
    // The interrupt killed dbt: an interruption, not dbt failing.
    expect(outcome.result).toBe("interrupted");
    expect(outcome.error).toMatch(/^stopped by an interrupt before anything was changed/);
  });

  it("an interrupt that comes just before dbt starts: dbt is stopped at once, not run to the end", async () => {
    // dbt 1.10 run of scripts/dbt-versions.sh: the interrupt landed before the dbt process existed,
    // runDbt only listened for a later "abort" event, so dbt parsed the whole project after Ctrl-C.
    const controller = new AbortController();
    const marker = join(wrappers, "ran-to-the-end");
    const late = await wrapper("late", `"${dbt.command}" "$@"\nstatus=$?\ntouch "${marker}"\nexit $status`);
    const outcome = await expectUnchanged((repo) => restore(repo, { dbt: late, signal: controller.signal, onStep: (step) => step === "dbt" && controller.abort() }));
    expect(outcome.result).toBe("interrupted");
    expect(outcome.error).toMatch(/^stopped by an interrupt before anything was changed/);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
  });

  it("a DuckDB file another process holds open: the scratch compile says so in plain words, nothing re-skipped", async () => {
    // A profile's absolute `path` is the user's real warehouse file, and `dbt compile` opens it (parse
    // does not). The holder keeps a write connection until its stdin closes: a gate, not a clock.
    const held = await mkdtemp(join(tmpdir(), "dbt-unskip-held-"));
    onTestFinished(() => rm(held, { recursive: true, force: true }));
    const warehouse = join(held, "acme.duckdb");
    const holder = spawn(join(REPO_ROOT, ".venv", "bin", "python"), ["-c", "import duckdb, sys\nc = duckdb.connect(sys.argv[1])\nprint('holding', flush=True)\nsys.stdin.read()", warehouse], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("holding") && resolve());
        holder.on("exit", (code) => reject(new Error(`the holder ended (${code}) before it held the file`)));
      });
      const outcome = await expectUnchanged((repo) => restore(repo, { setEnv: { DBT_UNSKIP_DUCKDB_PATH: warehouse } }));
      expect(outcome).toMatchObject({ result: "failed", reSkipped: [], dbt: { parseRuns: 1, compileRuns: 1 } });
      const lines = outcome.error!.split("\n");
      expect(lines[0]!.startsWith(`dbt compile could not open the DuckDB database ${warehouse}: it is locked by `)).toBe(true);
      expect(lines[0]).toMatch(new RegExp(`\\(PID ${holder.pid}\\)\\.$`));
      expect(lines.slice(1)).toEqual([expect.stringMatching(/DuckDB lets one process at a time/), expect.stringMatching(/^Close that process/)]);
      expect(outcome.error).not.toMatch(/Traceback/);
    } finally {
      holder.stdin.end();
      await new Promise((resolve) => holder.once("exit", resolve));
    }
  });

  it("dbt missing: a clear error that says how to install it", async () => {
    await expect(findDbt({ explicit: join(wrappers, "no-such-dbt"), repoRoot: wrappers })).rejects.toThrow(UserError);
    await expect(findDbt({ explicit: join(wrappers, "no-such-dbt"), repoRoot: wrappers })).rejects.toThrow(/does not run\. Install the pinned dbt with `npm run setup`/);
    await expect(findDbt({ repoRoot: wrappers, env: { PATH: wrappers } })).rejects.toThrow(/^dbt was not found\. Install the pinned dbt/);
  });

  it("a failure at the last step (HEAD cannot be moved) undoes the branch, the index, the renames and the state document", async () => {
    const outcome = await expectUnchanged(async (repo) => {
      // git's own lock on HEAD is taken: every step before the last one succeeds, the last one fails.
      await writeFile(join(repo.dir, ".git", "HEAD.lock"), "");
      return restore(repo);
    });
    expect(outcome.result).toBe("failed");
    expect(outcome.error).toMatch(/^git symbolic-ref -m dbt-unskip HEAD refs\/heads\/migrate\/dim_user failed \(exit 1\): /);
    expect(outcome.error).not.toMatch(/undoing it also failed/);
  });
});
