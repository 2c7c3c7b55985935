import { mkdir, mkdtemp, readFile, rm, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseSavedReport } from "../../src/core/readiness/savedPullRequestReport.js";
import { startGitHubStandIn, type GitHubStandIn } from "../helpers/githubStandIn.js";
import { copyTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { createPullRequestRepo, type PullRequestRepo } from "../helpers/pullRequestRepo.js";
import { OWNER, pullRequestPayload, REPO } from "../helpers/pullRequestPayload.js";
import { completeWebhook } from "../helpers/githubContract.js";
import { runBundledAction, type BundledRun } from "../helpers/runBundledAction.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";
import { workflowRunPayload } from "../helpers/workflowRunPayload.js";

// The committed bundle, run as the runner runs it (test/helpers/runBundledAction.ts): `node
// dist/index.js`, inputs and context in the environment, GitHub at GITHUB_API_URL (the stand-in).
const COMMENTS = `/repos/${OWNER}/${REPO}/issues/7/comments`;
const TOKEN = "ghs_e2eTokenThatMustNotLeak";
const BOT = { login: "github-actions[bot]", type: "Bot" };

describe("the bundled Action on pull_request (dist/index.js against a GitHub stand-in)", () => {
  let pr: PullRequestRepo;
  let gh: GitHubStandIn;
  let scratch: string;
  // Two runs that several tests read, made once here so that each test stands alone: the run on the
  // opened PR (its comment is what a rerun finds and what workflow_run must post again) and a fork's
  // run (its saved report is what workflow_run reads). No test reads what another test did.
  let opened: BundledRun;
  let commentBody = "";
  let fork: BundledRun;
  let forkReport = "";
  beforeAll(async () => {
    [pr, gh, scratch] = await Promise.all([createPullRequestRepo(), startGitHubStandIn(), mkdtemp(join(tmpdir(), "dbt-unskip-runner-"))]);
    await pr.checkout(pr.head);
    gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 301, html_url: "https://github.com/acme/warehouse/pull/7#issuecomment-301" } });
    opened = await runAction("pull_request", pullRequestPayload({ action: "opened", baseSha: pr.base, headSha: pr.head }));
    gh.assertDone();
    commentBody = (opened.requests[1]?.body as { body?: string } | undefined)?.body ?? "";
    fork = await runAction("pull_request", pullRequestPayload({ action: "opened", baseSha: pr.base, headSha: pr.head, forkOwner: "stranger" }));
    gh.assertDone();
    forkReport = fork.outputs["report-path"] ?? "";
  });
  // A test that changes the repository (a commit, another checkout) does it in its own copy; the
  // shared one stays at the PR's head for every other test.
  const copies: TestRepo[] = [];
  afterEach(async () => {
    for (const copy of copies.splice(0)) await copy.cleanup();
    gh.assertDone();
  });
  afterAll(async () => {
    await gh.close();
    await pr.repo.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  let runCount = 0;
  // The shared runner, in a numbered folder under scratch: the saved-report tests place their file
  // in the next run's RUNNER_TEMP before it starts.
  function runAction(eventName: string, payload: unknown, inputs: Record<string, string> = {}, workspace = pr.repo.dir): Promise<BundledRun> {
    return runBundledAction({ workspace, gh, eventName, payload, inputs: { token: TOKEN, ...inputs }, runnerDir: join(scratch, `run-${++runCount}`) });
  }
  /** This test's own copy of the repository (the clone and its remote), checked out at `sha`. */
  async function ownCopy(sha: string): Promise<TestRepo> {
    const copy = await copyTestRepo(pr.repo);
    copies.push(copy);
    await copy.git("checkout", "-q", "--detach", sha);
    return copy;
  }

  it("opened: comments once, sets the outputs, writes the summary, annotates the files", async () => {
    const result = opened;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([`GET ${COMMENTS}?per_page=100&page=1`, `POST ${COMMENTS}`]);
    expect(result.requests.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
    const stable = commentBody.replaceAll(pr.base.slice(0, 7), "BASE").replaceAll(pr.head.slice(0, 7), "HEAD");
    // What ships posts exactly what the in-process test pinned.
    expect(stable).toBe(await readFile(join(REPO_ROOT, "test/integration/__snapshots__/pull_request.comment.md"), "utf8"));

    expect(result.outputs["ready-count"]).toBe("7");
    expect(result.outputs["blocked-count"]).toBe("2");
    expect(result.outputs["comment-action"]).toBe("created");
    expect(JSON.parse(result.outputs["newly-ready"]!)).toEqual([
      { project: "dbt", name: "d_account", file: "dbt/transform/gold/account/d_account.sql.skip", dimension: "dim_account" },
      { project: "dbt", name: "f_contract_revenue", file: "dbt/transform/gold/f_contract_revenue.sql.skip", dimension: "dim_contract" },
      { project: "dbt", name: "mas_user_contracts", file: "dbt/transform/silver/master/mas_user_contracts.sql.skip", dimension: "dim_user" },
      { project: "dbt", name: "d_user", file: "dbt/transform/gold/d_user.sql.skip", dimension: "dim_user" },
    ]);
    expect(JSON.parse(result.outputs["ready-models"]!)).toHaveLength(7);
    const reportPath = result.outputs["report-path"]!;
    expect(reportPath).toMatch(/runner-temp\/dbt-unskip\/pull-request-readiness\.json$/);
    expect(parseSavedReport(await readFile(reportPath, "utf8"))).toHaveProperty("report.pullRequest", { number: 7, baseSha: pr.base, headSha: pr.head });

    expect(result.summary).toContain("### dbt-unskip: This PR makes 4 paused models ready");
    expect(result.stdout).toContain(
      "::notice title=dbt-unskip%3A ready to restore,file=dbt/transform/gold/d_user.sql.skip,line=1::Paused model 'd_user' is ready to restore (restore after mas_user_contracts): rename it back to .sql.",
    );
    // The text report (names from the repository) is logged with workflow commands switched off.
    const fence = /::stop-commands::([0-9a-f]{32})\n[\s\S]*RESTART READINESS[\s\S]*\n::\1::\n/.exec(result.stdout);
    expect(fence).not.toBeNull();
    // The token is only ever printed to be masked.
    expect(result.stdout.split("\n").filter((line) => line.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
  });

  it("rerun on the same commit: 2 calls, no write", async () => {
    gh.expect(
      { method: "GET", path: COMMENTS, response: [{ id: 301, body: commentBody, user: BOT, html_url: "https://github.com/acme/warehouse/u" }] },
      { method: "POST", path: "/graphql", response: { data: { viewer: { login: "github-actions[bot]" } } } },
    );
    const result = await runAction("pull_request", pullRequestPayload({ action: "synchronize", baseSha: pr.base, headSha: pr.head }));
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([`GET ${COMMENTS}?per_page=100&page=1`, "POST /graphql"]);
    expect(result.outputs["comment-action"]).toBe("unchanged");
  });

  it("an active model that refs a paused one: an error annotation with file and line", async () => {
    const repo = await ownCopy(pr.head);
    await repo.write("dbt/transform/gold/f_uses_paused.sql", "select *\nfrom {{ ref('d_user') }}\n");
    const broken = await repo.commit("An active model that needs a paused one");
    gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 302 } });
    const result = await runAction("pull_request", pullRequestPayload({ action: "synchronize", baseSha: pr.base, headSha: broken }), {}, repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "::error title=dbt-unskip%3A active model refs a paused model,file=dbt/transform/gold/f_uses_paused.sql,line=2::active model 'f_uses_paused' depends on 'd_user', which is paused: dbt parse fails until it is restored",
    );
    expect((result.requests[1]!.body as { body: string }).body).toContain("breaks 1 active model");
  });

  it("repository text that carries workflow commands is printed inside the fence, never obeyed", async () => {
    const repo = await ownCopy(pr.head);
    // A ref name with escaped line breaks becomes a dependency name with real ones, printed in the text report.
    await repo.write("dbt/transform/gold/f_hostile.sql.skip", "select * from {{ ref('x\\n::add-mask::select\\n::error::pwned') }}\n");
    const hostileCommit = await repo.commit("A paused model with a hostile ref");
    gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 304 } });
    const result = await runAction("pull_request", pullRequestPayload({ action: "synchronize", baseSha: pr.base, headSha: hostileCommit }), {}, repo.dir);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const start = lines.findIndex((l) => l.startsWith("::stop-commands::"));
    const end = lines.indexOf(`::${lines[start]!.slice("::stop-commands::".length)}::`);
    const hostile = lines.flatMap((l, i) => (/^::(add-mask::select|error::pwned)/.test(l) ? [i] : []));
    expect(hostile.length).toBeGreaterThanOrEqual(2);
    for (const i of hostile) expect(i > start && i < end).toBe(true);
    // In the comment the name is one code span: the line breaks are spaces.
    expect((result.requests[1]!.body as { body: string }).body).toContain("| `f_hostile` | — | blocked | `x ::add-mask::select ::error::pwned` |");
  });

  it("a fork PR: no request at all; the report goes to the summary and the report file", async () => {
    const result = fork;
    expect(result.code).toBe(0);
    expect(result.requests).toEqual([]);
    expect(result.outputs["comment-action"]).toBe("skipped");
    expect(result.summary).toContain("**Not posted:** `the pull request comes from a fork (stranger/warehouse)`");
    expect(result.summary).toContain("This PR makes 4 paused models ready");
  });

  it("workflow_run posts the fork's saved report on the PR whose head is that commit", async () => {
    const payload = workflowRunPayload({ headSha: pr.head, headRepository: "stranger/warehouse" });
    const artifactDir = join(scratch, `run-${runCount + 1}`, "runner-temp", "artifact");
    await mkdir(artifactDir, { recursive: true });
    await copyFile(forkReport, join(artifactDir, "pull-request-readiness.json"));
    gh.expect(
      { method: "GET", path: `/repos/${OWNER}/${REPO}/pulls/7`, response: { number: 7, state: "open", head: { sha: pr.head }, base: { repo: { full_name: `${OWNER}/${REPO}` } } } },
      { method: "GET", path: COMMENTS, response: [] },
      { method: "POST", path: COMMENTS, status: 201, body: { body: commentBody }, response: { id: 303 } },
    );
    const result = await runAction("workflow_run", payload, { "saved-report": join(artifactDir, "pull-request-readiness.json") });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs["comment-action"]).toBe("created");
  });

  it("workflow_run refuses a saved report outside the runner's temporary folder, before any request", async () => {
    const outside = join(scratch, "outside.json");
    await copyFile(forkReport, outside);
    const result = await runAction("workflow_run", workflowRunPayload({ headSha: pr.head, headRepository: "stranger/warehouse" }), { "saved-report": outside });
    expect(result.code).toBe(1);
    expect(result.requests).toEqual([]);
    expect(result.stdout).toMatch(/::error::saved report .*outside\.json: refused, it is not inside the runner's temporary folder/);
  });

  it("workflow_run does not post a report for another commit than the run's head_sha", async () => {
    const dir = join(scratch, `run-${runCount + 1}`, "runner-temp");
    await mkdir(dir, { recursive: true });
    const saved = JSON.parse(await readFile(forkReport, "utf8"));
    saved.pullRequest.headSha = pr.head2;
    await writeFile(join(dir, "r.json"), JSON.stringify(saved));
    const result = await runAction("workflow_run", workflowRunPayload({ headSha: pr.head, headRepository: "stranger/warehouse" }), { "saved-report": join(dir, "r.json") });
    expect(result.code).toBe(0);
    expect(result.requests).toEqual([]);
    expect(result.outputs["comment-action"]).toBe("skipped");
  });

  it("any other event keeps the readiness report: outputs, report file, summary, no request", async () => {
    const repo = await ownCopy(pr.base);
    // A release as GitHub sends it (what GitHub's description requires, neutral values): the Action only reads the event name.
    const result = await runAction("release", completeWebhook("release", { action: "published" }), {}, repo.dir);
    expect(result.code).toBe(0);
    expect(result.requests).toEqual([]);
    expect(result.outputs["ready-count"]).toBe("3");
    expect(result.outputs["blocked-count"]).toBe("6");
    expect(JSON.parse(await readFile(result.outputs["report-path"]!, "utf8")).schema).toBe("dbt-unskip/status@1");
    expect(result.summary).toContain("## dbt-unskip: readiness\n\n> [!TIP]\n> **3 paused models ready**");
  });

  it("pull_request.labeled changes no file: nothing happens", async () => {
    const result = await runAction("pull_request", pullRequestPayload({ action: "labeled", baseSha: pr.base, headSha: pr.head }));
    expect(result.code).toBe(0);
    expect(result.requests).toEqual([]);
    expect(result.stdout).toContain("pull_request.labeled changes no file");
  });
});
