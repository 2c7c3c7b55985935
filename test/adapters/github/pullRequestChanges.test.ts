import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOctokit } from "../../../src/adapters/github/createOctokit.js";
import { pullRequestChanges } from "../../../src/adapters/github/pullRequestChanges.js";
import { callList, startGitHubStandIn } from "../../helpers/githubStandIn.js";
import { useStandIn } from "../../helpers/useStandIn.js";

const BASE = "a".repeat(40);
const HEAD = "b".repeat(40);
const COMPARE = `/repos/acme/warehouse/compare/${BASE}...${HEAD}`;

describe("pullRequestChanges: git diff --name-status base...head, from the API", () => {
  const gh = useStandIn(startGitHubStandIn);
  const run = () =>
    pullRequestChanges({
      octokit: createOctokit({ token: "t", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() }),
      owner: "acme",
      repo: "warehouse",
      pullNumber: 7,
      baseSha: BASE,
      headSha: HEAD,
    });

  it("maps GitHub's statuses to the Action's (copies count as added), and takes the merge base", async () => {
    gh.expect({
      method: "GET",
      path: COMPARE,
      response: {
        merge_base_commit: { sha: "c".repeat(40) },
        files: [
          { filename: "a.sql", status: "added" },
          { filename: "b.sql", status: "removed" },
          { filename: "c.sql", status: "modified" },
          { filename: "d.sql", status: "renamed", previous_filename: "d.sql.skip" },
          { filename: "e.sql", status: "copied" },
          { filename: "f.sql", status: "changed" },
          { filename: "g.sql", status: "unchanged" },
        ],
      },
    });
    expect(await run()).toEqual({
      mergeBase: "c".repeat(40),
      changes: [
        { status: "A", path: "a.sql" },
        { status: "D", path: "b.sql" },
        { status: "M", path: "c.sql" },
        { status: "R", from: "d.sql.skip", path: "d.sql" },
        { status: "A", path: "e.sql" },
        { status: "M", path: "f.sql" },
      ],
      // Under 300 files the compare API listed every change: the base can be derived from them.
      complete: true,
    });
  });

  it("past the compare API's 300 files, the pull request's own file list is read (paginated)", async () => {
    const files = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ filename: `m/${from + i}.sql`, status: "modified" }));
    const PULL_FILES = "/repos/acme/warehouse/pulls/7/files";
    gh.expect(
      { method: "GET", path: COMPARE, response: { merge_base_commit: { sha: BASE }, files: files(300) } },
      { method: "GET", path: PULL_FILES, query: { per_page: "100" }, response: files(100), headers: { link: `<${gh.url}${PULL_FILES}?per_page=100&page=2>; rel="next"` } },
      { method: "GET", path: PULL_FILES, query: { per_page: "100", page: "2" }, response: files(5, 100) },
    );
    const before = gh.requests.length;
    const { changes, complete } = await run();
    expect(changes).toHaveLength(105);
    expect(complete).toBe(true);
    expect(callList(gh.requests.slice(before))).toHaveLength(3);
  });

  it("at GitHub's 3,000-file cap the list may be cut short, and the answer says so (the caller then reads the whole base)", async () => {
    const files = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ filename: `m/${from + i}.sql`, status: "modified" }));
    const PULL_FILES = "/repos/acme/warehouse/pulls/7/files";
    const page = (p: number) => ({
      method: "GET",
      path: PULL_FILES,
      query: p === 1 ? { per_page: "100" } : ({ per_page: "100", page: String(p) } as Record<string, string>),
      response: files(100, (p - 1) * 100),
      ...(p < 30 ? { headers: { link: `<${gh.url}${PULL_FILES}?per_page=100&page=${p + 1}>; rel="next"` } } : {}),
    });
    gh.expect({ method: "GET", path: COMPARE, response: { merge_base_commit: { sha: BASE }, files: files(300) } }, ...Array.from({ length: 30 }, (_, i) => page(i + 1)));
    const { changes, complete } = await run();
    expect(changes).toHaveLength(3000);
    expect(complete).toBe(false);
  });
});
