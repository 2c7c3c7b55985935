import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { ScratchProject } from "../../src/adapters/dbt/scratchProject.js";
import { spawnDbt, type DbtRunResult } from "../../src/adapters/dbt/spawnDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// dbt 1.11 walks a model path with os.walk and skips no folder by name: `transform/node_modules/x.sql`
// and `transform/.venv/x.sql` are models to the user's dbt. The scan and restore's scratch copy left
// such folders out at any depth: a paused model named like an active one there was called ready and
// proven in a copy that lacked the other (the user's dbt: "two models with the name"), and a model
// reading one there was called blocked. Real dbt on a copy of the bundled example.

const DUP = { skipFile: "transform/gold/account/dup_account.sql.skip", realFile: "transform/gold/account/dup_account.sql" };
const USES = { skipFile: "transform/gold/account/uses_vendor.sql.skip", realFile: "transform/gold/account/uses_vendor.sql" };
const ADDED: Record<string, string> = {
  "transform/node_modules/dup_account.sql": "select 1 as id\n",
  [DUP.skipFile]: "select 2 as id\n",
  "transform/.venv/vendor_account.sql": "select 3 as id\n",
  [USES.skipFile]: "select * from {{ ref('vendor_account') }}\n",
};

let dbt: DbtInstallation;
let example: Awaited<ReturnType<typeof scratchExample>>;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  example = await scratchExample();
  cleanups.push(example.cleanup);
  for (const [file, text] of Object.entries(ADDED)) {
    await mkdir(dirname(join(example.dbtDir, file)), { recursive: true });
    await writeFile(join(example.dbtDir, file), text);
  }
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function parse(projectDir: string): Promise<{ result: DbtRunResult; output: string; manifest: () => Promise<{ nodes: Record<string, { name: string; depends_on: { nodes: string[] } }> }> }> {
  const target = await mkdtemp(join(tmpdir(), "dbt-unskip-tool-folders-target-"));
  cleanups.push(() => rm(target, { recursive: true, force: true }));
  const result = await spawnDbt({
    command: dbt.command,
    args: ["parse", "--target-path", target],
    projectDir,
    profilesDir: projectDir,
    timeoutMs: 300_000,
    setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(target, "x.duckdb") },
  });
  const output = [...result.events.map((e) => e.msg), result.otherOutput].join("\n");
  return { result, output, manifest: async () => JSON.parse(await readFile(join(target, "manifest.json"), "utf8")) };
}

describe("models in folders named node_modules or .venv inside a model path", () => {
  it("status agrees with dbt: the duplicate is not ready, the model reading one is", async () => {
    const { reports } = await computeStatus({ files: createDiskFileSource(example.root), config: await loadConfig(createDiskFileSource(example.root)) });
    const status = (name: string) => reports.flatMap((r) => r.models).find((m) => m.name === name)?.status;
    expect(status("dup_account")).not.toBe("ready");
    expect(status("uses_vendor")).toBe("ready");
  });

  it("the user's dbt rejects the duplicate restored in the tree", async () => {
    await rename(join(example.dbtDir, DUP.skipFile), join(example.dbtDir, DUP.realFile));
    try {
      const { result, output } = await parse(example.dbtDir);
      expect(result.exitCode).not.toBe(0);
      expect(output).toMatch(/two models with the name "dup_account"/);
      expect(output).toContain("transform/node_modules/dup_account.sql");
    } finally {
      await rename(join(example.dbtDir, DUP.realFile), join(example.dbtDir, DUP.skipFile));
    }
  });

  it("restore's scratch copy holds them: dbt there rejects the duplicate and accepts the model reading one", async () => {
    const scratch = await ScratchProject.create(example.dbtDir, example.root);
    cleanups.push(() => scratch.dispose());
    await scratch.setRestored([DUP], [DUP, USES]);
    const withDuplicate = await parse(scratch.dir);
    expect(withDuplicate.result.exitCode).not.toBe(0);
    expect(withDuplicate.output).toMatch(/two models with the name "dup_account"/);

    await scratch.setRestored([USES], [DUP, USES]);
    const withReader = await parse(scratch.dir);
    expect(withReader.output).not.toMatch(/Compilation Error|Parsing Error/);
    expect(withReader.result.exitCode).toBe(0);
    const nodes = Object.values((await withReader.manifest()).nodes);
    expect(nodes.find((n) => n.name === "uses_vendor")?.depends_on.nodes).toEqual(["model.acme_warehouse.vendor_account"]);
  });
});
