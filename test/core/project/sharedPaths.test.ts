import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../../src/adapters/files/diskFileSource.js";
import { projectDirBelowRoot } from "../../../src/cli/startCommand.js";
import { buildProject } from "../../../src/core/project/buildProject.js";
import type { FileContent, ProjectSnapshot } from "../../../src/core/project/projectSnapshot.js";
import { analyzeReadiness } from "../../../src/core/readiness/analyzeReadiness.js";
import { DEFAULT_CONFIG } from "../../../src/core/config/unskipConfig.js";
import { readProjectSnapshot } from "../../../src/usecases/readProjectSnapshot.js";
import { statusCommand } from "../../../src/cli/statusCommand.js";
import type { CliIo } from "../../../src/cli/cliCommand.js";
import { EXAMPLE_DIR } from "../../helpers/scratchExample.js";

// Repositories with several dbt projects share folders: `model-paths: ["models", "../../sources"]`.
// Read them when inside the repository root; outside it, an error naming the key.

const YML = (paths: string) => `name: shop\nprofile: shop\n${paths}`;

function snapshot(projectDir: string, yml: string, files: Record<string, string>): ProjectSnapshot {
  const map = new Map<string, FileContent | "listed">();
  for (const [path, text] of Object.entries(files)) map.set(path, path.endsWith(".csv") ? "listed" : { kind: "text", text });
  return { projectDir, dbtProjectYml: { kind: "text", text: yml }, dbtignore: null, files: map };
}

describe("model, macro, seed and snapshot paths outside the project folder", () => {
  const files = {
    "warehouses/a/models/x.sql.skip": "select * from {{ ref('shared_stg') }} join {{ source('raw', 'users') }} {{ pick() }}",
    "shared/sources/shared_stg.sql": "select 1",
    "shared/sources/raw.yml": "sources:\n  - name: raw\n    tables:\n      - name: users\n",
    "shared/macros/pick.sql": "{% macro pick() %}{{ ref('codes') }}{% endmacro %}",
    "shared/seeds/codes.csv": "",
  };
  const yml = YML(`model-paths: ["models", "../../shared/sources"]\nmacro-paths: ["macros", "../../shared/macros"]\nseed-paths: ["../../shared/seeds"]\n`);

  it("reads them when inside the repository: the paused model is ready", () => {
    const built = buildProject(snapshot("warehouses/a", yml, files));
    if ("problem" in built) throw new Error(built.problem.message);
    expect(built.project.models.map((m) => [m.file, m.state])).toEqual([
      ["../../shared/sources/shared_stg.sql", "active"],
      ["models/x.sql.skip", "paused"],
    ]);
    const report = analyzeReadiness({ project: built.project, stateDocuments: [], config: DEFAULT_CONFIG });
    expect(report.models.map((m) => [m.name, m.status, m.dependencies.map((d) => `${d.name}:${d.status}`)])).toEqual([["x", "ready", ["shared_stg:available", "raw.users:available", "codes:available"]]]);
    expect(report.problems).toEqual([]);
  });

  it("a paused model in a shared folder is reported, not offered: restoring it would change the other projects too", () => {
    const built = buildProject(snapshot("warehouses/a", yml, { ...files, "shared/sources/y.sql.skip": "select * from {{ ref('shared_stg') }}" }));
    if ("problem" in built) throw new Error(built.problem.message);
    const report = analyzeReadiness({ project: built.project, stateDocuments: [], config: DEFAULT_CONFIG });
    const y = report.models.find((m) => m.name === "y")!;
    expect([y.status, y.reasons]).toEqual([
      "needs-investigation",
      ["in a folder outside the dbt project folder (shared/sources/y.sql.skip), shared with other projects: dbt-unskip does not restore it; rename it by hand"],
    ]);
  });

  it.each([
    ["model-paths", `model-paths: ["models", "../../../elsewhere"]\n`, "../../../elsewhere"],
    ["macro-paths", `macro-paths: ["/etc/macros"]\n`, "/etc/macros"],
    ["seed-paths", `seed-paths: ["../../../../seeds"]\n`, "../../../../seeds"],
    ["snapshot-paths", `snapshot-paths: ["../../../s"]\n`, "../../../s"],
  ])("%s outside the repository: a clear error naming the key", (key, paths, shown) => {
    const built = buildProject(snapshot("warehouses/a", YML(paths), files));
    expect(built).toEqual({
      problem: { kind: "invalid-project", file: "warehouses/a/dbt_project.yml", message: `\`${key}\`: '${shown}' is outside the repository; dbt-unskip reads only folders inside it` },
    });
  });

  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-shared-paths-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("from disk: the shared folders are listed and read; nothing outside the root is", async () => {
    const root = join(scratch, "repo");
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    for (const [path, text] of Object.entries(files)) write(path, text);
    write("warehouses/a/dbt_project.yml", yml);
    write("../outside/leak.sql", "select 1");
    const snap = await readProjectSnapshot(createDiskFileSource(root), "warehouses/a");
    expect([...snap.files.keys()].sort()).toEqual(["shared/macros/pick.sql", "shared/seeds/codes.csv", "shared/sources/raw.yml", "shared/sources/shared_stg.sql", "warehouses/a/models/x.sql.skip"]);
    write("warehouses/a/dbt_project.yml", YML(`model-paths: ["models", "../../../outside"]\n`));
    const outside = await readProjectSnapshot(createDiskFileSource(root), "warehouses/a");
    expect([...outside.files.keys()]).toEqual(["warehouses/a/models/x.sql.skip"]);
    expect(buildProject(outside)).toMatchObject({ problem: { message: expect.stringContaining("`model-paths`: '../../../outside' is outside the repository") } });
  });
});

