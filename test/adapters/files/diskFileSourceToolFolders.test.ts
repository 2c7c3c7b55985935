import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../../src/adapters/files/diskFileSource.js";

// dbt 1.11 reads every `*.sql` below a model path, in folders of any name (os.walk, no folder
// skipped): a listing of a folder dbt reads lists them all. A glob from the repository root (project
// folders) still never walks a virtualenv, node_modules or .git.
const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function tree(files: string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dbt-unskip-tool-folders-"));
  roots.push(root);
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), "select 1 as id\n");
  }
  return root;
}

describe("the disk file source and tools' folder names", () => {
  it("lists a model path's node_modules, .venv, target, logs and .git as dbt reads them", async () => {
    const inside = ["node_modules/a.sql", ".venv/b.sql", "target/c.sql", "logs/d.sql", ".git/e.sql", "x/node_modules/y/f.sql"].map((p) => `dbt/models/${p}`);
    const root = await tree([...inside, "dbt/models/g.sql"]);
    expect(await createDiskFileSource(root).list("dbt/models")).toEqual([...inside, "dbt/models/g.sql"].sort());
  });

  it("globs from the root never walk node_modules, .venv or .git", async () => {
    const root = await tree(["dbt/dbt_project.yml", "node_modules/pkg/dbt_project.yml", ".venv/lib/dbt_project.yml", "a/node_modules/dbt_project.yml", ".git/dbt_project.yml"]);
    expect(await createDiskFileSource(root).glob(["**/dbt_project.yml"])).toEqual(["dbt/dbt_project.yml"]);
  });
});
