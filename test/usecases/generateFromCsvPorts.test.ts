import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { CsvFormatError } from "../../src/core/csv/csvFormatError.js";
import { generateFromCsv, type GenerateInput } from "../../src/usecases/generateFromCsv.js";
import { memoryGeneratePorts } from "../helpers/memoryGeneratePorts.js";

// generate driven through its ports alone (GeneratePorts held in memory): no disk, no stream, no
// temporary files. f_signups is paused on ref('stg_store'), which nothing provides yet.
const CSV = "store_id,store_code,opened_at\n1,007,2026-10-02 10:15:00\n2,012,2026-10-03 11:00:00\n";
const REPO = {
  "/repo/dbt_project.yml": 'name: shop\nversion: "1.0"\nprofile: shop\nmodel-paths: ["models"]\nseed-paths: ["seeds"]\n',
  "/repo/models/stg_orders.sql": "select 1 as id",
  "/repo/models/f_signups.sql.skip": "{{ config(tags=['dim_store']) }}\nselect * from {{ ref('stg_orders') }} join {{ ref('stg_store') }} using (id)",
  "/data/store.csv": CSV,
};

function generate(overrides: Partial<GenerateInput> = {}, files: Record<string, string> = REPO) {
  const ports = memoryGeneratePorts(files);
  const outcome = generateFromCsv({
    ...ports,
    root: "/repo",
    config: DEFAULT_CONFIG,
    csvPath: "/data/store.csv",
    csvDisplay: "store.csv",
    name: "stg_store",
    mode: "seed",
    dialect: "duckdb",
    today: "2026-12-07",
    confirm: async () => true,
    ...overrides,
  });
  return { ...ports, outcome };
}

const SEED_FILES = [
  "/repo/seeds/stg_store.csv",
  "/repo/seeds/_generated_stg_store.yml",
  "/repo/target/dbt-unskip-generate/stg_store/validate.sql",
  "/repo/target/dbt-unskip-generate/stg_store/rollback.sql",
  "/repo/target/dbt-unskip-generate/stg_store/rollback.sh",
  "/repo/target/dbt-unskip-generate/stg_store/summary.md",
];

describe("generateFromCsv through its ports", () => {
  it("a seed: profiled through the port, every file written in one batch, the paused model ready as if the seed were there", async () => {
    const { disk, writes, modes, outcome } = generate();
    const result = await outcome;

    expect(result.result).toBe("generated");
    expect(result.readiness.newlyReady).toEqual([{ name: "f_signups", path: "models/f_signups.sql.skip", dimension: "dim_store" }]);
    expect(result.columns.map((c) => [c.name, c.sqlType])).toEqual([
      ["store_id", "SMALLINT"],
      ["store_code", "VARCHAR"],
      ["opened_at", "TIMESTAMP"],
    ]);
    expect(writes).toEqual([SEED_FILES]);
    expect(result.files.map((f) => f.path)).toEqual(SEED_FILES.map((p) => p.slice("/repo/".length)));
    expect(disk.texts.get("/repo/seeds/stg_store.csv")).toBe(CSV);
    expect(disk.texts.get("/repo/seeds/_generated_stg_store.yml")).toContain("stg_store");
    expect(modes.get("/repo/target/dbt-unskip-generate/stg_store/rollback.sh")).toBe(0o755);
    expect(disk.asked).toContain("profileCsv /data/store.csv");
    // The CSV's size and time are asked again right before the files are put in place.
    expect(disk.asked.filter((a) => a === "stat /data/store.csv")).toHaveLength(1);
  });

  it("the readiness overlay writes nothing: cancelled, no batch asked and the tree as it was", async () => {
    const { disk, writes, outcome } = generate({ confirm: async () => false });
    const result = await outcome;
    expect(result.result).toBe("cancelled");
    expect(result.readiness.newlyReady.map((m) => m.name)).toEqual(["f_signups"]);
    expect(writes).toEqual([]);
    expect([...disk.texts.keys()].sort()).toEqual(Object.keys(REPO).sort());
  });

  it("a CSV that changes after profiling: refused by the check before anything is in place", async () => {
    const run = generate({
      confirm: async () => {
        run.disk.texts.set("/data/store.csv", `${CSV}3,013,2026-10-04 09:00:00\n`);
        return true;
      },
    });
    const { outcome, disk, writes } = run;
    await expect(outcome).rejects.toThrow("store.csv changed while generating; nothing was written");
    expect(writes).toHaveLength(1);
    expect(SEED_FILES.filter((p) => disk.texts.has(p))).toEqual([]);
  });

  it("a malformed CSV: the port's refusal names the file and line, no batch asked", async () => {
    const { writes, outcome } = generate({}, { ...REPO, "/data/store.csv": "a,b\n1,2\n3\n" });
    const error = await outcome.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect((error as Error).message).toMatch(/^store\.csv: line 3/);
    expect(writes).toEqual([]);
  });

  it("a source with --model: the declaration and the model in the project, the load script under target/", async () => {
    const { disk, writes, outcome } = generate({ name: "stores", mode: "source", sourceName: "feed", model: "stg_store" });
    const result = await outcome;
    expect(result.readiness.newlyReady.map((m) => m.name)).toEqual(["f_signups"]);
    expect(writes[0]?.slice(0, 3)).toEqual(["/repo/models/_generated_stores.yml", "/repo/models/stg_store.sql", "/repo/target/dbt-unskip-generate/stores/load.sql"]);
    expect(disk.texts.get("/repo/models/stg_store.sql")).toContain("source('feed', 'stores')");
    expect(disk.texts.has("/repo/seeds/stg_store.csv")).toBe(false);
  });
});
