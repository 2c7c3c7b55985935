import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/core/chatOps/parseCommand.js";
import { PLAIN_NAME } from "../../../src/core/plainName.js";

describe("parseCommand: the first line of a comment, names only", () => {
  it.each([
    ["/unskip", { name: "help" }],
    ["/unskip help", { name: "help" }],
    ["/unskip status", { name: "status", dimension: null }],
    ["  /unskip   status   dim_user  \nmore text", { name: "status", dimension: "dim_user" }],
    ["/unskip plan dim_user", { name: "plan", dimension: "dim_user" }],
    ["/unskip verify", { name: "verify" }],
    ["/unskip rollback dim_user\r\n", { name: "rollback", dimension: "dim_user" }],
    ["/unskip restore dim_user", { name: "restore", dimension: "dim_user", models: [] }],
    ["/unskip restore dim_user a b a", { name: "restore", dimension: "dim_user", models: ["a", "b"] }],
  ])("%j", (body, command) => {
    expect(parseCommand(body)).toEqual({ kind: "command", command });
  });

  it.each(["LGTM", "hello\n/unskip restore dim_user", "/unskipped", "> /unskip restore dim_user", "`/unskip restore dim_user`", ""])("not a command: %j", (body) => {
    expect(parseCommand(body)).toEqual({ kind: "none" });
  });

  it.each([
    ["/unskip restore ../x", "`../x` is not a name"],
    ["/unskip restore -f", "`-f` is not a name"],
    ["/unskip restore a;rm -rf /", "`a;rm` is not a name"],
    ["/unskip restore dim_user $(id)", "`$(id)` is not a name"],
    ["/unskip status dim-user", "`dim-user` is not a name"],
    ["/unskip restore", "`/unskip restore` takes a dimension and at most 50 models."],
    ["/unskip plan", "`/unskip plan` takes one dimension."],
    ["/unskip plan a b", "`/unskip plan` takes one dimension."],
    ["/unskip verify dim_user", "`/unskip verify` takes no arguments."],
    ["/unskip status a b", "`/unskip status` takes at most one dimension."],
    ["/unskip deploy prod", "`deploy` is not a command."],
    [
      `/unskip restore d ${Array(51)
        .fill("m")
        .map((m, i) => m + i)
        .join(" ")}`,
      "at most 50 models",
    ],
  ])("refused: %j", (body, message) => {
    const parsed = parseCommand(body);
    expect(parsed.kind).toBe("invalid");
    expect((parsed as { message: string }).message).toContain(message);
  });

  it("whatever the comment, every name that comes out matches ^[A-Za-z0-9_]+$", () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string({ unit: "grapheme-ascii" }), { maxLength: 4 }), (verb, args) => {
        const parsed = parseCommand(`/unskip restore ${[verb, ...args].join(" ")}`);
        if (parsed.kind !== "command" || parsed.command.name !== "restore") return;
        for (const name of [parsed.command.dimension, ...parsed.command.models]) expect(name).toMatch(PLAIN_NAME);
      }),
    );
  });
});
