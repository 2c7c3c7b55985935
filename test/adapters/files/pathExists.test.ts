import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pathExists } from "../../../src/adapters/files/pathExists.js";
import { useTempDir } from "../../helpers/useTempDir.js";

// The one `exists()` of the tool (it replaced six private copies: lstat-, stat- and access-based).
describe("pathExists", () => {
  const tmp = useTempDir("dbt-unskip-path-exists-");

  it("is true for a file and a folder, false for nothing there", async () => {
    const dir = tmp();
    await writeFile(join(dir, "a.sql"), "select 1");
    await mkdir(join(dir, "models"));
    expect(await pathExists(join(dir, "a.sql"))).toBe(true);
    expect(await pathExists(join(dir, "models"))).toBe(true);
    expect(await pathExists(join(dir, "b.sql"))).toBe(false);
    expect(await pathExists(join(dir, "no", "such", "folder"))).toBe(false);
  });

  it("counts a symbolic link whose target is gone: a name is there, and nothing may overwrite it", async () => {
    const dir = tmp();
    // The stat- and access-based copies (exact extraction, run, the profiles.yml lookup) said false here.
    await symlink(join(dir, "gone.sql"), join(dir, "dangling.sql"));
    expect(await pathExists(join(dir, "dangling.sql"))).toBe(true);
  });

  it("is false for a path that runs through a file (ENOTDIR)", async () => {
    const dir = tmp();
    await writeFile(join(dir, "file"), "");
    expect(await pathExists(join(dir, "file", "child"))).toBe(false);
  });

  it("throws when it cannot tell, instead of answering 'absent'", async () => {
    const dir = tmp();
    await expect(pathExists(join(dir, "x".repeat(5000)))).rejects.toMatchObject({ code: "ENAMETOOLONG" });
  });
});
