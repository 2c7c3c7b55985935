import { describe, expect, it, onTestFinished } from "vitest";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { readStateDocuments } from "../../src/usecases/readStateDocuments.js";

// A state document's folder names its dimension, and a dimension name reaches chat-ops commands,
// branch names and Markdown: a folder name that is not a plain name is refused with the file named.
const DOC = "# Migration state\n\n**Status:** In progress\n\n## Paused models\n\n| model | path |\n| --- | --- |\n| d_user | transform/gold/d_user.sql.skip |\n";

describe("state documents in folders that are not dimension names", () => {
  it.each(["dim_x\n::error::pwned", "dim x", "dim-x", "dim`x"])("%j: ignored, and said", async (folder) => {
    const root = await mkdtemp(join(tmpdir(), "dbt-unskip-folders-"));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    for (const [dir, name] of [
      [folder, "X"],
      ["dim_ok", "OK"],
    ]) {
      await mkdir(join(root, "dimensions", dir!), { recursive: true });
      await writeFile(join(root, "dimensions", dir!, `${name}_MIGRATION_STATE.md`), DOC);
    }
    const { documents, problems } = await readStateDocuments(createDiskFileSource(root), "dimensions");
    expect(documents.map((d) => d.dimension)).toEqual(["dim_ok"]);
    expect(problems).toEqual([
      {
        kind: "invalid-state-document",
        file: `dimensions/${folder}/X_MIGRATION_STATE.md`,
        message: `folder name ${JSON.stringify(folder)} is not a dimension name (letters, digits and _ only): the document is ignored`,
      },
    ]);
  });
});
