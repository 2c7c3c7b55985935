import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/userError.js";
import { generateLayout } from "../../src/usecases/generateLayout.js";
import { memoryDisk } from "../helpers/memoryDisk.js";
import { projectOf } from "../helpers/memoryProject.js";

// generate's layout checks against a file system held in memory (the LocalFiles port): no disk.
const project = projectOf({ "models/stg_users.sql": "select 1 as id", "seeds/.gitkeep": "" });
const layoutFor = (disk: ReturnType<typeof memoryDisk>, name = "users_store") => generateLayout({ root: "/repo", project, name, mode: "seed", sourceName: "raw", model: null, outDir: undefined, disk });

describe("generateLayout through the LocalFiles port", () => {
  it("places a seed in the first seed path and the scripts under target/, naming the folders to create outermost first", async () => {
    const disk = memoryDisk({ "/repo/dbt_project.yml": "name: shop", "/repo/seeds/.gitkeep": "", "/repo/models/stg_users.sql": "select 1 as id" });
    const layout = await layoutFor(disk);
    expect(layout.paths.seedCsv).toBe("/repo/seeds/users_store.csv");
    expect(layout.paths.properties).toBe("/repo/seeds/_generated_users_store.yml");
    expect(layout.paths.rollbackScript).toBe("/repo/target/dbt-unskip-generate/users_store/rollback.sh");
    expect(layout.createdDirs).toEqual(["/repo/target", "/repo/target/dbt-unskip-generate", "/repo/target/dbt-unskip-generate/users_store"]);
    expect(disk.asked).toContain("realpath /repo");
  });

  it("refuses a file that is already there, and writes nothing", async () => {
    const disk = memoryDisk({ "/repo/dbt_project.yml": "name: shop", "/repo/seeds/_generated_users_store.yml": "version: 2" });
    const error = await layoutFor(disk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^seeds\/_generated_users_store\.yml already exists; generate never overwrites a file/);
    expect(disk.asked.filter((a) => a.startsWith("replaceText") || a.startsWith("remove"))).toEqual([]);
  });

  it("refuses a seed folder that is a symbolic link out of the project", async () => {
    const disk = memoryDisk({ "/repo/dbt_project.yml": "name: shop", "/elsewhere/data/x.csv": "a\n1\n" }, { "/repo/seeds": "/elsewhere/data" });
    await expect(layoutFor(disk)).rejects.toThrow(/seeds\/users_store\.csv: its folder resolves outside the dbt project \(a symbolic link\?\); refusing to write there/);
  });

  it("refuses a name a model already has", async () => {
    const disk = memoryDisk({ "/repo/dbt_project.yml": "name: shop" });
    await expect(layoutFor(disk, "stg_users")).rejects.toThrow(/'stg_users' is already a model \(models\/stg_users\.sql\)/);
  });
});
