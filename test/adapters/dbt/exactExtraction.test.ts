import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWithPausedDisabled } from "../../../src/adapters/dbt/exactExtraction.js";
import type { DbtProject } from "../../../src/core/project/buildProject.js";
import { flagValue, recordingDbt } from "../../helpers/recordingDbt.js";
import { useTempDir } from "../../helpers/useTempDir.js";

// verify's and exact mode's parse runs in a scratch folder of its own: what dbt writes stays there.
describe("parseWithPausedDisabled", () => {
  const tmp = useTempDir("dbt-unskip-exact-test-");

  it("the project's profiles.yml as the copy holds it; dbt's target and log folders are the scratch folder's, whatever DBT_TARGET_PATH or DBT_LOG_PATH say, and the folder is removed", async () => {
    const fake = await recordingDbt(tmp());
    const projectRoot = join(tmp(), "project");
    await mkdir(projectRoot);
    await writeFile(join(projectRoot, "dbt_project.yml"), "name: p\n");
    await writeFile(join(projectRoot, "profiles.yml"), "p: {}\n");
    const project = { name: "p", projectDir: "", models: [], packages: [], settings: { modelPaths: ["models"] } } as unknown as DbtProject;

    const parsed = await parseWithPausedDisabled({ dbt: { command: fake.command, version: "1.11.0" }, projectRoot, project, timeoutMs: 60_000 }, "verify");

    expect(parsed.renamed.size).toBe(0);
    const [call] = await fake.calls();
    const scratch = dirname(call!.cwd);
    expect(scratch).toMatch(/dbt-unskip-exact-[^/]+$/);
    // The project's own profiles.yml, as the copy holds it.
    expect(flagValue(call!.args, "--profiles-dir")).toBe(call!.cwd);
    expect(flagValue(call!.args, "--target-path")).toBe(join(scratch, "target"));
    expect(flagValue(call!.args, "--log-path")).toBe(join(scratch, "logs"));
    await expect(stat(scratch)).rejects.toThrow(/ENOENT/);
  });
});
