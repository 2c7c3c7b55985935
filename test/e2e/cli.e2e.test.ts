import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runBundledCli as cli } from "../helpers/runBundledCli.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

describe("dbt-unskip status on the bundled example", () => {
  let example: Awaited<ReturnType<typeof scratchExample>>;
  beforeAll(async () => {
    example = await scratchExample();
  });
  afterAll(() => example.cleanup());

  it("--json follows the documented contract and classifies every paused model", () => {
    const { code, stdout, stderr } = cli(["status", "--json"], example.root);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report).sort()).toEqual(["dimensions", "models", "problems", "project", "rootCauses", "summary"]);
    expect(report.project).toEqual({ name: "acme_warehouse", dir: "dbt" });
    expect(report.summary).toEqual({ paused: 9, ready: 3, blocked: 6, needsInvestigation: 0 });
    const verdicts = Object.fromEntries(report.models.map((m: { name: string; status: string }) => [m.name, m.status]));
    expect(verdicts).toEqual({
      f_user_activity: "ready",
      f_contract_channels: "ready",
      f_product_margin: "ready",
      mas_user_contracts: "blocked",
      d_user: "blocked",
      d_account: "blocked",
      mas_user_addresses: "blocked",
      f_signups_by_channel: "blocked",
      // ref(var('contract_model', 'mas_contracts')): the var's default, as dbt reads it.
      f_contract_revenue: "blocked",
    });
    const channels = report.models.find((m: { name: string }) => m.name === "f_contract_channels");
    expect(
      channels.dependencies
        .filter((d: { via: string[] }) => d.via.length > 0)
        .map((d: { name: string }) => d.name)
        .sort(),
    ).toEqual(["stg_contracts", "stg_contracts_broker"]);
    for (const model of report.models) {
      expect(Object.keys(model)).toEqual(expect.arrayContaining(["name", "path", "dimension", "status", "dependencies", "missing", "restoreOrder"]));
      expect(model.restoreOrder === null).toBe(model.status !== "ready");
    }
    expect(report.rootCauses[0]).toEqual({
      type: "ref",
      name: "mas_contracts",
      blocks: ["d_account", "d_user", "f_contract_revenue", "mas_user_contracts"],
      expectedFrom: "dim_contract",
    });
    const dims = Object.fromEntries(report.dimensions.map((d: { name: string; stateDocument: string | null }) => [d.name, d.stateDocument]));
    expect(dims).toEqual({
      dim_account: null,
      dim_contract: "dimensions/dim_contract/DIM_CONTRACT_MIGRATION_STATE.md",
      dim_product: "dimensions/dim_product/DIM_PRODUCT_MIGRATION_STATE.md",
      dim_user: "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md",
    });
  });

  it("the human report lists ready and blocked models and the root causes", () => {
    const { code, stdout } = cli(["status"], example.root);
    expect(code).toBe(0);
    expect(stdout).toContain("✅ READY TO RESUME (3 models), in restore order:");
    // f_contract_revenue's ref(var('contract_model', 'mas_contracts')) is read with the var's default.
    expect(stdout).toContain("❌ STILL BLOCKED (6 models):");
    expect(stdout).not.toContain("NEEDS INVESTIGATION");
    expect(stdout).toMatch(/1\. mas_contracts, expected from dim_contract → blocks 4: d_account, d_user, f_contract_revenue, mas_user_contracts/);
  });

  it("--dimension narrows the report; an unknown dimension is a user error", () => {
    const one = JSON.parse(cli(["status", "--json", "--dimension", "dim_contract"], example.root).stdout);
    expect(one.models.map((m: { name: string }) => m.name).sort()).toEqual(["f_contract_channels", "f_contract_revenue"]);
    const unknown = cli(["status", "--dimension", "dim_nope"], example.root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("dbt-unskip: unknown dimension 'dim_nope'; known dimensions: dim_account, dim_contract, dim_product, dim_user\n");
  });
});

