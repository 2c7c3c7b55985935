// The one pull request check the Action and the bot both call (src/usecases/checkPullRequest.ts),
// with its ports held in memory: which side the configuration is read from, the sides always
// closed, and the sticky comment written per mode (or not at all when nothing may be written).
import { describe, expect, it } from "vitest";
import { pathListing } from "../../src/adapters/files/pathListing.js";
import { UserError } from "../../src/core/userError.js";
import { checkPullRequest, type CheckPullRequestInput } from "../../src/usecases/checkPullRequest.js";
import type { FileSource } from "../../src/usecases/fileSource.js";
import type { PullRequestSidesPort } from "../../src/usecases/pullRequestSidesPort.js";
import type { StickyCommentPort } from "../../src/usecases/stickyCommentPort.js";
import { PROJECT_YML } from "../helpers/memoryProject.js";

function memorySource(files: Record<string, string>): FileSource {
  return { ...pathListing(Object.keys(files)), read: async (path) => (path in files ? { kind: "text", text: files[path]! } : null) };
}

const BASE = {
  ".github/dbt-unskip.yml": "project-dir: a\n",
  "a/dbt_project.yml": PROJECT_YML,
  "a/models/stg.sql": "select 1",
  "a/models/x.sql.skip": "select * from {{ ref('y') }}",
};
// The PR adds what x needs, and points the configuration at a project that does not exist.
const HEAD = { ...BASE, ".github/dbt-unskip.yml": "project-dir: elsewhere\n", "a/models/y.sql": "select 1" };
const CHANGES = [
  { status: "M" as const, path: ".github/dbt-unskip.yml" },
  { status: "A" as const, path: "a/models/y.sql" },
];

function sides(): PullRequestSidesPort & { opened: number; closed: number } {
  const port = {
    opened: 0,
    closed: 0,
    async open() {
      port.opened++;
      return { base: memorySource(BASE), head: memorySource(HEAD), changes: CHANGES, changesComplete: true, close: () => void port.closed++ };
    },
  };
  return port;
}

function comments(): StickyCommentPort & { calls: { body: string; createIfMissing: boolean }[] } {
  const calls: { body: string; createIfMissing: boolean }[] = [];
  return {
    calls,
    upsert: async (body, { createIfMissing }) => {
      calls.push({ body, createIfMissing });
      return { action: "created", id: 1, url: null };
    },
  };
}

const input = (over: Partial<CheckPullRequestInput>): CheckPullRequestInput => ({
  pullRequest: { baseSha: "a".repeat(40), headSha: "b".repeat(40) },
  sides: sides(),
  config: { side: "base" },
  mode: "changed",
  comments: null,
  jobSummary: false,
  ...over,
});

describe("checkPullRequest: one flow for the Action and the bot", () => {
  it("configuration from the base (the bot): the PR's own configuration change does not apply to its check; x is newly ready", async () => {
    const port = sides();
    const sticky = comments();
    const result = await checkPullRequest(input({ sides: port, comments: sticky }));
    expect(result.config.projectDirs).toEqual(["a"]);
    expect(result.diffs.map((d) => [d.project.dir, d.newlyReady.map((m) => m.name)])).toEqual([["a", ["x"]]]);
    expect(result.changed).toBe(true);
    expect(sticky.calls).toEqual([{ body: result.body, createIfMissing: true }]);
    expect(result.comment).toEqual({ decision: "upsert", result: { action: "created", id: 1, url: null } });
    expect([port.opened, port.closed]).toEqual([1, 1]);
  });

  it("configuration from the head (the Action's checkout): the head's file is read, and a bad one stops the check with the sides closed", async () => {
    const port = sides();
    await expect(checkPullRequest(input({ sides: port, config: { side: "head" } }))).rejects.toThrow(UserError);
    await expect(checkPullRequest(input({ sides: sides(), config: { side: "head" } }))).rejects.toThrow(/elsewhere/);
    expect([port.opened, port.closed]).toEqual([1, 1]);
  });

  it("the entry point's overrides are laid over the side's file", async () => {
    const result = await checkPullRequest(input({ config: { side: "head", overrides: { projectDirs: ["a"] } } }));
    expect(result.diffs.map((d) => d.project.dir)).toEqual(["a"]);
  });

  it("nothing may be written: read-only, the port is not called; mode never: not even looked at", async () => {
    expect((await checkPullRequest(input({ comments: null }))).comment).toEqual({ decision: "read-only" });
    const sticky = comments();
    expect((await checkPullRequest(input({ comments: sticky, mode: "never" }))).comment).toEqual({ decision: "never" });
    expect(sticky.calls).toEqual([]);
  });

  it("a comment cut to GitHub's limit says where the rest is: the job summary where the caller writes one (the Action), `dbt-unskip status` where none is (the bot)", async () => {
    const many: Record<string, string> = { ...BASE };
    for (let i = 0; i < 1000; i++) many[`a/models/paused_model_number_${i}_${"x".repeat(24)}.sql.skip`] = "select * from {{ ref('y') }}";
    const big: PullRequestSidesPort = {
      open: async () => ({ base: memorySource(many), head: memorySource({ ...many, "a/models/y.sql": "select 1" }), changes: [CHANGES[1]!], changesComplete: true, close: () => {} }),
    };
    const bot = await checkPullRequest(input({ sides: big }));
    const action = await checkPullRequest(input({ sides: big, jobSummary: true }));
    for (const result of [bot, action]) expect(result.body.length).toBeLessThanOrEqual(65_536);
    expect(bot.body).toContain("✂️ The rest was cut to fit GitHub's size limit; `dbt-unskip status` on the pull request's branch prints the head's readiness in full.");
    expect(bot.body).not.toContain("job summary");
    expect(action.body).toContain("✂️ The rest was cut to fit GitHub's size limit; the job summary has the full report.");
    // The summary itself is not cut here: it holds every newly ready model.
    expect(action.summary).not.toContain("✂️");
    expect(action.summary).toContain("paused_model_number_999_");
  });

  it("a cause line naming more models than the comment has room for is cut after a whole name, not dropped", async () => {
    const many: Record<string, string> = { ...BASE };
    for (let i = 0; i < 3000; i++) many[`a/models/paused_model_number_${i}_${"x".repeat(24)}.sql.skip`] = "select * from {{ ref('y') }}";
    const big: PullRequestSidesPort = {
      open: async () => ({ base: memorySource(many), head: memorySource({ ...many, "a/models/y.sql": "select 1" }), changes: [CHANGES[1]!], changesComplete: true, close: () => {} }),
    };
    const { body } = await checkPullRequest(input({ sides: big }));
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body).toMatch(/unblocks 3001: `[^\n]*`paused_model_number_\d+_x{24}`, …\n/);
    expect(body.match(/`paused_model_number_/g)!.length).toBeGreaterThan(900);
  });
});
