import { describe, expect, it } from "vitest";
import { foreignCommits } from "../../../src/core/restore/foreignCommits.js";
import { COMMIT_TRAILER } from "../../../src/core/restore/restoreOutcome.js";

// RELIABILITY 18: the tool force-pushes a restore branch only while it holds nothing but the tool's
// own single commit; a person's commit, however it is worded, stops it.
const tool = (sha: string) => ({ sha, message: `resume: dim_user migration (3/5 models)\n\nResumed models (1):\n- x.sql\n\n${COMMIT_TRAILER}\n` });

describe("foreignCommits", () => {
  it("the tool's one commit: none foreign", () => {
    expect(foreignCommits([tool("a")])).toEqual([]);
    expect(foreignCommits([])).toEqual([]);
  });

  it("a person's commit on top is foreign, even when it carries the trailer", () => {
    expect(foreignCommits([tool("a"), { sha: "b", message: "fix the model" }])).toEqual(["b"]);
    expect(foreignCommits([tool("a"), tool("b")])).toEqual(["b"]);
  });

  it("a commit that only quotes the trailer in its text is a person's", () => {
    expect(foreignCommits([{ sha: "a", message: `redo what ${COMMIT_TRAILER} did\n\nby hand` }])).toEqual(["a"]);
    expect(foreignCommits([{ sha: "a", message: `${COMMIT_TRAILER}\n\nand my own change` }])).toEqual(["a"]);
  });

  it("the trailer as the last line counts, trailing spaces and CRLF forgiven", () => {
    expect(foreignCommits([{ sha: "a", message: `resume\r\n\r\n${COMMIT_TRAILER}  \r\n\r\n` }])).toEqual([]);
  });
});