describe("bad input: a clear one-line error naming the file, or a report that names it", () => {
  let dir: string;
  const write = async (path: string, content: string | Buffer) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dbt-unskip-bad-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("not a dbt project: exit 2 and the missing file", async () => {
    const { code, stderr, stdout } = cli(["status"], dir);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("dbt-unskip: dbt_project.yml: no dbt_project.yml here: is this a dbt project folder?\n");
  });

  it("malformed dbt_project.yml: exit 2 naming the file and line, no stack trace", async () => {
    await write("dbt_project.yml", "name: shop\nmodel-paths: [models\n");
    const { code, stderr } = cli(["status"], dir);
    expect(code).toBe(2);
    expect(stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(stderr).toMatch(/^dbt-unskip: dbt_project\.yml:\d+: invalid YAML: /);
    expect(stderr).not.toMatch(/at .*\.js/);
  });

  it("a bad configuration file: exit 2 naming the file, key and line", async () => {
    await write("dbt_project.yml", "name: shop\n");
    await write(".github/dbt-unskip.yml", "branch-prefix: migrate/\nbrnach-prefix: oops/\n");
    const { code, stderr } = cli(["status"], dir);
    expect(code).toBe(2);
    expect(stderr).toBe("dbt-unskip: .github/dbt-unskip.yml:2: `brnach-prefix`: is not a known setting\n");
  });

  it("an empty project reports nothing paused", async () => {
    await write("dbt_project.yml", "name: shop\n");
    const { code, stdout } = cli(["status", "--json"], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary).toEqual({ paused: 0, ready: 0, blocked: 0, needsInvestigation: 0 });
  });

  it("malformed source YAML, a binary .sql and invalid UTF-8 are named; the rest of the report comes out", async () => {
    await write("dbt_project.yml", "name: shop\n");
    await write("models/stg.sql", "select 1 as id");
    await write("models/sources.yml", "version: 2\nsources:\n  - name: raw\n    tables: [\n");
    await write("models/blob.sql", Buffer.from([0x73, 0x65, 0x00, 0x01, 0x02]));
    await write("models/latin1.sql.skip", Buffer.from("select\n'caf\xe9' from {{ ref('stg') }}", "latin1"));
    await write("models/ok.sql.skip", "select * from {{ ref('stg') }}");
    const { code, stdout } = cli(["status", "--json"], dir);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.models.map((m: { name: string; status: string }) => [m.name, m.status])).toEqual([
      ["latin1", "needs-investigation"],
      ["ok", "ready"],
    ]);
    const problems = report.problems.map((p: { kind: string; file: string; line?: number; message: string }) => [p.kind, p.file, p.line ?? null, p.message]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ["invalid-yaml", "models/sources.yml", expect.any(Number), expect.stringMatching(/^invalid YAML/)],
        ["unreadable-file", "models/blob.sql", null, "binary file (contains NUL bytes)"],
        ["unreadable-file", "models/latin1.sql.skip", null, "not valid UTF-8 (line 2); save it as UTF-8"],
      ]),
    );
  });
});

describe("dbt-unskip restore from the bundle", () => {
  it("refuses hostile names before doing anything", () => {
    for (const [args, message] of [
      [["--dimension", "../x"], "--dimension '../x': a name has only letters, digits and _"],
      [["--dimension=-f"], "--dimension '-f': a name has only letters, digits and _"],
      [["--dimension", "dim_user", "--models", "a;rm -rf /"], "--models 'a;rm -rf /': a name has only letters, digits and _"],
    ] as const) {
      const { code, stderr } = cli(["restore", ...args], REPO_ROOT);
      expect(code).toBe(2);
      expect(stderr).toBe(`dbt-unskip: ${message}\n`);
    }
    const dashed = cli(["restore", "--dimension", "-f"], REPO_ROOT);
    expect(dashed.code).toBe(2);
    expect(dashed.stderr).toMatch(/^dbt-unskip: Option '--dimension' argument is ambiguous\./);
  });

  it("--json restores without a terminal when told --yes, and asks for --yes otherwise", async () => {
    const { createTestRepo } = await import("../helpers/gitRepo.js");
    const { EXAMPLE_DIR } = await import("../helpers/scratchExample.js");
    const repo = await createTestRepo(EXAMPLE_DIR);
    try {
      const refused = cli(["restore", "--dimension", "dim_product"], repo.dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/confirm with --yes when not running in a terminal\n$/);
      expect(await repo.git("status", "--porcelain")).toBe("");

      const { code, stdout } = cli(["restore", "--dimension", "dim_product", "--yes", "--json"], repo.dir);
      expect(code).toBe(0);
      const outcome = JSON.parse(stdout);
      expect(outcome).toMatchObject({ result: "restored", dimension: "dim_product", dbt: { parseRuns: 1, compileRuns: 1, invocations: 2 } });
      expect(outcome.restored.map((m: { name: string }) => m.name)).toEqual(["f_product_margin"]);
      expect(outcome.commit.branch).toBe("migrate/dim_product");
    } finally {
      await repo.cleanup();
    }
  });
});
