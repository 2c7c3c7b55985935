import { describe, expect, it } from "vitest";
import { expectedCommitRefusal } from "../../src/action/expectedCommit.js";

const head = "a".repeat(40);
const other = "b".repeat(40);

describe("a dispatched command runs only on the commit it was asked on", () => {
  it("no expected commit, or the same one: goes on", () => {
    expect(expectedCommitRefusal({ head, expected: undefined, consequence: "ask again" })).toBeNull();
    expect(expectedCommitRefusal({ head, expected: "", consequence: "ask again" })).toBeNull();
    expect(expectedCommitRefusal({ head, expected: head, consequence: "nothing ran" })).toBeNull();
  });

  it("the branch moved: refused with both commits shortened, and what it means for this command", () => {
    expect(expectedCommitRefusal({ head, expected: other, consequence: "ask again" })).toBe(
      `the checkout is at ${"a".repeat(12)}, not ${"b".repeat(12)} as the command expected: the branch moved since it was asked; ask again`,
    );
    expect(expectedCommitRefusal({ head, expected: other, consequence: "nothing ran" })).toBe(
      `the checkout is at ${"a".repeat(12)}, not ${"b".repeat(12)} as the command expected: the branch moved since it was asked; nothing ran`,
    );
  });
});
