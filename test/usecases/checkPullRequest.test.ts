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
});
