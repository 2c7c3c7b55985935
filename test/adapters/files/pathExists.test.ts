import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pathExists } from "../../../src/adapters/files/pathExists.js";

// The one `exists()` of the tool (it replaced six private copies: lstat-, stat- and access-based).
describe("pathExists", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dbt-unskip-path-exists-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is true for a file and a folder, false for nothing there", async () => {
    await writeFile(join(dir, "a.sql"), "select 1");
    await mkdir(join(dir, "models"));
    expect(await pathExists(join(dir, "a.sql"))).toBe(true);
    expect(await pathExists(join(dir, "models"))).toBe(true);
    expect(await pathExists(join(dir, "b.sql"))).toBe(false);
    expect(await pathExists(join(dir, "no", "such", "folder"))).toBe(false);
  });

  it("counts a symbolic link whose target is gone: a name is there, and nothing may overwrite it", async () => {
    // The stat- and access-based copies said false here, so a restore beside such a link would have replaced it.
    await symlink(join(dir, "gone.sql"), join(dir, "dangling.sql"));
    expect(await pathExists(join(dir, "dangling.sql"))).toBe(true);
  });

  it("is false for a path that runs through a file (ENOTDIR)", async () => {
    await writeFile(join(dir, "file"), "");
    expect(await pathExists(join(dir, "file", "child"))).toBe(false);
  });

  it("throws when it cannot tell, instead of answering 'absent'", async () => {
    await expect(pathExists(join(dir, "x".repeat(5000)))).rejects.toMatchObject({ code: "ENAMETOOLONG" });
  });
});
