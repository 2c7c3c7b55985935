import { readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { JOB_SUMMARY_LIMIT_BYTES } from "../../src/core/render/jobSummary.js";
import { createTestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { removeRunnerDirs, runBundledAction } from "../helpers/runBundledAction.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The runner folders runBundledAction made (the outputs name files in them, read after each run).
afterAll(removeRunnerDirs);

// GitHub drops a step's job summary whole when its file is over 1 MiB (the run's page then shows
// nothing, the runner's log a warning). The readiness summary grows with the paused models: on a
// project with thousands of them it must be cut, say so, and still show the verdict.
const PAUSED = 3000;

describe("the bundled Action's job summary on a project whose report is over GitHub's 1 MiB", () => {
  const gh = useStandIn(startGitHubStandIn);

  it("is cut under the limit, says where the rest is, warns in the log, and the report file holds every model", async () => {
    const repo = await createTestRepo();
    try {
      await repo.write("dbt_project.yml", 'name: big\nversion: "1.0"\nprofile: big\n');
      await repo.write("models/landed.sql", "select 1 as id\n");
      const long = "with_a_long_descriptive_name_as_real_projects_have";
      for (let i = 0; i < PAUSED; i++) await repo.write(`models/paused_${i}_${long}.sql.skip`, `select * from {{ ref('upstream_${i}_${long}') }}\n`);
      await repo.commit("thousands of paused models");
      // A dispatch of `status` with no token: the readiness goes to the job summary only.
      const run = await runBundledAction({ workspace: repo.dir, gh, eventName: "workflow_dispatch", payload: workflowDispatchPayload({ command: "status" }), inputs: { command: "status", token: "" } });
      expect({ code: run.code, stderr: run.stderr, errors: run.stdout.split("\n").filter((l) => l.startsWith("::error")) }).toEqual({ code: 0, stderr: "", errors: [] });
      const bytes = Buffer.byteLength(run.summary);
      expect(bytes).toBeGreaterThan(JOB_SUMMARY_LIMIT_BYTES / 2);
      expect(bytes).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT_BYTES);
      expect(run.summary.startsWith("## dbt-unskip: readiness\n")).toBe(true);
      expect(run.summary).toContain(`**${PAUSED}** paused models: **0** ready, **${PAUSED}** blocked`);
      expect(run.summary).toMatch(
        /\n> ✂️ The rest was cut to fit the job summary's size limit \(1 MiB\); the JSON report at the action's `report-path` output holds all of it\. \([\d,]+ bytes, 1,048,576 allowed\.\)\n$/,
      );
      expect(run.stdout).toMatch(/::warning::the job summary \([\d,]+ bytes\) is over GitHub's limit of 1,048,576 bytes: it was cut/);
      const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as { reports: { summary: { paused: number } }[] };
      expect(report.reports[0]!.summary.paused).toBe(PAUSED);
    } finally {
      await repo.cleanup();
    }
  });
});
