import { mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../../src/adapters/files/writeFilesAtomically.js";
import { UserError } from "../../src/core/userError.js";
import { generateSeed } from "../helpers/generateSeed.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { modelStatus } from "../helpers/modelStatus.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// The use case on a real copy of the example (a git repository, so the fingerprint covers the
// index too), without dbt: typing, layout, refusals and all-or-nothing writing.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(): Promise<{ repo: TestRepo; dataDir: string }> {
  const repo = await createTestRepo(EXAMPLE_DIR);
  const dataDir = await mkdtemp(join(tmpdir(), "dbt-unskip-csv-"));
  cleanups.push(repo.cleanup, () => rm(dataDir, { recursive: true, force: true }));
  return { repo, dataDir };
}

const STORE_CSV = "user_id,email,signup_at,store_code\n9001,ana@example.com,2026-10-02 10:15:00,007\n9002,bob@example.com,2026-10-03 11:00:00,012\n";

describe("malformed CSV: refused naming the line, nothing written", () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ["ragged rows", "a,b\n1,2\n3\n4,5\n6,7,8\n", /bad\.csv: line 3: 2 rows without the header's 2 fields \(line 3 has 1, line 5 has 3\)/],
    ["invalid UTF-8", Buffer.concat([Buffer.from("a,b\n1,2\n3,caf"), Buffer.from([0xe9]), Buffer.from("\n")]), /bad\.csv: line 3: not valid UTF-8/],
    ["an empty file", "", /bad\.csv: the file is empty/],
    ["a header only", "a,b\r\n", /bad\.csv: the file has a header but no rows/],
    ["duplicate headers", "id,ID\n1,2\n", /bad\.csv: line 1: duplicate column names/],
    ["an empty header", "id,\n1,2\n", /bad\.csv: line 1: the header has an empty column name at position 2/],
    ["a stray quote", 'a,b\n1,2\n3,4"\n', /bad\.csv: line 3: a quote inside an unquoted field/],
    ["an unclosed quote", 'a,b\n1,"2\n3,4\n', /bad\.csv: line 2: a quoted field opened here is never closed/],
    // Checked on the header, before any row is read (the ragged row below is never reached).
    ["a Jinja header", "id,{{ env_var('X') }}\n1\n", /bad\.csv: line 1: column 2's name contains a Jinja delimiter/],
    ["a double quote in a seed's header", 'id,"a""b"\n1,2\n', /line 1: column 2's name contains a double quote, which dbt seeds cannot create/],
  ];
  it.each(cases)("%s", async (_, content, message) => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "bad.csv");
    await writeFile(csv, content);
    const before = await treeFingerprint(repo.dir);
    const error = await generateSeed(repo.dir, csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });
});

describe("generate a seed", () => {
  it("writes the seed and its YAML into the first seed path and the scripts under target/, and f_signups_by_channel becomes ready", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    expect(await modelStatus(repo.dir, "f_signups_by_channel")).toBe("blocked");

    const outcome = await generateSeed(repo.dir, csv);

    expect(outcome.result).toBe("generated");
    expect(outcome.readiness.newlyReady).toEqual([{ name: "f_signups_by_channel", path: "transform/gold/f_signups_by_channel.sql.skip", dimension: "dim_user" }]);
    expect(outcome.files.map((f) => f.path)).toEqual([
      "dbt/reference_data/stg_users_store.csv",
      "dbt/reference_data/_generated_stg_users_store.yml",
      "dbt/target/dbt-unskip-generate/stg_users_store/validate.sql",
      "dbt/target/dbt-unskip-generate/stg_users_store/rollback.sql",
      "dbt/target/dbt-unskip-generate/stg_users_store/rollback.sh",
      "dbt/target/dbt-unskip-generate/stg_users_store/summary.md",
    ]);
    expect(await readFile(join(repo.dir, "dbt/reference_data/stg_users_store.csv"), "utf8")).toBe(STORE_CSV);
    expect(outcome.columns.map((c) => [c.name, c.sqlType])).toEqual([
      ["user_id", "SMALLINT"],
      ["email", "VARCHAR"],
      ["signup_at", "TIMESTAMP"],
      ["store_code", "VARCHAR"],
    ]);
    expect(outcome.next).toContain("dbt-unskip restore --dimension dim_user");
    expect(await modelStatus(repo.dir, "f_signups_by_channel")).toBe("ready");
  });

  it("a dimension whose state documents' folder is a symbolic link: no restore command is offered for it, what to change instead", async () => {
    const { repo, dataDir } = await setup();
    await rm(join(repo.dir, "dimensions", "dim_user"), { recursive: true, force: true });
    await mkdir(join(dataDir, "dim_user"));
    await symlink(join(dataDir, "dim_user"), join(repo.dir, "dimensions", "dim_user"));
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    const outcome = await generateSeed(repo.dir, csv);
    expect(outcome.readiness.newlyReady.map((m) => m.dimension)).toEqual(["dim_user"]);
    expect(outcome.next.filter((c) => c.includes("restore"))).toEqual([
      "# dim_user: restore would be refused: dimensions/dim_user is a symbolic link (dbt-unskip does not read or write state documents through links); put the folder itself in the repository",
    ]);
  });

  it("refuses a name the project already uses (a seed, a paused model) and a file that already exists", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    await expect(generateSeed(repo.dir, csv, { name: "country_codes" })).rejects.toThrow(/'country_codes' is already a seed/);
    await expect(generateSeed(repo.dir, csv, { name: "d_user" })).rejects.toThrow(/'d_user' is already a paused model \(transform\/gold\/d_user\.sql\.skip\)/);
    await repo.write("dbt/reference_data/_generated_stg_users_store.yml", "# mine\n");
    await expect(generateSeed(repo.dir, csv)).rejects.toThrow(/dbt\/reference_data\/_generated_stg_users_store\.yml already exists; generate never overwrites/);
  });

  it("refuses --out inside a folder dbt reads (its .sql files would become models)", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    await expect(generateSeed(repo.dir, csv, { outDir: join(repo.dir, "dbt/transform/migrations") })).rejects.toThrow(/inside transform\/, which dbt reads/);
    const outcome = await generateSeed(repo.dir, csv, { outDir: join(repo.dir, "migrations/stg_users_store") });
    expect(outcome.files.map((f) => f.path)).toContain("migrations/stg_users_store/validate.sql");
  });

  it("refuses a seed folder that is a symbolic link out of the project", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    await rm(join(repo.dir, "dbt/reference_data"), { recursive: true });
    await mkdir(join(dataDir, "elsewhere"));
    await symlink(join(dataDir, "elsewhere"), join(repo.dir, "dbt/reference_data"));
    await expect(generateSeed(repo.dir, csv)).rejects.toThrow(/resolves outside the dbt project/);
  });

  it("cancelled: nothing written, the outcome still says what would have been", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    const before = await treeFingerprint(repo.dir);
    const outcome = await generateSeed(repo.dir, csv, { confirm: async () => false });
    expect(outcome.result).toBe("cancelled");
    expect(outcome.files).toHaveLength(6);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });

  it("a CSV that changes between profiling and writing: refused, nothing written", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    const before = await treeFingerprint(repo.dir);
    const changeIt = async () => {
      await writeFile(csv, `${STORE_CSV}9003,cy@example.com,not a date,9\n`);
      await utimes(csv, new Date(), new Date(Date.now() + 5000));
      return true;
    };
    await expect(generateSeed(repo.dir, csv, { confirm: changeIt })).rejects.toThrow(/changed while generating; nothing was written/);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });
});

