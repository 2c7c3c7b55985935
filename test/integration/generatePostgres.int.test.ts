import { execFile } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fg from "fast-glob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { generateFromCsv } from "../../src/usecases/generateFromCsv.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { localGeneratePorts } from "../../src/adapters/localGeneratePorts.js";

// The Postgres dialect against a real, throw-away Postgres server (a socket in a temporary folder,
// no network), run with psql exactly as the generated files say. A machine without a Postgres
// server fails here with how to install it (never skipped). As root, the server runs as the `postgres` user, which Postgres requires.
const run = promisify(execFile);
const initdb = fg.sync("/usr/lib/postgresql/*/bin/initdb")[0];
const asRoot = userInfo().uid === 0;
let base = "";
let pgctl = "";
let repo: TestRepo;

const asServer = (command: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args));
const psql = (...args: string[]) => run("psql", ["-h", join(base, "sock"), "-U", "postgres", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", ...args]);

beforeAll(async () => {
  if (!initdb) throw new Error("no Postgres server (initdb) under /usr/lib/postgresql: install Debian's postgresql package");
  base = await mkdtemp(join(tmpdir(), "dbt-unskip-pg-"));
  await mkdir(join(base, "sock"));
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(base, Number(stdout), Number(gid));
    await chown(join(base, "sock"), Number(stdout), Number(gid));
  }
  await chmod(base, 0o755);
  pgctl = join(initdb, "..", "pg_ctl");
  await asServer(initdb, ["-D", join(base, "data"), "-A", "trust", "-U", "postgres"]);
  await asServer(pgctl, ["-D", join(base, "data"), "-o", `-k ${join(base, "sock")} -c listen_addresses=''`, "-l", join(base, "log"), "-w", "start"]);
  repo = await createTestRepo(EXAMPLE_DIR);
}, 120_000);

afterAll(async () => {
  if (!initdb) return; // nothing was started
  await asServer(pgctl, ["-D", join(base, "data"), "-m", "fast", "-w", "stop"]).catch(() => {});
  await repo?.cleanup();
  await rm(base, { recursive: true, force: true });
});

describe("generate --dialect postgres against a real Postgres", () => {
  it('load (BOM, CRLF, DD/MM dates, booleans, zones, "" vs empty, a quote in the file name and a column name), validate, refuse a second load, roll back', async () => {
    const csvPath = join(base, "store o'neil.csv");
    const csv = '\ufeffuser_id,joined,active,amount,nickname,"a""b",ts\r\n9001,13/01/2024,yes,1.50,"",1,2024-01-05T10:00:00Z\r\n9002,05/02/2024,no,-22.125,,2,2024-01-05 10:00+02:00\r\n';
    await writeFile(csvPath, csv);
    const outcome = await generateFromCsv({
      ...localGeneratePorts,
      root: repo.dir,
      config: await loadConfig(createDiskFileSource(repo.dir)),
      csvPath,
      csvDisplay: csvPath,
      name: "users_store",
      mode: "source",
      sourceName: "store_feed",
      dialect: "postgres",
      today: "2026-11-21",
      confirm: async () => true,
    });
    const file = (role: string) => join(repo.dir, outcome.files.find((f) => f.role === role)!.path);
    expect(outcome.columns.map((c) => c.sqlType)).toEqual(["SMALLINT", "DATE", "BOOLEAN", "NUMERIC(5,3)", "TEXT", "SMALLINT", "TIMESTAMPTZ"]);

    await psql("-f", file("load"));
    const checks = (await psql("-f", file("validate"))).stdout.trim().split("\n");
    expect(checks).toHaveLength(1 + 6 + 1);
    expect(checks.every((line) => line.endsWith("|t"))).toBe(true);
    expect((await psql("-c", `select user_id, joined, active, amount, nickname is null, nickname = '', "a""b", extract(epoch from ts)::bigint from store_feed.users_store order by 1`)).stdout.trim()).toBe(
      ["9001|2024-01-13|t|1.500|f|t|1|1704448800", "9002|2024-02-05|f|-22.125|t||2|1704441600"].join("\n"),
    );
    // The table is never appended to: loading twice fails and changes nothing.
    await expect(psql("-f", file("load"))).rejects.toThrow(/already exists/);
    expect((await psql("-c", "select count(*) from store_feed.users_store")).stdout.trim()).toBe("2");

    await psql("-f", file("rollback-sql"));
    await psql("-f", file("rollback-sql"));
    expect((await psql("-c", "select count(*) from information_schema.tables where table_schema = 'store_feed'")).stdout.trim()).toBe("0");
  });
});
