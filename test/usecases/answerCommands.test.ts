import { describe, expect, it } from "vitest";
import { renderFailure, renderRefused, renderRejected, renderStatusReply } from "../../src/core/chatOps/renderReplies.js";
import { UserError } from "../../src/core/userError.js";
import { answerCommands, type ChatOpsPorts } from "../../src/usecases/answerCommands.js";
import { report } from "../core/chatOps/chatOpsFixture.js";

// The chat-ops flow over stand-in ports: what is asked of GitHub, in which order, and the one reply.
// The bot's adapters over a real HTTP stand-in are covered by test/bot/chatOps.test.ts and dashboardEdited.test.ts.
const COMMIT = "c".repeat(40);
/** A failure the ports know how to word (the bot's is GitHubApiError). */
class GitHubSaid extends Error {}

function ports(overrides: Partial<ChatOpsPorts> = {}) {
  const calls: string[] = [];
  const replies: string[] = [];
  const stand: ChatOpsPorts = {
    writePermission: async () => {
      calls.push("permission");
      return { allowed: true };
    },
    readiness: async () => {
      calls.push("readiness");
      return { reports: [report], commit: COMMIT };
    },
    dispatch: async (command, commit) => {
      calls.push(`dispatch ${command.name} at ${commit}`);
      return { ok: true, reply: `dispatched ${command.name}` };
    },
    reply: async (body) => {
      calls.push("reply");
      replies.push(body);
    },
    failureMessage: (error) => (error instanceof GitHubSaid ? `GitHub said: ${error.message}` : null),
    ...overrides,
  };
  return { stand, calls, replies };
}
const base = { login: "octo", defaultBranch: "main", failureSubject: "`/unskip restore`", log: { info() {} } };

describe("answerCommands", () => {
  it("refused: one reply saying why, and nothing read, dispatched or cleared", async () => {
    const { stand, calls, replies } = ports({ writePermission: async () => ({ allowed: false, reason: "@octo has read permission" }) });
    let cleared = false;
    await answerCommands({ ...base, asked: [{ name: "restore", dimension: "dim_user", models: [] }], ports: stand, onAllowed: async () => (cleared = true) });
    expect(calls).toEqual(["reply"]);
    expect(replies).toEqual([renderRefused("octo", "@octo has read permission")]);
    expect(cleared).toBe(false);
  });

  it("allowed: the project read once for every command, each answered in order, dispatch at the commit read; cleared before the one reply", async () => {
    const { stand, calls, replies } = ports();
    await answerCommands({
      ...base,
      asked: [
        { name: "status", dimension: null },
        { name: "restore", dimension: "dim_user", models: ["b"] },
        { name: "restore", dimension: "dim_user", models: [] },
      ],
      ports: stand,
      onDispatched: async () => calls.push("rocket"),
      onAllowed: async () => calls.push("cleared"),
    });
    expect(calls).toEqual(["permission", "readiness", `dispatch restore at ${COMMIT}`, "rocket", "cleared", "reply"]);
    expect(replies).toEqual([
      [renderStatusReply("octo", [report], { ref: "main", commit: COMMIT }), renderRejected("octo", "`b` is not ready (blocked by `mas_contracts`). Ready in `dim_user`: `a`."), "dispatched restore"].join("\n"),
    ]);
  });

  it("an answer that needs no project (help): no read", async () => {
    const { stand, calls, replies } = ports();
    await answerCommands({ ...base, asked: { answer: "help text" }, ports: stand });
    expect(calls).toEqual(["permission", "reply"]);
    expect(replies).toEqual(["help text"]);
  });

  it("a project that cannot be read: said where it was asked, naming what was asked", async () => {
    const { stand, replies } = ports({
      readiness: async () => {
        throw new UserError("dbt_project.yml: not valid YAML");
      },
    });
    await answerCommands({ ...base, asked: [{ name: "restore", dimension: "dim_user", models: [] }], ports: stand });
    expect(replies).toEqual([renderFailure("octo", "`/unskip restore`", "dbt_project.yml: not valid YAML")]);
  });

  it("a failure the ports word (GitHub refusing the dispatch): said where it was asked, in the ports' words", async () => {
    const { stand, replies } = ports({
      dispatch: async () => {
        throw new GitHubSaid("403 Resource not accessible by integration");
      },
    });
    await answerCommands({ ...base, asked: [{ name: "restore", dimension: "dim_user", models: [] }], ports: stand });
    expect(replies).toEqual([renderFailure("octo", "`/unskip restore`", "GitHub said: 403 Resource not accessible by integration")]);
  });

  it("an unexpected error is not turned into a reply", async () => {
    const { stand, replies } = ports({
      readiness: async () => {
        throw new TypeError("bug");
      },
    });
    await expect(answerCommands({ ...base, asked: [{ name: "status", dimension: null }], ports: stand })).rejects.toThrow("bug");
    expect(replies).toEqual([]);
  });
});
