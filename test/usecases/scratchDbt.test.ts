import { mkdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { inScratchCopy, scratchCopies } from "../../src/adapters/dbt/scratchCopies.js";
import { toOutcome } from "../../src/usecases/scratchDbt.js";
import { manifestWithRestoredFiles } from "../../src/usecases/scratchManifest.js";
import { flagValue, recordingDbt } from "../helpers/recordingDbt.js";
import { useTempDir } from "../helpers/useTempDir.js";

async function project(dir: string): Promise<string> {
  const root = join(dir, "project");
  await mkdir(join(root, "models"), { recursive: true });
  await writeFile(join(root, "dbt_project.yml"), "name: p\nprofile: p\n");
  await writeFile(join(root, "profiles.yml"), "p: {}\n");
  await writeFile(join(root, "models", "a.sql.skip"), "select 1\n");
  return root;
}

// Restore, pause and plan prove in one kind of scratch copy (inScratchCopy): dbt runs in the copy,
// with the project's own profiles.yml, a target folder of the copy's, and the copy removed after.
describe("scratch dbt runs", () => {
  const tmp = useTempDir("dbt-unskip-scratch-dbt-");

  it("plan's parse runs as restore's: in the copy, with its profiles and its target folder, and the copy is removed", async () => {
    const fake = await recordingDbt(tmp());
    const projectRoot = await project(tmp());
    const lines: string[] = [];

    const manifest = await manifestWithRestoredFiles({
      scratch: scratchCopies,
      ctx: { dbt: { command: fake.command, version: "1.11.0" }, timeoutMs: 60_000 },
      root: projectRoot,
      projectRoot,
      files: [{ skipFile: "models/a.sql.skip", realFile: "models/a.sql" }],
      progress: (line) => lines.push(line),
    });

    expect([...manifest.nodes.keys()]).toEqual(["model.p.a"]);
    const [call] = await fake.calls();
    const copy = call!.cwd;
    expect(copy).toMatch(/dbt-unskip-restore-[^/]+\/project$/);
    expect(flagValue(call!.args, "--project-dir")).toBe(copy);
    expect(flagValue(call!.args, "--profiles-dir")).toBe(copy);
    // dbt's default place in the copy (a profile's relative `target/x.duckdb` expects it there).
    expect(flagValue(call!.args, "--target-path")).toBe(join(copy, "target"));
    // And dbt.log into the copy's logs folder, whatever DBT_LOG_PATH or log-path say.
    expect(flagValue(call!.args, "--log-path")).toBe(join(copy, "logs"));
    await expect(stat(dirname(copy))).rejects.toThrow(/ENOENT/);
    expect(lines).toEqual(["dbt parse with the 1 restored model (scratch copy)..."]);
  });

  it("a plan's parse that dbt rejects is said as restore says it, dbt's error echoed to progress", async () => {
    const fake = await recordingDbt(tmp());
    const projectRoot = await project(tmp());
    await writeFile(join(tmp(), "fail"), "");
    const lines: string[] = [];

    await expect(
      manifestWithRestoredFiles({
        scratch: scratchCopies,
        ctx: { dbt: { command: fake.command, version: "1.11.0" }, timeoutMs: 60_000 },
        root: projectRoot,
        projectRoot,
        files: [],
        progress: (line) => lines.push(line),
      }),
    ).rejects.toThrow("dbt parse failed: Compilation Error refused");
    expect(lines).toContain("  dbt: Encountered an error: refused");
  });

  it("variables set for dbt reach it in a restore's or pause's scratch copy too", async () => {
    const fake = await recordingDbt(tmp());
    const projectRoot = await project(tmp());

    const exitCode = await inScratchCopy(
      { root: projectRoot, projectRoot },
      { dbt: { command: fake.command, version: "1.11.0" }, timeoutMs: 60_000, setEnv: { FAKE_MARK: "set" }, progress: () => {} },
      async (_scratch, dbt) => (await dbt(["parse"])).exitCode,
    );

    expect(exitCode).toBe(0);
    expect((await fake.calls()).map((c) => c.env.FAKE_MARK)).toEqual(["set"]);
  });

  it("dbt reads partial parsing state from the copy's own target folder, never from the user's DBT_PARTIAL_PARSE_FILE_PATH", async () => {
    const names = ["DBT_PARTIAL_PARSE_FILE_PATH", "DBT_ENGINE_PARTIAL_PARSE_FILE_PATH"];
    const fake = await recordingDbt(tmp(), names);
    const projectRoot = await project(tmp());
    for (const name of names) vi.stubEnv(name, join(tmp(), "users", "partial_parse.msgpack"));
    try {
      await inScratchCopy({ root: projectRoot, projectRoot }, { dbt: { command: fake.command, version: "1.11.0" }, timeoutMs: 60_000, progress: () => {} }, (_scratch, dbt) => dbt(["compile"]));
    } finally {
      vi.unstubAllEnvs();
    }
    // Empty is unset to dbt (click takes the first non-empty of the two names).
    expect((await fake.calls()).map((c) => c.env)).toEqual([{ DBT_PARTIAL_PARSE_FILE_PATH: "", DBT_ENGINE_PARTIAL_PARSE_FILE_PATH: "" }]);
  });

  it("the copy holds every folder dbt_project.yml names outside the project (a shared macro folder), and no more of the repository", async () => {
    const fake = await recordingDbt(tmp());
    const root = tmp();
    const projectRoot = join(root, "warehouse", "dbt");
    await mkdir(join(projectRoot, "models"), { recursive: true });
    await mkdir(join(root, "warehouse", "shared", "macros"), { recursive: true });
    await mkdir(join(root, "elsewhere"), { recursive: true });
    await writeFile(join(projectRoot, "dbt_project.yml"), 'name: p\nprofile: p\nmacro-paths: ["macros", "../shared/macros"]\n');
    await writeFile(join(projectRoot, "profiles.yml"), "p: {}\n");
    await writeFile(join(root, "warehouse", "shared", "macros", "m.sql"), "{% macro m() %}1{% endmacro %}\n");
    await writeFile(join(root, "elsewhere", "big.csv"), "a\n");

    const seen = await inScratchCopy({ root, projectRoot }, { dbt: { command: fake.command, version: "1.11.0" }, timeoutMs: 60_000, progress: () => {} }, async (scratch) => ({
      macro: await stat(join(scratch.dir, "..", "shared", "macros", "m.sql")).then(() => true),
      elsewhere: await stat(join(scratch.root, "project", "elsewhere")).then(
        () => true,
        () => false,
      ),
      dir: scratch.dir,
    }));

    expect(seen.macro).toBe(true);
    expect(seen.elsewhere).toBe(false);
    expect(seen.dir).toMatch(/dbt-unskip-restore-[^/]+\/project\/dbt$/);
  });

  it("a relative link that climbs out of the copied folder points at its target in the tree; one inside keeps pointing inside the copy", async () => {
    const root = tmp();
    const projectRoot = join(root, "dbt");
    await mkdir(join(projectRoot, "macros"), { recursive: true });
    await mkdir(join(root, "common", "macros"), { recursive: true });
    await writeFile(join(projectRoot, "dbt_project.yml"), "name: p\nprofile: p\n");
    await writeFile(join(root, "common", "macros", "m.sql"), "{% macro m() %}1{% endmacro %}\n");
    await writeFile(join(projectRoot, "macros", "own.sql"), "{% macro own() %}1{% endmacro %}\n");
    await symlink("../../common/macros", join(projectRoot, "macros", "shared"));
    await symlink("own.sql", join(projectRoot, "macros", "alias.sql"));

    const seen = await inScratchCopy({ root, projectRoot }, { dbt: { command: "dbt", version: "1.11.0" }, timeoutMs: 60_000, progress: () => {} }, async (scratch) => ({
      shared: await readFile(join(scratch.dir, "macros", "shared", "m.sql"), "utf8"),
      alias: await readlink(join(scratch.dir, "macros", "alias.sql")),
    }));

    expect(seen.shared).toContain("macro m()");
    expect(seen.alias).toBe("own.sql");
  });

  it("refuses a dbt_project.yml that names a folder outside the repository, before copying anything", async () => {
    const root = tmp();
    const projectRoot = join(root, "dbt");
    await mkdir(projectRoot, { recursive: true });
    await writeFile(join(projectRoot, "dbt_project.yml"), 'name: p\nmodel-paths: ["../../outside"]\n');
    const work = vi.fn();
    await expect(inScratchCopy({ root, projectRoot }, { dbt: { command: "dbt", version: "1.11.0" }, timeoutMs: 60_000, progress: () => {} }, work)).rejects.toThrow(
      "dbt/dbt_project.yml: a folder it names is outside the repository",
    );
    expect(work).not.toHaveBeenCalled();
  });
});

// What dbt 1.11.16 + dbt-duckdb 1.11.1 said (MainEncounteredError, shortened traceback) when the
// scratch copy's `dbt compile` met a profile whose absolute `path` another process held open.
const LOCK =
  'IO Error: Could not set lock on file "/tmp/wh/acme.duckdb": Conflicting lock is held in /usr/bin/python3.11 (PID 8999). See also https://duckdb.org/docs/current/connect/concurrency\n' +
  'Traceback (most recent call last):\n  File ".../dbt/adapters/duckdb/connections.py", line 110, in exception_handler\n    yield\n' +
  '_duckdb.IOException: IO Error: Could not set lock on file "/tmp/wh/acme.duckdb": Conflicting lock is held in /usr/bin/python3.11 (PID 8999). See also https://duckdb.org/docs/current/connect/concurrency\n';
const failed = (exc: string) => ({
  exitCode: 2,
  killedBy: null,
  timedOut: false,
  events: [{ name: "MainEncounteredError", level: "error", msg: `Encountered an error:\n${exc}`, data: { exc } }],
  otherOutput: "",
  invocation: [],
});

describe("a DuckDB file another process holds", () => {
  it("is said in plain words (the file, the holder, what to do), without dbt's traceback", () => {
    const outcome = toOutcome(failed(LOCK), "compile", 60_000);
    expect(outcome).toEqual({
      ok: false,
      fatal: [
        "dbt compile could not open the DuckDB database /tmp/wh/acme.duckdb: it is locked by /usr/bin/python3.11 (PID 8999).",
        "dbt compile connects to the database your profile names, and DuckDB lets one process at a time have a file open for writing.",
        "Close that process (a dbt run, a notebook, a SQL client) or wait for it to end, then run again.",
      ].join("\n"),
    });
  });

  it("is no model's fault even when dbt names the model whose introspection hit it: nothing is re-skipped for it", () => {
    const outcome = toOutcome(failed(`Runtime Error in model f_margin (models/f_margin.sql)\n  ${LOCK}`), "compile", 60_000);
    expect("fatal" in outcome && outcome.fatal).toMatch(/^dbt compile could not open the DuckDB database \/tmp\/wh\/acme\.duckdb/);
    expect("culprits" in outcome).toBe(false);
  });

  it("any other dbt error still names its culprits", () => {
    const outcome = toOutcome(failed("Compilation Error in model f_margin (models/f_margin.sql)\n  'x' is undefined"), "compile", 60_000);
    expect(outcome).toMatchObject({ ok: false, culprits: [{ file: "models/f_margin.sql", missing: null }] });
  });
});
