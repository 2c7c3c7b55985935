import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startArchiveHost } from "../helpers/archiveHost.js";
import { exampleOnMain, INSTALLATION_TOKEN, permission, PRIVATE_KEY, reaction, replyOn, tarballDownload } from "../helpers/botHarness.js";
import { issueCommentPayload } from "../helpers/botPayloads.js";
import { BOT_WEBHOOK_SECRET, botProcessEnvironment, signWebhook, startBotProcess, stopBotProcess } from "../helpers/botProcess.js";
import { callList, startGitHubStandIn } from "../helpers/githubStandIn.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The committed bundle, started as the docs say (`node dist/bot.js`, settings in the environment),
// answering webhooks over HTTP on localhost; GitHub's API is the stand-in.

describe("the bundled bot (dist/bot.js) over HTTP", () => {
  const gh = useStandIn(startGitHubStandIn);
  let child: ChildProcess;
  let url = "";
  let scratch = "";

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "dbt-unskip-bot-"));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));
  // A bot process per test: what one test leaves in it (the installation token it cached, the
  // deliveries it saw) is never what another test finds. Started in an empty folder, so no
  // developer's `.env` is read; only what a host would set.
  beforeEach(async () => {
    ({ child, url } = await startBotProcess(scratch, { ...botProcessEnvironment(gh.url), LOG_LEVEL: "info" }));
  });
  afterEach(() => stopBotProcess(child));

  const post = (body: string, headers: Record<string, string>) => fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "issue_comment", ...headers } });
  const helpComment = () => JSON.stringify(issueCommentPayload({ body: "/unskip help", commentId: 9001 }));

  it("a signed delivery is verified and answered: token, eyes, permission, reply (4 API calls), HTTP 200", async () => {
    gh.expect(
      INSTALLATION_TOKEN,
      reaction(9001, "eyes"),
      permission("octocat", "write"),
      replyOn(7, (text) => text.startsWith("@octocat, dbt-unskip understands")),
    );
    const body = helpComment();
    const id = randomUUID();
    const start = gh.requests.length; // the stand-in is the file's: this test's requests are those after it
    const response = await post(body, { "x-github-delivery": id, "x-hub-signature-256": signWebhook(body) });
    expect(response.status).toBe(200);
    const requests = gh.requests.slice(start);
    expect(callList(requests)).toEqual([
      "POST /app/installations/42/access_tokens",
      "POST /repos/acme/warehouse/issues/comments/9001/reactions",
      "GET /repos/acme/warehouse/collaborators/octocat/permission",
      "POST /repos/acme/warehouse/issues/7/comments",
    ]);
    // The token reached GitHub as an installation token, from a JWT the bot signed with its key.
    expect(requests[0]!.headers.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(requests[1]!.headers.authorization).toBe("token ghs_installation_token");

    // The same delivery again (GitHub retrying): accepted, nothing done.
    const before = gh.requests.length;
    expect((await post(body, { "x-github-delivery": id, "x-hub-signature-256": signWebhook(body) })).status).toBe(200);
    expect(gh.requests.length).toBe(before);
  });

  it("`/unskip status` reads the repository as one archive through the redirect, in the bundle too", async () => {
    const { repo, main, archive } = await exampleOnMain();
    const host = await startArchiveHost();
    try {
      gh.expect(INSTALLATION_TOKEN, reaction(9002, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", archive);
      gh.expect(replyOn(7, (text) => text.startsWith(`@octocat, readiness at \`main\` (\`${main.slice(0, 12)}\`)`) && text.includes("| `dim_user` | 6/11 | 1 | 4 | 0 |")));
      const body = JSON.stringify(issueCommentPayload({ body: "/unskip status", commentId: 9002 }));
      const response = await post(body, { "x-github-delivery": randomUUID(), "x-hub-signature-256": signWebhook(body) });
      expect(response.status).toBe(200);
      host.assertDone();
    } finally {
      await host.close();
      await repo.cleanup();
    }
  });

  // Every chat-ops command through the bundle (help and status above): each dispatch is checked by
  // the stand-in against GitHub's description of actions/create-workflow-dispatch.
  it.each([
    ["restore dim_user", { command: "restore", dimension: "dim_user" }, true],
    ["plan dim_contract", { command: "plan", dimension: "dim_contract" }, false],
    ["rollback dim_user", { command: "rollback", dimension: "dim_user" }, false],
  ] as const)("`/unskip %s` is dispatched to the Action's workflow: eyes, permission, archive, dispatch, rocket, reply", async (command, inputs, withSha) => {
    const { repo, main, archive } = await exampleOnMain();
    const host = await startArchiveHost();
    const commentId = 9100 + command.length;
    try {
      gh.expect(INSTALLATION_TOKEN, reaction(commentId, "eyes"), permission("octocat", "admin"));
      tarballDownload(gh, host, "main", archive);
      gh.expect(
        { method: "POST", path: "/repos/acme/warehouse/actions/workflows/dbt-unskip.yml/dispatches", status: 204, body: { ref: "main", inputs: withSha ? { ...inputs, "expected-sha": main } : inputs } },
        reaction(commentId, "rocket"),
        replyOn(7),
      );
      const body = JSON.stringify(issueCommentPayload({ body: `/unskip ${command}`, commentId }));
      const response = await post(body, { "x-github-delivery": randomUUID(), "x-hub-signature-256": signWebhook(body) });
      expect(response.status).toBe(200);
      host.assertDone();
    } finally {
      await host.close();
      await repo.cleanup();
    }
  });

  it("an unsigned delivery is refused with 400, and so are a wrongly signed and a tampered one; none reaches GitHub", async () => {
    const body = helpComment();
    const before = gh.requests.length;
    const unsigned = await post(body, { "x-github-delivery": randomUUID() });
    expect(unsigned.status).toBe(400);
    const forged = await post(body, { "x-github-delivery": randomUUID(), "x-hub-signature-256": signWebhook(body, "not-the-secret") });
    expect(forged.status).toBe(400);
    const tampered = await post(body.replace("/unskip help", "/unskip restore dim_user"), { "x-github-delivery": randomUUID(), "x-hub-signature-256": signWebhook(body) });
    expect(tampered.status).toBe(400);
    expect(gh.requests.length).toBe(before);
  });

  it("settings can come from a `.env` file in the folder it starts in (LOG_FORMAT=json, PRIVATE_KEY_PATH)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "dbt-unskip-bot-env-"));
    try {
      await writeFile(join(folder, "app.pem"), PRIVATE_KEY);
      await writeFile(join(folder, ".env"), `APP_ID=1234\nPRIVATE_KEY_PATH=${join(folder, "app.pem")}\nWEBHOOK_SECRET=${BOT_WEBHOOK_SECRET}\nPORT=0\nHOST=127.0.0.1\nGITHUB_API_URL=${gh.url}\nLOG_FORMAT=json\n`);
      const started = await startBotProcess(folder, {});
      try {
        expect((await fetch(started.url.replace("/api/github/webhooks", "/healthz"))).status).toBe(200);
      } finally {
        await stopBotProcess(started.child);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("anything but the webhook path is 404; /healthz answers for a load balancer", async () => {
    expect((await fetch(url.replace("/api/github/webhooks", "/nope"))).status).toBe(404);
    expect(await (await fetch(url.replace("/api/github/webhooks", "/healthz"))).text()).toBe("ok\n");
  });
});
