import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { APP_LOGIN, INSTALLATION_TOKEN, permission, reaction, replyOn, REPO_PATH, tarballDownload, useBotOnExample } from "../helpers/botHarness.js";
import { issueCommentPayload, type CommentOptions } from "../helpers/botPayloads.js";
import { callList } from "../helpers/githubStandIn.js";

const COMMENT_ID = 9001;
const DISPATCH = `${REPO_PATH}/actions/workflows/dbt-unskip.yml/dispatches`;
const TOKEN_CALL = `POST /app/installations/42/access_tokens`;
const EYES = `POST ${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`;
const PERMISSION = (login: string) => `GET ${REPO_PATH}/collaborators/${login}/permission`;
const REPLY = `POST ${REPO_PATH}/issues/7/comments`;
const TARBALL = `GET ${REPO_PATH}/tarball/main`;

describe("chat-ops: /unskip commands in issue comments (a real Probot, GitHub at the HTTP layer)", () => {
  const { gh, host, bot, example } = useBotOnExample();
  const made = bot.made;

  const deliver = (options: CommentOptions, id: string = randomUUID()) => bot.receive({ id, name: "issue_comment", payload: issueCommentPayload({ commentId: COMMENT_ID, ...options }) as never });
  const calls = () => callList(made());
  const bodyOf = (call: string) => (made().find((r) => `${r.method} ${r.path}` === call)?.body as { body?: string } | undefined)?.body ?? "";
  const stable = (text: string) => text.replaceAll(example.main.slice(0, 12), "MAIN_SHA");

  describe("who may command", () => {
    it("admin: seen (eyes), allowed, names checked at main, restore dispatched to the Action with the commit it was checked at, rocket, one reply", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "admin"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(
        { method: "POST", path: DISPATCH, status: 204, body: { ref: "main", inputs: { command: "restore", dimension: "dim_user", "expected-sha": example.main } } },
        reaction(COMMENT_ID, "rocket"),
        replyOn(7),
      );
      await deliver({ body: "/unskip restore dim_user\nplease" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), TARBALL, `POST ${DISPATCH}`, EYES, REPLY]);
      expect(host.requests.at(-1)!.path).toBe("/acme/warehouse/legacy.tar.gz/main");
      await expect(stable(bodyOf(REPLY))).toMatchFileSnapshot("__snapshots__/chatops.restore.reply.md");
    });

    it("write (GitHub says `write` for the maintain role too): plan is dispatched with command and dimension only", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("maintainer", "write", "maintain"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect({ method: "POST", path: DISPATCH, status: 204, body: { ref: "main", inputs: { command: "plan", dimension: "dim_contract" } } }, reaction(COMMENT_ID, "rocket"), replyOn(7));
      await deliver({ body: "/unskip plan dim_contract", login: "maintainer" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("maintainer"), TARBALL, `POST ${DISPATCH}`, EYES, REPLY]);
    });

    it.each([
      ["read", "triage"],
      ["read", "read"],
      ["none", "none"],
    ] as const)("%s (role %s): refused with a reply saying why; nothing read, nothing dispatched (4 calls)", async (level, role) => {
      gh.expect(
        INSTALLATION_TOKEN,
        reaction(COMMENT_ID, "eyes"),
        permission("reader", level, role),
        replyOn(7, (text) => text.includes(`@reader has ${level} permission`)),
      );
      await deliver({ body: "/unskip restore dim_user", login: "reader" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("reader"), REPLY]);
      expect(bodyOf(REPLY)).toBe(`@reader, dbt-unskip did nothing: @reader has ${level} permission on acme/warehouse; write permission is needed. Ask someone with write access to the repository.\n`);
    });

    it("a permission lookup that fails (GitHub 502, after the bounded retries) refuses: fail closed", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), {
        method: "GET",
        path: `${REPO_PATH}/collaborators/octocat/permission`,
        status: 502,
        response: { message: "Server Error" },
        times: 4,
      });
      gh.expect(replyOn(7, (text) => text.startsWith("@octocat, dbt-unskip did nothing: GitHub could not say what permission @octocat has")));
      await deliver({ body: "/unskip restore dim_user" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, ...Array(4).fill(PERMISSION("octocat")), REPLY]);
    });

    it("a lookup refused outright (404: not a collaborator) refuses too", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), { method: "GET", path: `${REPO_PATH}/collaborators/stranger/permission`, status: 404, response: { message: "Not Found" } }, replyOn(7));
      await deliver({ body: "/unskip status", login: "stranger" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("stranger"), REPLY]);
    });
  });

  describe("what is ignored without a single request", () => {
    it.each([
      ["a bot's comment", { body: "/unskip restore dim_user", login: "renovate[bot]", userType: "Bot" }],
      ["the app's own comment", { body: "/unskip restore dim_user", login: APP_LOGIN, userType: "Bot" }],
      ["a command below the first line", { body: "Thanks!\n/unskip restore dim_user" }],
      ["a look-alike word", { body: "/unskipped restore dim_user" }],
      ["an ordinary comment", { body: "LGTM" }],
    ] as [string, CommentOptions][])("%s: 0 requests", async (_what, options) => {
      await deliver(options);
      expect(made()).toEqual([]);
    });

    it("an edited comment (issue_comment.edited): 0 requests, even with a command on its first line", async () => {
      await bot.receive({ id: randomUUID(), name: "issue_comment", payload: issueCommentPayload({ body: "/unskip restore dim_user", action: "edited" }) as never });
      expect(made()).toEqual([]);
    });

    it("a duplicate delivery (same X-GitHub-Delivery id) is handled once: 7 calls and one download for two deliveries", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "admin"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect({ method: "POST", path: DISPATCH, status: 204 }, reaction(COMMENT_ID, "rocket"), replyOn(7));
      const id = randomUUID();
      await deliver({ body: "/unskip restore dim_user" }, id);
      const afterFirst = made().length;
      await deliver({ body: "/unskip restore dim_user" }, id);
      expect(afterFirst).toBe(7);
      expect(made()).toHaveLength(7);
      expect(calls().filter((c) => c === `POST ${DISPATCH}`)).toHaveLength(1);
    });
  });

  describe("arguments are names, checked against the project", () => {
    it.each(["../x", "-f", "a;rm", "$(id)", "dim_user`"])("`/unskip restore %s` is refused as not a name before anything is read (token, eyes, permission, reply)", async (argument) => {
      gh.expect(
        INSTALLATION_TOKEN,
        reaction(COMMENT_ID, "eyes"),
        permission("octocat", "write"),
        replyOn(7, (text) => text.includes("is not a name")),
      );
      await deliver({ body: `/unskip restore ${argument}` });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), REPLY]);
    });

    it("`/unskip restore a;rm -rf /`: the first bad word is named, the rest never runs anywhere", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"), replyOn(7));
      await deliver({ body: "/unskip restore a;rm -rf /" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), REPLY]);
      expect(bodyOf(REPLY)).toContain("`a;rm` is not a name");
      expect(calls()).not.toContain(`POST ${DISPATCH}`);
    });

    it("an unknown model: the reply lists the dimension's paused models; nothing is dispatched", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(replyOn(7));
      await deliver({ body: "/unskip restore dim_user no_such_model" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), TARBALL, REPLY]);
      expect(bodyOf(REPLY)).toBe(
        "@octocat, `no_such_model` is not a paused model of `dim_user`. Its paused models: `d_user`, `f_signups_by_channel`, `f_user_activity`, `mas_user_addresses`, `mas_user_contracts`.\n",
      );
    });

    it("an unknown dimension: the reply lists the known ones", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(replyOn(7));
      await deliver({ body: "/unskip plan dim_nope" });
      expect(bodyOf(REPLY)).toBe("@octocat, there is no dimension `dim_nope` in this repository. Known dimensions: `dim_account`, `dim_contract`, `dim_product`, `dim_user`.\n");
    });

    it("a model that is not ready: the reply says what blocks it and what is ready", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(replyOn(7));
      await deliver({ body: "/unskip restore dim_user d_user" });
      expect(bodyOf(REPLY)).toBe("@octocat, `d_user` is not ready (blocked by `mas_contracts`). Ready in `dim_user`: `f_user_activity`.\n");
    });

    it("named ready models travel in the `models` input", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(
        { method: "POST", path: DISPATCH, status: 204, body: { ref: "main", inputs: { command: "restore", dimension: "dim_user", models: "f_user_activity", "expected-sha": example.main } } },
        reaction(COMMENT_ID, "rocket"),
        replyOn(7),
      );
      await deliver({ body: "/unskip restore dim_user f_user_activity", onPullRequest: true });
      expect(calls()).toContain(`POST ${DISPATCH}`);
    });
  });

  describe("pause", () => {
    it("`/unskip pause <dim> <models>` from a PR comment: permission checked, dispatched to the Action (`command: pause`) with the models and the commit the names were checked at", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(
        { method: "POST", path: DISPATCH, status: 204, body: { ref: "main", inputs: { command: "pause", dimension: "dim_product", models: "f_transactions", "expected-sha": example.main } } },
        reaction(COMMENT_ID, "rocket"),
        replyOn(7),
      );
      await deliver({ body: "/unskip pause dim_product f_transactions", onPullRequest: true });
      expect(calls()).toContain(`POST ${DISPATCH}`);
      expect(bodyOf(REPLY)).toContain("asked the Action to **pause** `dim_product` (only `f_transactions`)");
    });

    it("without write permission: refused, nothing dispatched", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("reader", "read"), replyOn(7));
      await deliver({ body: "/unskip pause dim_user d_user", login: "reader" });
      expect(calls()).not.toContain(`POST ${DISPATCH}`);
    });

    it("a model that is paused already: refused with where it is, nothing dispatched", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(replyOn(7));
      await deliver({ body: "/unskip pause dim_user d_user" });
      expect(calls()).not.toContain(`POST ${DISPATCH}`);
      expect(bodyOf(REPLY)).toBe("@octocat, `d_user` is paused already (`transform/gold/d_user.sql.skip`); `/unskip pause` pauses active models.\n");
    });
  });

  describe("the other commands", () => {
    it("help: answered without reading the repository", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"), replyOn(7));
      await deliver({ body: "/unskip help" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), REPLY]);
      await expect(bodyOf(REPLY)).toMatchFileSnapshot("__snapshots__/chatops.help.reply.md");
    });

    it("a reaction GitHub refuses (403) does not stop the command", async () => {
      gh.expect(
        INSTALLATION_TOKEN,
        { method: "POST", path: `${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, status: 403, response: { message: "Resource not accessible by integration" } },
        permission("octocat", "write"),
        replyOn(7),
      );
      await deliver({ body: "/unskip help" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), REPLY]);
    });

    it("status <dimension>: answered from the archive of main (no dispatch, no rocket)", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect(replyOn(7));
      await deliver({ body: "/unskip status dim_user" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), TARBALL, REPLY]);
      await expect(stable(bodyOf(REPLY))).toMatchFileSnapshot("__snapshots__/chatops.status.reply.md");
    });

    it("verify is dispatched with the command alone (the bot runs no dbt); the reply says the Action answers in its run", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect({ method: "POST", path: DISPATCH, status: 204, body: { ref: "main", inputs: { command: "verify" } } }, reaction(COMMENT_ID, "rocket"), replyOn(7));
      await deliver({ body: "/unskip verify" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), TARBALL, `POST ${DISPATCH}`, EYES, REPLY]);
      const dispatched = made().find((r) => `${r.method} ${r.path}` === `POST ${DISPATCH}`)!.body as { inputs: Record<string, string> };
      expect(dispatched.inputs).toEqual({ command: "verify" });
      expect(bodyOf(REPLY)).toContain("asked the Action to **verify**: started the workflow `dbt-unskip.yml` on `main`");
    });

    it("rollback is dispatched; a workflow GitHub does not know (404) is explained, with no rocket", async () => {
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "admin"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect({ method: "POST", path: DISPATCH, status: 404, response: { message: "Not Found" } }, replyOn(7));
      await deliver({ body: "/unskip rollback dim_user" });
      expect(calls()).toEqual([TOKEN_CALL, EYES, PERMISSION("octocat"), TARBALL, `POST ${DISPATCH}`, REPLY]);
      expect(bodyOf(REPLY)).toContain("there is no workflow `.github/workflows/dbt-unskip.yml` on `main`");
    });

    it("the workflow file is configurable (UNSKIP_WORKFLOW)", async () => {
      await bot.restart({ workflow: "unskip-restore.yml" });
      gh.expect(INSTALLATION_TOKEN, reaction(COMMENT_ID, "eyes"), permission("octocat", "admin"));
      tarballDownload(gh, host, "main", example.archive);
      gh.expect({ method: "POST", path: `${REPO_PATH}/actions/workflows/unskip-restore.yml/dispatches`, status: 204 }, reaction(COMMENT_ID, "rocket"), replyOn(7));
      await deliver({ body: "/unskip rollback dim_user" });
      expect(bodyOf(REPLY)).toContain("https://github.com/acme/warehouse/actions/workflows/unskip-restore.yml");
    });
  });
});
