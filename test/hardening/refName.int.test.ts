import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config/parseConfig.js";
import { branchNameProblem, branchPrefixProblem } from "../../src/core/git/refName.js";

// RELIABILITY 33 (issue #15 item 7): every branch the tool makes is checked with git's own rules
// before any work. Before, `branch-prefix: "a..b/"` passed validation and the restore failed only
// after dbt parse and compile. The pure rules are held to `git check-ref-format` on generated names.
const gitAccepts = (name: string) => !name.startsWith("-") && name !== "HEAD" && spawnSync("git", ["check-ref-format", `refs/heads/${name}`]).status === 0;

describe("branch names: the pure rules agree with git check-ref-format", () => {
  const awkward = fc.constantFrom(".", "..", "/", "//", "@", "@{", "{", "~", "^", ":", "?", "*", "[", "\\", " ", "\t", "\x7f", ".lock", "-", "a", "b", "é", "HEAD");
  const name = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom("a", "b", "_", "1") }, { weight: 2, arbitrary: awkward }), { minLength: 1, maxLength: 8 }).map((p) => p.join(""));

  it("on generated names", () => {
    fc.assert(
      fc.property(name, (n) => {
        expect([n, branchNameProblem(n) === null]).toEqual([n, gitAccepts(n)]);
      }),
      { numRuns: 600 },
    );
  });

  it.each(["a..b/x", "a/.b", "x.lock", "a.lock/x", "a//b", "/a", "a/", "a.", "a@{b", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[", "a\\b", "-a", "HEAD", "a\x01"])("refuses %j like git", (n) => {
    expect(branchNameProblem(n)).not.toBeNull();
    expect(gitAccepts(n)).toBe(false);
  });

  it.each(["migrate/dim_user", "dbt-unskip/dim_a", "a.b/c", "a@b", "x/y/z"])("accepts %j like git", (n) => {
    expect(branchNameProblem(n)).toBeNull();
    expect(gitAccepts(n)).toBe(true);
  });
});

describe("a bad branch-prefix is refused up front", () => {
  it.each(["a..b/", "a/./", "x.lock/", "a//", "/a/", "-x/"])("config %j: a problem naming the file, key and line", (prefix) => {
    const result = parseConfig({ configFile: { path: ".github/dbt-unskip.yml", text: `restore-disabled: false\nbranch-prefix: "${prefix}"\n` } });
    expect("problems" in result && result.problems).toEqual([
      { kind: "invalid-config", file: ".github/dbt-unskip.yml", line: 2, message: expect.stringMatching(/^`branch-prefix`: '.*<dimension>' is not a valid git branch name: it /) },
    ]);
  });

  it("the seed teams' git.branch_prefix too", () => {
    const result = parseConfig({ seedConfig: { path: "project.config.json", text: JSON.stringify({ git: { branch_prefix: "a..b/" } }) } });
    expect("problems" in result && result.problems[0]!.message).toMatch(/^`git.branch_prefix`: 'a..b\/<dimension>' is not a valid git branch name/);
  });

  it("valid prefixes still pass", () => {
    for (const prefix of ["migrate/", "dbt-unskip/", "restore-", "a.b/"]) expect(branchPrefixProblem(prefix)).toBeNull();
  });
});
