import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSavedReport } from "../../src/action/readSavedReport.js";
import { diffReadiness } from "../../src/core/readiness/diffReadiness.js";
import { parseSavedReport, SAVED_REPORT_SCHEMA } from "../../src/core/readiness/savedPullRequestReport.js";
import { reportOf } from "../helpers/memoryProject.js";

function saved() {
  const base = { "models/stg.sql": "select 1", "models/a.sql.skip": "{{ ref('x') }}", "models/c.sql": "{{ ref('gone') }}" };
  const diff = diffReadiness({ base: reportOf(base), head: reportOf({ ...base, "models/x.sql": "select 1" }), changes: [{ status: "A", path: "models/x.sql" }] });
  return { schema: SAVED_REPORT_SCHEMA, pullRequest: { number: 7, baseSha: "a".repeat(40), headSha: "b".repeat(40) }, changed: true, diffs: [diff] };
}

describe("the saved PR report is checked field by field (a fork wrote it)", () => {
  it("what the pull_request run saves passes", () => {
    const report = saved();
    expect(parseSavedReport(JSON.stringify(report))).toEqual({ report });
  });

  it.each([
    ["a PR number that is not digits", (r: any) => (r.pullRequest.number = "7 || curl evil"), "/pullRequest/number must be integer"],
    ["a negative PR number", (r: any) => (r.pullRequest.number = -1), "/pullRequest/number must be >= 1"],
    ["a sha that is a path", (r: any) => (r.pullRequest.headSha = "../../etc/passwd"), '/pullRequest/headSha must match pattern "^[0-9a-f]{40}([0-9a-f]{24})?$"'],
    ["a status that would be printed raw", (r: any) => (r.diffs[0].headModels[0].status = "<img src=x onerror=alert(1)>"), "/diffs/0/headModels/0/status must be equal to one of the allowed values"],
    ["an unknown cause", (r: any) => (r.diffs[0].newlyReady[0].because[0].kind = "pwned"), "/diffs/0/newlyReady/0/because/0/kind must be equal to constant"],
    ["a huge name", (r: any) => (r.diffs[0].newlyReady[0].name = "x".repeat(5000)), "/diffs/0/newlyReady/0/name must NOT have more than 4096 characters"],
    ["another schema", (r: any) => (r.schema = "something-else@9"), "/schema must be equal to constant"],
  ])("refuses %s", (_what, mutate, message) => {
    const report = saved();
    mutate(report);
    expect(parseSavedReport(JSON.stringify(report))).toEqual({ error: `not a dbt-unskip PR report: ${message}` });
  });

  it("refuses what is not JSON", () => {
    expect(parseSavedReport("{")).toMatchObject({ error: expect.stringMatching(/^not JSON: /) });
  });
});

describe("readSavedReport: only inside the runner's temporary folder", () => {
  let root: string;
  let temp: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dbt-unskip-saved-"));
    temp = join(root, "runner-temp");
    await mkdir(join(temp, "artifact"), { recursive: true });
    await writeFile(join(temp, "artifact", "report.json"), JSON.stringify(saved()));
    await writeFile(join(root, "outside.json"), JSON.stringify(saved()));
    await symlink(join(root, "outside.json"), join(temp, "artifact", "link.json"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("reads a report inside it", async () => {
    expect((await readSavedReport(join(temp, "artifact", "report.json"), temp)).pullRequest.number).toBe(7);
  });

  it.each([
    ["a path outside", () => join(root, "outside.json")],
    ["a `..` path that leaves it", () => join(temp, "..", "outside.json")],
    ["a symbolic link inside that points outside", () => join(temp, "artifact", "link.json")],
  ])("refuses %s", async (_what, path) => {
    await expect(readSavedReport(path(), temp)).rejects.toThrow("refused, it is not inside the runner's temporary folder");
  });

  it("refuses a folder and a missing file with a clear message", async () => {
    await expect(readSavedReport(join(temp, "artifact"), temp)).rejects.toThrow("not a regular file");
    await expect(readSavedReport(join(temp, "nope.json"), temp)).rejects.toThrow("ENOENT");
  });
});
