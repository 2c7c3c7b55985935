// The PR base derived from the head (src/usecases/pullRequestStatus.ts) with real git, as the Action
// reads it: the head from the working tree, the base from git's object store, the changes from
// `git diff --name-status -M`. Each pull request is compared with a full scan of the base commit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { gitCommitFileSource } from "../../src/adapters/git/gitCommitFileSource.js";
import { changedFiles } from "../../src/adapters/git/gitRevisions.js";
import { checkPullRequestInCheckout } from "../../src/action/checkPullRequestInCheckout.js";
import { parsePullRequestEvent } from "../../src/action/pullRequestEvent.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { pullRequestStatus } from "../../src/usecases/pullRequestStatus.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { pullRequestPayload } from "../helpers/pullRequestPayload.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

describe("the PR base derived from the head equals a full scan of the base commit (real git)", () => {
  let repo: TestRepo;
  let base: string;
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    base = (await repo.git("rev-parse", "HEAD")).trim();
  });
  afterAll(() => repo.cleanup());

  /** A branch from the base with `edit` committed on it; the derived base against the full one. */
  async function compare(branch: string, edit: () => Promise<void>) {
    await repo.git("checkout", "-q", "-b", branch, base);
    await edit();
    const head = await repo.commit(branch);
    const changes = await changedFiles(repo.dir, base, head);
    const files = createDiskFileSource(repo.dir);
    const config = await loadConfig(files);
    const baseFiles = await gitCommitFileSource(repo.dir, base);
    const debug: string[] = [];
    try {
      const derived = await pullRequestStatus({ head: files, base: baseFiles, changes, config, log: { debug: (m) => debug.push(m) } });
      const full = await computeStatus({ files: baseFiles, config });
      expect(derived.base).toStrictEqual({ reports: full.reports });
      expect(derived.head.reports).toStrictEqual((await computeStatus({ files: createDiskFileSource(repo.dir), config })).reports);
      return { derived, changes, debug, head };
    } finally {
      baseFiles.close();
    }
  }

  it("pauses and restores by rename, a deletion, an addition, properties YAML and a state document: derived", async () => {
    const { derived, changes, debug } = await compare("models", async () => {
      await repo.git("mv", "dbt/transform/silver/master/mas_users.sql", "dbt/transform/silver/master/mas_users.sql.skip");
      await repo.git("mv", "dbt/transform/gold/d_user.sql.skip", "dbt/transform/gold/d_user.sql");
      await repo.git("rm", "-q", "dbt/transform/silver/staging/stg_products.sql");
      await repo.write("dbt/transform/silver/master/mas_contracts.sql", "select * from {{ ref('stg_contracts') }}\n");
      await repo.write("dbt/transform/bronze/sources_addresses.yml", "version: 2\nsources:\n  - name: bronze\n    tables:\n      - name: addresses\n");
      await repo.git("mv", "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md", "dimensions/dim_user/DIM_USER_STATE.md");
    });
    expect(changes.map((c) => c.status).sort()).toEqual(["A", "A", "D", "R", "R", "R"]);
    expect(derived.baseScan).toEqual({ kind: "derived", reextracted: [] });
    expect(debug).toEqual([`pull request base: derived from the head and ${changes.length} changed file(s)`]);
  });

  it("a macro changes: the project's models are extracted again, and the debug log says so", async () => {
    const { derived, debug } = await compare("macro", async () => {
      await repo.write("dbt/macros/active_product_ids.sql", "{% macro active_product_ids() %}{{ return(ref('stg_users_app')) }}{% endmacro %}\n");
    });
    expect(derived.baseScan).toEqual({ kind: "derived", reextracted: ["dbt"] });
    expect(debug[0]).toBe("pull request base: every model of dbt re-extracted (dbt/macros/active_product_ids.sql changed, in a macro folder)");
  });

  it("an installed package committed with the PR: re-extracted; dbt_project.yml changed: the base read in full", async () => {
    const pkg = await compare("package", async () => {
      await repo.write("dbt/dbt_packages/utils/dbt_project.yml", "name: utils\nversion: '1.0'\nconfig-version: 2\nmacro-paths: ['macros']\n");
      await repo.write("dbt/dbt_packages/utils/macros/helpers.sql", "{% macro helper() %}{{ return(ref('stg_users_app')) }}{% endmacro %}\n");
      await repo.git("add", "-f", "dbt/dbt_packages");
    });
    expect(pkg.derived.baseScan).toEqual({ kind: "derived", reextracted: ["dbt"] });
    const project = await compare("project", async () => {
      const { readFile } = await import("node:fs/promises");
      const text = await readFile(`${repo.dir}/dbt/dbt_project.yml`, "utf8");
      await repo.write("dbt/dbt_project.yml", text.replace(/model-paths: \[[^\]]*\]/, 'model-paths: ["transform/silver"]'));
    });
    expect(project.derived.baseScan).toEqual({ kind: "full", why: "dbt/dbt_project.yml changed" });
    expect(project.debug).toEqual(["pull request base: read in full (dbt/dbt_project.yml changed)"]);
  });

  it("a package installed in the checkout and not tracked (dbt deps): seen on both sides, as a checkout of the base with it would", async () => {
    const pkg = {
      "dbt/dbt_packages/utils/dbt_project.yml": "name: utils\nversion: '1.0'\nconfig-version: 2\nmodel-paths: ['models']\n",
      "dbt/dbt_packages/utils/models/utils_calendar.sql": "select 1 as day\n",
    };
    await repo.git("checkout", "-q", "-b", "untracked", base);
    await repo.write("dbt/transform/gold/uses_package.sql.skip", "select * from {{ ref('utils_calendar') }}\n");
    const head = await repo.commit("a paused model reading a package model");
    for (const [path, text] of Object.entries(pkg)) await repo.write(path, text);
    expect(await repo.git("status", "--porcelain")).toBe(""); // ignored by the example's .gitignore
    const baseCheckout = `${repo.dir}-base`;
    await repo.git("worktree", "add", "-q", "--detach", baseCheckout, base);
    const { mkdir, writeFile } = await import("node:fs/promises");
    const { dirname } = await import("node:path");
    for (const [path, text] of Object.entries(pkg)) {
      await mkdir(dirname(`${baseCheckout}/${path}`), { recursive: true });
      await writeFile(`${baseCheckout}/${path}`, text);
    }
    const files = createDiskFileSource(repo.dir);
    const config = await loadConfig(files);
    const baseFiles = await gitCommitFileSource(repo.dir, base);
    try {
      const derived = await pullRequestStatus({ head: files, base: baseFiles, changes: await changedFiles(repo.dir, base, head), config });
      expect(derived.base).toStrictEqual({ reports: (await computeStatus({ files: createDiskFileSource(baseCheckout), config })).reports });
      expect(derived.head.reports[0]!.models.find((m) => m.name === "uses_package")?.status).toBe("ready");
    } finally {
      baseFiles.close();
      await repo.git("worktree", "remove", "--force", baseCheckout);
      const { rm } = await import("node:fs/promises");
      for (const path of Object.keys(pkg)) await rm(`${repo.dir}/${path}`);
    }
  });

  it("the Action's PR check derives the base (its debug log says so) and reports the pause against it", async () => {
    const { head } = await compare("action", async () => {
      await repo.git("mv", "dbt/transform/silver/master/mas_users.sql", "dbt/transform/silver/master/mas_users.sql.skip");
    });
    const event = parsePullRequestEvent(pullRequestPayload({ action: "synchronize", baseSha: base, headSha: head }));
    const debug: string[] = [];
    const result = await checkPullRequestInCheckout({ workspace: repo.dir, event, octokit: null, mode: "never", log: { info() {}, warn() {}, debug: (m) => debug.push(m) } });
    expect(debug).toEqual(["pull request base: derived from the head and 1 changed file(s)"]);
    // mas_users paused: what needed it is no longer ready, and the diff says it is this PR's doing.
    expect(result.changed).toBe(true);
    expect(result.diffs[0]!.baseUnavailable).toBeNull();
  });
});