describe("an absolute --project-dir", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-abs-dir-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const root = join(scratch, "repo");
  mkdirSync(join(root, "dbt"), { recursive: true });
  mkdirSync(join(root, "dbt_old"), { recursive: true });
  symlinkSync(root, join(scratch, "link"));

  it("inside the root works like the relative one; the root itself is `.`", () => {
    expect(projectDirBelowRoot(root, join(root, "dbt"))).toBe("dbt");
    expect(projectDirBelowRoot(root, `${join(root, "dbt")}/`)).toBe("dbt");
    expect(projectDirBelowRoot(root, root)).toBe(".");
    expect(projectDirBelowRoot(root, "dbt")).toBe("dbt"); // relative ones are left as they are
  });
  it("through a symbolic link to the root, too", () => {
    expect(projectDirBelowRoot(join(scratch, "link"), join(root, "dbt_old"))).toBe("dbt_old");
    expect(projectDirBelowRoot(root, join(scratch, "link", "dbt"))).toBe("dbt");
  });
  it("`status --project-dir /abs/root/dbt` gives the report `--project-dir dbt` gives; the root itself is accepted", async () => {
    const run = async (argv: string[]) => {
      let stdout = "";
      const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, stdin: { isTTY: false }, cwd: scratch } as unknown as CliIo;
      const code = await statusCommand.run(["--root", EXAMPLE_DIR, "--json", ...argv], io);
      return { code, stdout };
    };
    const relative = await run(["--project-dir", "dbt"]);
    expect(relative.code).toBe(0);
    expect(await run(["--project-dir", join(EXAMPLE_DIR, "dbt")])).toEqual(relative);
    await expect(run(["--project-dir", EXAMPLE_DIR])).rejects.toThrow(/no dbt_project\.yml here/); // the root: accepted, then read (not a dbt project)
    await expect(run(["--project-dir", dirname(EXAMPLE_DIR)])).rejects.toThrow(/must be a folder inside the repository/);
  });
  it("outside the root: refused, naming the folder", () => {
    expect(() => projectDirBelowRoot(join(root, "dbt"), join(root, "dbt_old"))).toThrow(/--project-dir '.*dbt_old': must be a folder inside the repository/);
    expect(() => projectDirBelowRoot(root, scratch)).toThrow(/must be a folder inside the repository/);
  });
});
