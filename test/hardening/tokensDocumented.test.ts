import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// RELIABILITY 20, the documentation half (the PR-body note is tested in
// test/integration/syncRestorePullRequests.int.test.ts): the README says that PRs opened with the
// workflow's GITHUB_TOKEN start no workflows, and how to give the Action an App token or a PAT.
// The Action's page (docs/action.md, moved out of the README) says it in full; the README in short.
const readme = readFileSync(join(REPO_ROOT, "docs", "action.md"), "utf8").replace(/\s+/g, " ");

describe("docs/action.md: tokens", () => {
  it("says that restore PRs opened with GITHUB_TOKEN do not start other workflows", () => {
    expect(readme).toMatch(/Pull requests opened with the workflow's own `GITHUB_TOKEN` do not start other workflows/);
    expect(readme).toMatch(/The PR body says so and how to trigger checks by hand/);
  });

  it("names the alternatives, a GitHub App installation token or a PAT, given as `token:`", () => {
    const tokens = /\*\*Tokens\.\*\*(.*?)(?: ##|\*\*[A-Z][a-z]+\.\*\*)/.exec(readme)?.[1] ?? "";
    expect(tokens).toMatch(/GitHub App installation token/);
    expect(tokens).toMatch(/actions\/create-github-app-token/);
    expect(tokens).toMatch(/PAT/);
    expect(tokens).toMatch(/`token:`/);
  });

  it("action.yml takes the token as an input (any token, not only the workflow's)", () => {
    const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as { inputs: Record<string, { description?: string }> };
    expect(Object.keys(action.inputs)).toContain("token");
  });
});