describe("generate a source", () => {
  it("declares bronze.addresses beside the bronze source: mas_user_addresses becomes ready", async () => {
    const { repo } = await setup();
    const outcome = await generateSeed(repo.dir, join(repo.dir, "dbt/raw_data/addresses.csv"), { name: "addresses", mode: "source", sourceName: "bronze" });
    expect(outcome.files.map((f) => f.path).slice(0, 2)).toEqual(["dbt/transform/bronze/_generated_addresses.yml", "dbt/target/dbt-unskip-generate/addresses/load.sql"]);
    expect(outcome.readiness.newlyReady.map((m) => m.name)).toEqual(["mas_user_addresses"]);
    expect(await modelStatus(repo.dir, "mas_user_addresses")).toBe("ready");
  });

  it("a source named like a ref() does not make the model ready, and says why; --model does", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    const plain = await generateSeed(repo.dir, csv, { mode: "source", sourceName: "store_feed", confirm: async () => false });
    expect(plain.readiness.newlyReady).toEqual([]);
    expect(plain.readiness.hints.join()).toMatch(/f_signups_by_channel uses ref\('stg_users_store'\), which a source cannot satisfy: add --model stg_users_store/);

    const withModel = await generateSeed(repo.dir, csv, { name: "users_store", mode: "source", sourceName: "store_feed", model: "stg_users_store" });
    expect(withModel.files[0]!.path).toBe("dbt/transform/_generated_users_store.yml");
    expect(withModel.files[1]!.path).toBe("dbt/transform/stg_users_store.sql");
    expect(withModel.readiness.newlyReady.map((m) => m.name)).toEqual(["f_signups_by_channel"]);
  });

  it("refuses a table already declared, and seed-only options mixed up", async () => {
    const { repo, dataDir } = await setup();
    const csv = join(dataDir, "users_store.csv");
    await writeFile(csv, STORE_CSV);
    await expect(generateSeed(repo.dir, csv, { name: "users_web", mode: "source", sourceName: "bronze" })).rejects.toThrow(/source bronze\.users_web is already declared/);
    await expect(generateSeed(repo.dir, csv, { model: "x" })).rejects.toThrow(/only apply with --as source/);
  });
});

describe("writeFilesAtomically", () => {
  it("a destination that appears mid-way: everything written so far and the folders it made are removed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbt-unskip-atomic-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const files = [
      { path: join(dir, "a/one.txt"), content: "1" },
      { path: join(dir, "b/c/two.txt"), content: "2" },
      { path: join(dir, "three.txt"), content: "3" },
    ];
    const error = await writeFilesAtomically(files, { beforeCommit: () => writeFile(join(dir, "three.txt"), "someone else's") }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/three\.txt appeared while generating; nothing was written/);
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(dir)).toEqual(["three.txt"]);
    expect(await readFile(join(dir, "three.txt"), "utf8")).toBe("someone else's");
  });
});
